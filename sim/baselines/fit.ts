// The classic placement heuristics. The node-order ones reproduce CloudSim Plus's VM allocation
// policies exactly (../shared/data/cloudsim/VECTORS.md, "Placement order").
import { baseline } from './define.js';

export const random = baseline({
  name: 'random',
  explain: 'Places each task on a node drawn uniformly at random among those it fits on (seeded, so runs repeat).',
  score: 'random',
});

export const roundRobin = baseline({
  name: 'round-robin',
  explain: 'Places each task on the first node it fits on, counting cyclically from the node after the one that took the previous task.',
  score: '-node.rr_distance',
});

export const firstFit = baseline({
  name: 'first-fit',
  explain: 'Places each task on the lowest-numbered node it fits on.',
  score: '-node.index',
});

// CloudSim Plus calls this VmAllocationPolicyFirstFit, but it resumes its search at the host that took
// the previous VM, cyclically: next fit in bin-packing terms. Its "first-fit" row of VECTORS.md is this.
export const nextFit = baseline({
  name: 'next-fit',
  explain:
    'Places each task on the node that took the previous task if it fits there, else on the next node it fits on, cyclically (CloudSim Plus VmAllocationPolicyFirstFit).',
  score: '-node.last_distance',
});

export const firstFitDecreasing = baseline({
  name: 'first-fit-decreasing',
  explain: 'Takes the largest waiting task first (cores, then memory) and places it on the lowest-numbered node it fits on.',
  order: 'largest-first',
  score: '-node.index',
});

export const bestFit = baseline({
  name: 'best-fit',
  explain:
    'Places each task where it leaves the least room: the smallest sum of free CPU and free memory fractions after placement. Packs tightly and keeps large nodes free for large tasks.',
  score: '-(node.cpu_free_frac_after + node.mem_free_frac_after)',
});

export const worstFit = baseline({
  name: 'worst-fit',
  explain:
    'Places each task on the node with the most free cores after placement (free memory fraction breaks ties): spreads load, as CloudSim Plus VmAllocationPolicyWorstFit.',
  score: 'node.free_cores_after + node.mem_free_frac_after / 1000',
});
