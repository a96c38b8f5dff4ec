// Perturbed training families (domain randomisation) for `aurora evolve --robust <family>`: fresh
// scenarios of the suite's domain whose generator parameters and fleet are drawn per case from documented
// ranges, so that evolution is rewarded for terms that hold up when the domain shifts (a policy that only
// works at one point of the parameter space scores badly on half of them). They add training and
// validation cases to the suite's own; they have no test cases, and no suite's held-out cases change.
// Ranges are written from what a cloud operator can meet, not from any other domain's data:
// docs/workloads.md, "Robust training family".
import type { Domain, NodeSpec, Scenario } from '../../sim/scenario.js';
import { rngFor, type Rng } from '../../sim/random.js';
import { validateScenario } from '../../sim/validate.js';
import { generateFailures } from '../../sim/workload/environment.js';
import { bernoulli, round, uniform } from '../../sim/workload/distributions.js';
import { generateScenario } from '../../sim/workload/generate.js';
import { parseParams, type ParamsOverrides } from '../../sim/workload/params.js';
import type { ScenarioCase } from './scenario-suite.js';
import { trainingSeeds, type SeedUse } from './seeds.js';
import { GENERATED_LEVEL } from './generated.js';

type Range = readonly [number, number];

/** Bumped whenever the same seed would give a different `cloud-robust` case. */
export const CLOUD_ROBUST_VERSION = 1;

/** The ranges of the `cloud-robust` family; every draw is uniform unless named log-uniform. */
export const CLOUD_ROBUST_RANGES = {
  /** Seconds per DeepRM time unit, log-uniform: DeepRM jobs (1–15 units) last from 1 s to 2.5 h. */
  deeprmTimeUnit: [1, 600] as Range,
  /** Task-class weights: the cloud classes only, interactive (0.05–2 s) up to as common as DeepRM. */
  mix: { deeprm: [0.5, 4] as Range, batch: [0, 3] as Range, interactive: [0, 4] as Range, hpc: [0, 1] as Range },
  loadFactor: [0.4, 0.95] as Range,
  heterogeneity: [0.3, 1] as Range,
  failures: { fraction: [0.05, 0.4] as Range, downtime: [0.05, 0.5] as Range, permanent: [0.1, 0.5] as Range },
  /** Integer range: retries before a killed task is dropped. */
  maxRetries: [1, 3] as Range,
  prices: { spikes: [0, 5] as Range, multiplier: [1.5, 6] as Range },
  sla: { fraction: [0.5, 1] as Range, tightness: [0.3, 0.9] as Range },
  /** Every node's price × a log-uniform factor: providers, regions, reserved and on-demand rates. */
  priceFactor: [0.5, 2] as Range,
  /** Share of nodes that are spot (preemptible) capacity: cheap, and preempted far more often. */
  spotShare: [0, 0.5] as Range,
  /** A spot node's price as a share of its on-demand price (public spot discounts are 60–90 %). */
  spotPrice: [0.1, 0.4] as Range,
  /** A spot node's advertised reliability; failures are drawn with weight 1 − reliability. */
  spotReliability: [0.85, 0.97] as Range,
} as const;

export interface RobustFamily {
  readonly name: string;
  readonly version: number;
  readonly domain: Domain;
  readonly description: string;
  /** The documented ranges (recorded in the champion's provenance). */
  readonly ranges: unknown;
  /** `count` perturbed cases for an evolution run seeded `runSeed`, seeds ≥ 2^31 (never a test seed). */
  training(runSeed: number, use: SeedUse, count: number): ScenarioCase[];
}

const draw = (rng: Rng, [lo, hi]: Range) => uniform(rng, lo, hi);
const logDraw = (rng: Rng, [lo, hi]: Range) => Math.exp(uniform(rng, Math.log(lo), Math.log(hi)));
const intDraw = (rng: Rng, [lo, hi]: Range) => rng.int(lo, hi);

