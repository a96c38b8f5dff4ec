// kube-scheduler's NodeResourcesFit and NodeResourcesBalancedAllocation scores, written as in
// pkg/scheduler/framework/plugins/noderesources (CPU and memory, weight 1 each, MaxNodeScore 100):
//   MostAllocated:  per resource floor(100 × min(requested, capacity) / capacity), averaged with
//                   integer division over the resources the node has (capacity 0 is skipped);
//   LeastAllocated: per resource floor(100 × (capacity − requested) / capacity), 0 when over capacity;
//   BalancedAllocation: floor((1 − |f_cpu − f_mem| / 2) × 100), f = min(1, requested / capacity),
//                   100 when only one resource is modelled.
// "requested" includes the task being placed, as in the scheduler.
import { baseline } from './define.js';

const CPU_MOST = 'floor(100 * min(node.cores, node.cores - node.free_cores_after) / node.cores)';
const MEM_MOST = 'floor(100 * min(node.memory, node.memory - node.free_memory_after) / node.memory)';
const CPU_LEAST = 'floor(100 * max(0, node.free_cores_after) / node.cores)';
const MEM_LEAST = 'floor(100 * max(0, node.free_memory_after) / node.memory)';
const BALANCED =
  'if node.memory > 0 then floor((1 - abs((min(1, node.cpu_alloc_frac_after) - min(1, node.mem_alloc_frac_after)) / 2)) * 100) else 100';

export const kubernetesMostAllocated = baseline({
  name: 'kubernetes-most-allocated',
  explain:
    'Kubernetes NodeResourcesFit with the MostAllocated strategy: prefers the node whose CPU and memory would be the most requested after placement (bin packing).',
  score: `if node.memory > 0 then floor((${CPU_MOST} + ${MEM_MOST}) / 2) else ${CPU_MOST}`,
});

export const kubernetesLeastAllocated = baseline({
  name: 'kubernetes-least-allocated',
  explain:
    "Kubernetes NodeResourcesFit with the LeastAllocated strategy (the scheduler's default): prefers the node with the most CPU and memory left unrequested after placement (spreading).",
  score: `if node.memory > 0 then floor((${CPU_LEAST} + ${MEM_LEAST}) / 2) else ${CPU_LEAST}`,
});

export const kubernetesBalancedAllocation = baseline({
  name: 'kubernetes-balanced-allocation',
  explain:
    'Kubernetes NodeResourcesBalancedAllocation: prefers the node whose CPU and memory would be requested in the most equal proportions after placement, so neither is stranded.',
  score: BALANCED,
});

export const kubernetesDefault = baseline({
  name: 'kubernetes-default',
  explain: "The default kube-scheduler resource scoring: LeastAllocated plus BalancedAllocation, weight 1 each.",
  score: `(if node.memory > 0 then floor((${CPU_LEAST} + ${MEM_LEAST}) / 2) else ${CPU_LEAST}) + (${BALANCED})`,
});
