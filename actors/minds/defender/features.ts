// The features the defender's mutations may write into a policy: node features in the score and the
// filter, task features only in the queue order (sim/policy/check.ts enforces the same). `random` is
// left out: a score term drawn afresh at every decision only adds noise to a tuned policy.
import { FEATURES } from '../../../sim/policy/features.js';

export interface FeaturePool {
  /** Features valid in the score and the filter, sorted. */
  readonly node: readonly string[];
  /** Features valid in the order key and admit (no node needed), sorted. */
  readonly task: readonly string[];
}

const EXCLUDED = new Set(['random']);

// Bin-packing-only features (the packer's counts) are compile errors in scheduling: not offered here.
const SCHEDULING = FEATURES.filter((f) => f.scheduling !== false);

export const FEATURE_POOL: FeaturePool = {
  node: SCHEDULING.map((f) => f.name).filter((n) => !EXCLUDED.has(n)).sort(),
  task: SCHEDULING.filter((f) => !f.needsNode).map((f) => f.name).filter((n) => !EXCLUDED.has(n)).sort(),
};

/**
 * Features whose conjuncts in a filter keep a task within a node's capacity (`node.free_cores_after >= 0`
 * and the like). Mutations keep such conjuncts; only the deliberate `drop capacity` move removes one.
 */
export const CAPACITY_FEATURES: ReadonlySet<string> = new Set([
  'node.cpu_free_frac',
  'node.cpu_free_frac_after',
  'node.cpu_residual',
  'node.free_cores',
  'node.free_cores_after',
  'node.free_memory',
  'node.free_memory_after',
  'node.mem_free_frac',
  'node.mem_free_frac_after',
  'node.mem_residual',
]);
