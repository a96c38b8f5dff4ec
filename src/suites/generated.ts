// The generated suites (version 1): `cloud`, `edge`, `network`, `hybrid`. Each is the seeded scenario
// generator (sim/workload/generate.ts, its default parameters for the domain) at curriculum level 7,
// "expert" (docs/workloads.md has the parameter table; docs/evaluation.md the figures). Held out: seeds
// 1–10. Training and validation: seeds ≥ 2^31 drawn per evolution run.
import { GENERATOR_VERSION, generateScenario } from '../../sim/workload/generate.js';
import { defaultParams } from '../../sim/workload/defaults.js';
import type { Domain } from '../../sim/scenario.js';
import type { ScenarioCase, ScenarioSuiteDef } from './scenario-suite.js';
import { trainingSeeds } from './seeds.js';

export const GENERATED_SUITE_VERSION = 1;
export const GENERATED_LEVEL = 7;
export const GENERATED_TEST_SEEDS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

const WHAT: Record<Domain, string> = {
  cloud: 'cloud hosts (CPU, memory, power, price) running batch, interactive, HPC and DeepRM-style jobs',
  edge: 'devices and edge servers with source-to-node latency, batteries and energy budgets, running sensor and interactive tasks',
  network: 'nodes behind links with limited bandwidth and congestion windows, running stream, batch and sensor tasks that move data',
  hybrid: 'a mix of cloud hosts and edge tiers with long-haul links, running every task class',
};

function generatedSuite(domain: Domain): ScenarioSuiteDef {
  const cases = (seeds: readonly number[], prefix: string): ScenarioCase[] =>
    seeds.map((seed) => ({ id: `${prefix}${seed}`, scenario: generateScenario({ domain, level: GENERATED_LEVEL, seed }) }));
  const p = defaultParams(domain, GENERATED_LEVEL);
  return {
    kind: 'scenario',
    name: domain,
    version: GENERATED_SUITE_VERSION,
    domain,
    description: `Generated ${domain} scenarios: ${WHAT[domain]}. Generator version ${GENERATOR_VERSION}, default parameters for level ${GENERATED_LEVEL} (${p.tasks} tasks, ${p.nodes} nodes, ${p.arrival.pattern} arrivals at load ${p.loadFactor}).`,
    split: `held out: seeds ${GENERATED_TEST_SEEDS.join(', ')}; training and validation: fresh seeds in [2^31, 2^32) drawn from the evolution seed`,
    parameters: { generator: 'sim/workload/generate.ts', generatorVersion: GENERATOR_VERSION, domain, level: GENERATED_LEVEL, testSeeds: GENERATED_TEST_SEEDS },
    defaults: { train: 16, validate: 16 },
    needsData: false,
    test: () => cases(GENERATED_TEST_SEEDS, 'seed-'),
    training: (_dataDir, runSeed, use, count) => cases(trainingSeeds(runSeed, `generated/${domain}`, use, count), `${use}-`),
  };
}

export const GENERATED_SUITES: readonly ScenarioSuiteDef[] = (['cloud', 'edge', 'network', 'hybrid'] as const).map(generatedSuite);