/** The generator overrides of one case, drawn from its own stream. */
export function cloudRobustOverrides(seed: number): ParamsOverrides {
  const rng = rngFor(seed, 'robust/cloud/params');
  const R = CLOUD_ROBUST_RANGES;
  return {
    deeprmTimeUnit: round(logDraw(rng, R.deeprmTimeUnit), 3),
    mix: { deeprm: round(draw(rng, R.mix.deeprm), 3), batch: round(draw(rng, R.mix.batch), 3), interactive: round(draw(rng, R.mix.interactive), 3), hpc: round(draw(rng, R.mix.hpc), 3), sensor: 0, stream: 0 },
    loadFactor: round(draw(rng, R.loadFactor), 3),
    heterogeneity: round(draw(rng, R.heterogeneity), 3),
    failures: { fraction: round(draw(rng, R.failures.fraction), 3), downtime: round(draw(rng, R.failures.downtime), 3), permanent: round(draw(rng, R.failures.permanent), 3) },
    maxRetries: intDraw(rng, R.maxRetries),
    prices: { spikes: intDraw(rng, R.prices.spikes), multiplier: round(draw(rng, R.prices.multiplier), 3) },
    sla: { fraction: round(draw(rng, R.sla.fraction), 3), tightness: round(draw(rng, R.sla.tightness), 3) },
  };
}

/**
 * One `cloud-robust` case: the cloud generator at the drawn parameters, then the fleet's prices spread and
 * a share of it turned into spot capacity, and the failures drawn again from the new reliabilities (the
 * generator's own rule: weight 1 − reliability, the largest node never fails, so the case stays solvable).
 */
export function cloudRobustScenario(seed: number): Scenario {
  const base = generateScenario({ domain: 'cloud', level: GENERATED_LEVEL, seed, overrides: cloudRobustOverrides(seed) });
  const rng = rngFor(seed, 'robust/cloud/fleet');
  const R = CLOUD_ROBUST_RANGES;
  const spotShare = draw(rng, R.spotShare);
  let biggest = base.nodes[0]!;
  for (const n of base.nodes) if (n.cores > biggest.cores || (n.cores === biggest.cores && n.memory > biggest.memory)) biggest = n;
  const nodes: NodeSpec[] = base.nodes.map((n) => {
    let price = n.pricePerHour * logDraw(rng, R.priceFactor);
    let reliability = n.reliability;
    // The protected node stays on demand: it is the one that never fails.
    if (n.id !== biggest.id && bernoulli(rng, spotShare)) {
      price *= draw(rng, R.spotPrice);
      reliability = draw(rng, R.spotReliability);
    }
    return { ...n, pricePerHour: round(price, 4), reliability: round(reliability, 4) };
  });
  const provenance = base.provenance as { horizon: number; params: unknown };
  const params = parseParams(provenance.params);
  const failures = generateFailures(params, nodes, biggest.id, provenance.horizon, rngFor(seed, 'robust/cloud/failures'));
  const checked = validateScenario({
    ...base,
    id: `robust-cloud-v${CLOUD_ROBUST_VERSION}-s${seed}`,
    description: `${base.description}; cloud-robust v${CLOUD_ROBUST_VERSION}: prices spread, ${nodes.filter((n, i) => n.reliability !== base.nodes[i]!.reliability).length} spot nodes, ${failures.length} failures redrawn`,
    nodes,
    environment: { ...base.environment, failures },
    provenance: { ...base.provenance, family: `cloud-robust@${CLOUD_ROBUST_VERSION}` },
  });
  // Perturbing a valid scenario's prices and reliabilities must leave it valid: a failure is a bug here.
  if (!checked.ok) throw new Error(`cloud-robust produced an invalid scenario: ${checked.errors.join('; ')}`);
  return checked.scenario;
}

export const CLOUD_ROBUST: RobustFamily = {
  name: 'cloud-robust',
  version: CLOUD_ROBUST_VERSION,
  domain: 'cloud',
  description:
    'Cloud scenarios (the cloud generator at level 7) with parameters drawn per case: task run times from about a second to hours, load, heterogeneity, failures and retries, price spikes, SLAs; every node price spread ×0.5–2, and up to half the fleet spot capacity (10–40 % of the price, reliability 0.85–0.97, failures redrawn).',
  ranges: { ...CLOUD_ROBUST_RANGES, base: { generator: 'sim/workload/generate.ts', domain: 'cloud', level: GENERATED_LEVEL } },
  training: (runSeed, use, count) =>
    trainingSeeds(runSeed, 'robust/cloud-robust', use, count).map((seed) => ({ id: `robust-${use}-${seed}`, scenario: cloudRobustScenario(seed) })),
};

export const ROBUST_FAMILIES: Readonly<Record<string, RobustFamily>> = { 'cloud-robust': CLOUD_ROBUST };

export function robustFamilyByName(name: string): RobustFamily | undefined {
  return Object.prototype.hasOwnProperty.call(ROBUST_FAMILIES, name) ? ROBUST_FAMILIES[name] : undefined;
}
