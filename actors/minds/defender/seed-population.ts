// The baselines are the defender's first population: when the request's population is small (the
// first iterations of a run, or a run that lost its policies), the shipped heuristics join it at the
// population's mean rating (1500 when it is empty), under the ids a run records them with (`b-<name>`).
import type { RatedPolicy } from '../../protocol.js';
import { baselines, baselineNames } from '../../../sim/baselines/index.js';
import { baselinePolicyId } from '../baseline-ids.js';

/** Below this many policies, the baselines are added. */
export const MIN_POPULATION = 8;

export function withBaselines(population: readonly RatedPolicy[]): RatedPolicy[] {
  if (population.length >= MIN_POPULATION) return [...population];
  const ids = new Set(population.map((p) => p.policyId));
  const names = new Set(population.map((p) => p.policy.name));
  const rating = population.length === 0 ? 1500 : population.reduce((s, p) => s + p.rating, 0) / population.length;
  const seeds = [...baselineNames]
    .sort()
    .filter((name) => !ids.has(baselinePolicyId(name)) && !names.has(name))
    .map((name) => ({ policyId: baselinePolicyId(name), policy: baselines[name]!, rating, evaluations: 0 }));
  return [...population, ...seeds];
}
