// A scenario suite as an evolution problem: fitness = the mean reward (sim/reward.ts) over the suite's
// training cases, each simulated in full, minus DROP_PENALTY × the share of feasible tasks the policy
// left unfinished (a hard constraint in practice); a policy that faults on any case, or needs more policy
// evaluations than its budget (EVALUATIONS_PER_TASK_NODE), is out. Validation is the same on other fresh
// cases. Mutations may use every feature the defender may (its FEATURE_POOL).
// Why the penalty: the reward averages latency over completed tasks only and charges a dropped task
// 1 × its share, so a policy whose filter never accepts the longest tasks (they wait until the run
// ends, unfinished) scores more than one that runs them all. Evolution found exactly that on the
// Alibaba windows: +3 % reward for 1–2 % of the jobs left unrun, and with a penalty of 5 × the share
// still +2 % for 0.3 %. A scheduler that gets its numbers by not running work is no champion.
import { FEATURE_POOL } from '../../actors/minds/defender/features.js';
import { compilePolicy } from '../../sim/policy/compile.js';
import { PolicyCompileError } from '../../sim/policy/compiled.js';
import type { PolicyDocument } from '../../sim/policy/document.js';
import { simulate } from '../../sim/simulate.js';
import type { RobustFamily } from '../suites/robust.js';
import type { ScenarioCase, ScenarioSuiteDef } from '../suites/scenario-suite.js';
import { FAULTED, type EvolutionProblem, type Fitness } from './problem.js';
import { scenarioSeeds } from './seed-policies.js';

/** Fitness lost per unit of unfinished share (on top of the reward's own charge). */
export const DROP_PENALTY = 100;

/**
 * Policy evaluations a candidate may use per case, per task × node (sim/simulate.ts maxEvaluations);
 * past it the candidate is out, like one that faults. Why: one slow candidate stalled whole generations
 * on trace-azure. A filter that reads the time and rejects most nodes is re-evaluated on every queued
 * task at every pass: 420–1,020 evaluations per task × node there (10 s of CPU per 2-hour window),
 * where the baselines and seeds use 0.5–1.1 (0.05–0.2 s). 50 leaves legitimate policies far from the cap
 * and is a count, so the same candidates are cut on any machine at any load.
 */
export const EVALUATIONS_PER_TASK_NODE = 50;

/** The evaluation budget of one case (at least one full scan per task). */
export function evaluationBudget(c: ScenarioCase): number {
  return EVALUATIONS_PER_TASK_NODE * Math.max(1, c.scenario.tasks.length) * c.scenario.nodes.length;
}

export function scenarioFitness(doc: PolicyDocument, cases: readonly ScenarioCase[]): Fitness {
  let policy;
  try {
    policy = compilePolicy(doc);
  } catch (err) {
    if (err instanceof PolicyCompileError) return FAULTED;
    throw err;
  }
  let reward = 0;
  let sla = 0;
  let costPerHour = 0;
  let unfinished = 0;
  for (const c of cases) {
    const r = simulate(c.scenario, policy, { maxEvaluations: evaluationBudget(c) });
    if (r.failure) return FAULTED;
    reward += r.reward.reward;
    // Infeasible tasks are dropped under every policy; the rest of the drops are this policy's doing.
    unfinished += r.metrics.tasks > 0 ? (r.metrics.dropped - r.infeasible.length) / r.metrics.tasks : 0;
    sla += r.metrics.slaViolationRate;
    costPerHour += r.metrics.makespan > 0 ? (r.metrics.cost * 3600) / r.metrics.makespan : 0;
  }
  const n = cases.length;
  const detail = { reward: reward / n, slaViolationRate: sla / n, costPerHour: costPerHour / n, unfinished: unfinished / n };
  return {
    value: detail.reward - DROP_PENALTY * detail.unfinished,
    summary: `reward ${detail.reward.toFixed(4)}, SLA ${(100 * detail.slaViolationRate).toFixed(1)} %, unfinished ${(100 * detail.unfinished).toFixed(2)} %`,
    detail,
  };
}

export interface ScenarioProblemOptions {
  readonly seed: number;
  readonly dataDir: string;
  readonly train?: number;
  readonly validate?: number;
  /**
   * A perturbed training family of the suite's domain (src/suites/robust.ts): as many of its cases again
   * are added to training and to validation, so both fitness and the champion's choice (the best mean
   * over the suite's and the family's validation cases, equal in number) reward a policy that holds up
   * across the perturbations, not one that fits the suite's single point of the parameter space.
   */
  readonly robust?: RobustFamily;
}

export function scenarioProblem(suite: ScenarioSuiteDef, options: ScenarioProblemOptions): EvolutionProblem {
  const trainCount = options.train ?? suite.defaults.train;
  const validateCount = options.validate ?? suite.defaults.validate;
  const robust = options.robust;
  if (robust !== undefined && robust.domain !== suite.domain) throw new Error(`${robust.name} is a ${robust.domain} family; ${suite.name} is ${suite.domain}`);
  const training = [...suite.training(options.dataDir, options.seed, 'train', trainCount), ...(robust?.training(options.seed, 'train', trainCount) ?? [])];
  const validation = [...suite.training(options.dataDir, options.seed, 'validate', validateCount), ...(robust?.training(options.seed, 'validate', validateCount) ?? [])];
  return {
    trainingSuite: `${suite.name}@${suite.version}${robust !== undefined ? `+${robust.name}@${robust.version}` : ''}`,
    domain: suite.domain,
    features: { node: FEATURE_POOL.node, task: FEATURE_POOL.task },
    evolveOrder: true,
    evolveFilter: true,
    seeds: scenarioSeeds(),
    check: (doc) => {
      try {
        compilePolicy(doc);
        return null;
      } catch (err) {
        if (err instanceof PolicyCompileError) return err.message;
        throw err;
      }
    },
    train: (doc) => scenarioFitness(doc, training),
    validate: (doc) => scenarioFitness(doc, validation),
    description: {
      suite: suite.name,
      ...(robust !== undefined ? { robust: { family: robust.name, version: robust.version, ranges: robust.ranges } } : {}),
      trainCases: training.map((c) => c.id),
      validateCases: validation.map((c) => c.id),
    },
  };
}
