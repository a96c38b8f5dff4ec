// Greedy on one objective: money or latency.
import { baseline } from './define.js';

export const costGreedy = baseline({
  name: 'cost-greedy',
  explain:
    "Places each task where it is estimated to cost least: price × run time, for the task's share of an open node or the whole node if it would have to open.",
  score: '-node.cost_est',
});

export const latencyGreedy = baseline({
  name: 'latency-greedy',
  explain:
    "Places each task where its data arrives soonest: the smallest latency plus transfer time from the task's source; an edge node wins a tie.",
  score: '-(node.latency + node.transfer) + 0.000001 * node.is_edge',
});
