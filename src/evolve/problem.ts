// What the evolution driver optimises: a training fitness (higher is better) measured on fresh training
// instances, a validation fitness on other fresh instances to pick the champion among the best, the
// features mutations may use, and the seed population. Bin packing and scenario suites implement it.
import type { PolicyDocument } from '../../sim/policy/document.js';

export interface Fitness {
  /** Higher is better; -Infinity for a policy that faulted. */
  readonly value: number;
  /** What the number means, for people (e.g. `excess 0.71 %`). */
  readonly summary: string;
  /** Figures behind it, for the record. */
  readonly detail: Readonly<Record<string, number>>;
}

export interface FeaturePools {
  /** Valid in the score and the filter. */
  readonly node: readonly string[];
  /** Valid in the order key. */
  readonly task: readonly string[];
}

export interface EvolutionProblem {
  /** The training suite, e.g. `binpack:weibull@1`, `trace-azure@1`. */
  readonly trainingSuite: string;
  /** binpack, or the scenario domain: the compiler's domain and the library record's. */
  readonly domain: 'binpack' | 'cloud' | 'edge' | 'network' | 'hybrid';
  readonly features: FeaturePools;
  /** Whether mutations may change the queue order and the filter (bin packing has neither). */
  readonly evolveOrder: boolean;
  readonly evolveFilter: boolean;
  /** Starting points: good structure to refine (baselines, known forms). */
  readonly seeds: readonly PolicyDocument[];
  /** Why the policy cannot be used here, or null. */
  check(doc: PolicyDocument): string | null;
  train(doc: PolicyDocument): Fitness;
  validate(doc: PolicyDocument): Fitness;
  /** What the problem was built from (instance counts, seeds), for the record. */
  readonly description: Readonly<Record<string, unknown>>;
}

export const FAULTED: Fitness = { value: -Infinity, summary: 'faulted', detail: {} };
