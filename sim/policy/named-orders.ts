// The named queue disciplines, each spelt as an ordinary order key in the policy language, so a named
// order and the `{key, direction}` it stands for behave identically.
import type { NamedOrder } from './document.js';

export interface OrderKeySpec {
  readonly key: string;
  readonly direction: 'asc' | 'desc';
  readonly doc: string;
}

export const NAMED_ORDERS: Readonly<Record<NamedOrder, OrderKeySpec>> = {
  fifo: { key: 'task.ready', direction: 'asc', doc: 'first come, first served: in the order tasks became ready' },
  sjf: { key: 'task.work', direction: 'asc', doc: 'shortest job first: least total work (MI) first' },
  // Cores first, then memory: memory ÷ (memory + 1) is below 1 and grows with memory, so adding it to
  // the whole number of cores orders by cores and breaks ties by memory.
  ljf: {
    key: 'task.cores + task.memory / (task.memory + 1)',
    direction: 'desc',
    doc: 'largest job first: most cores first, then most memory',
  },
  'largest-first': {
    key: 'task.cores + task.memory / (task.memory + 1)',
    direction: 'desc',
    doc: 'the same as ljf (first-fit-decreasing uses it)',
  },
  edf: { key: 'task.deadline', direction: 'asc', doc: 'earliest deadline first; tasks without an SLA go last' },
  priority: { key: 'task.priority', direction: 'desc', doc: 'highest priority first' },
  drf: { key: 'tenant.share', direction: 'asc', doc: "dominant resource fairness: the task whose tenant holds the smallest dominant share first (recomputed every pass)" },
  random: { key: 'random', direction: 'asc', doc: 'a seeded random order, drawn afresh every pass' },
};
