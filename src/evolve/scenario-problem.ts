// A scenario suite as an evolution problem: fitness = the mean reward (sim/reward.ts) over the suite's
// training cases, each simulated in full; a policy that faults on any case is out. Validation is the
// same on other fresh cases. Mutations may use every feature the defender may (its FEATURE_POOL).
import { FEATURE_POOL } from '../../actors/minds/defender/features.js';
import { compilePolicy } from '../../sim/policy/compile.js';
import { PolicyCompileError } from '../../sim/policy/compiled.js';
import type { PolicyDocument } from '../../sim/policy/document.js';
import { simulate } from '../../sim/simulate.js';
import type { ScenarioCase, ScenarioSuiteDef } from '../suites/scenario-suite.js';
import { FAULTED, type EvolutionProblem, type Fitness } from './problem.js';
import { scenarioSeeds } from './seed-policies.js';

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
  for (const c of cases) {
    const r = simulate(c.scenario, policy);
    if (r.failure) return FAULTED;
    reward += r.reward.reward;
    sla += r.metrics.slaViolationRate;
    costPerHour += r.metrics.makespan > 0 ? (r.metrics.cost * 3600) / r.metrics.makespan : 0;
  }
  const n = cases.length;
  const detail = { reward: reward / n, slaViolationRate: sla / n, costPerHour: costPerHour / n };
  return { value: detail.reward, summary: `reward ${detail.reward.toFixed(4)}, SLA ${(100 * detail.slaViolationRate).toFixed(1)} %`, detail };
}

export interface ScenarioProblemOptions {
  readonly seed: number;
  readonly dataDir: string;
  readonly train?: number;
  readonly validate?: number;
}

export function scenarioProblem(suite: ScenarioSuiteDef, options: ScenarioProblemOptions): EvolutionProblem {
  const trainCount = options.train ?? suite.defaults.train;
  const validateCount = options.validate ?? suite.defaults.validate;
  const training = suite.training(options.dataDir, options.seed, 'train', trainCount);
  const validation = suite.training(options.dataDir, options.seed, 'validate', validateCount);
  return {
    trainingSuite: `${suite.name}@${suite.version}`,
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
      trainCases: training.map((c) => c.id),
      validateCases: validation.map((c) => c.id),
    },
  };
}
