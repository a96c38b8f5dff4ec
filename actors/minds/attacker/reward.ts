// The attacker's reward for one scenario (the proposal's attacker_reward, DESIGN §6):
//   reward = wL × learnability + wN × novelty + wC × closeness      (0.5, 0.3, 0.2 by default)
// - learnability(p) = 1 − p when the defender's solve rate p is strictly between 0 and 1, else 0
//   (Absolute Zero): a scenario the defender always or never solves teaches it nothing.
// - novelty ∈ [0, 1]: the mean Euclidean distance from the scenario's feature vector to its k nearest
//   neighbours in the run's archive, divided by √(dimension), the largest distance two vectors of
//   [0, 1] features can have (projections/scenario-features.ts `novelty`); an empty archive gives 1.
// - closeness ∈ [0, 1] to the curriculum's target: 1 − |L − target| / 9, where L is the scenario's
//   level-equivalent complexity (complexity.ts) and target the curriculum level's difficulty (1–10).
// Weights come from RunConfig.attacker and are used as given (not renormalised).
import { novelty as archiveNovelty } from '../../../projections/scenario-features.js';
import type { Domain } from '../../../sim/scenario.js';
import { complexityOf, levelEquivalent } from './complexity.js';

export function learnability(solveRate: number): number {
  return solveRate > 0 && solveRate < 1 ? 1 - solveRate : 0;
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** Novelty of `features` against `archive` with k nearest neighbours, in [0, 1]. */
export function noveltyScore(features: readonly number[], archive: readonly (readonly number[])[], k: number): number {
  return clamp01(archiveNovelty(features, archive, k));
}

/** 1 − |level − target| / 9: 1 on target, 0 nine levels away. */
export function levelCloseness(level: number, targetLevel: number): number {
  return clamp01(1 - Math.abs(level - targetLevel) / 9);
}

/** Closeness of a scenario (by its features) to the target level; see complexity.ts. */
export function closeness(features: readonly number[], targetLevel: number, domain?: Domain): number {
  return levelCloseness(levelEquivalent(complexityOf(features), domain ?? 'all'), targetLevel);
}

export interface AttackerWeights {
  learnabilityWeight: number;
  noveltyWeight: number;
  closenessWeight: number;
}

export const DEFAULT_ATTACKER_WEIGHTS: AttackerWeights = { learnabilityWeight: 0.5, noveltyWeight: 0.3, closenessWeight: 0.2 };

export function attackerReward(parts: { learnability: number; novelty: number; closeness: number }, weights: AttackerWeights = DEFAULT_ATTACKER_WEIGHTS): number {
  return weights.learnabilityWeight * parts.learnability + weights.noveltyWeight * parts.novelty + weights.closenessWeight * parts.closeness;
}

export interface AttackerRewardInput {
  /** The defender's solve rate on the scenario (solved evaluations / evaluations, baselines excluded). */
  solveRate: number;
  /** scenarioFeatures(scenario). */
  features: readonly number[];
  /** Feature vectors of the run's archive before this scenario. */
  archive: readonly (readonly number[])[];
  /** The curriculum level's difficulty (1–10). */
  targetLevel: number;
  /** The level the scenario was written for: stands in for the measured one when `features` is empty. */
  scenarioLevel?: number;
  /** The scenario's domain: picks the domain's yardstick (absent: the mean over the four domains). */
  domain?: Domain;
  weights: AttackerWeights & { noveltyNeighbours?: number };
}

/** Every part of AttackerRewarded's data but the scenario id. */
export interface AttackerRewardParts {
  solveRate: number;
  learnability: number;
  novelty: number;
  closeness: number;
  reward: number;
}

export function attackerRewardOf(input: AttackerRewardInput): AttackerRewardParts {
  const l = learnability(input.solveRate);
  const n = noveltyScore(input.features, input.archive, input.weights.noveltyNeighbours ?? 5);
  const c =
    input.features.length === 0
      ? levelCloseness(input.scenarioLevel ?? input.targetLevel, input.targetLevel)
      : closeness(input.features, input.targetLevel, input.domain);
  return { solveRate: input.solveRate, learnability: l, novelty: n, closeness: c, reward: attackerReward({ learnability: l, novelty: n, closeness: c }, input.weights) };
}
