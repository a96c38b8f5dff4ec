// Queue disciplines: which waiting task goes first. Placement is first-fit so the order is what differs.
import { baseline } from './define.js';

export const sjf = baseline({
  name: 'sjf',
  explain: 'Shortest job first: the waiting task with the least total work goes first; first-fit placement.',
  order: 'sjf',
  score: '-node.index',
});

export const edf = baseline({
  name: 'edf',
  explain: 'Earliest deadline first: the waiting task whose SLA deadline comes first goes first (no SLA: last); first-fit placement.',
  order: 'edf',
  score: '-node.index',
});

export const priority = baseline({
  name: 'priority',
  explain: 'Highest priority first; first-fit placement.',
  order: 'priority',
  score: '-node.index',
});

export const drf = baseline({
  name: 'drf',
  explain:
    'Dominant resource fairness (Ghodsi et al., NSDI 2011): the waiting task whose tenant holds the smallest dominant share goes first; first-fit placement.',
  order: 'drf',
  score: '-node.index',
});
