// The scenario seed population: every seed compiles and runs without a fault on a generated scenario
// of every domain (a seed that divides by a feature that is 0 somewhere would be a recorded fault).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compilePolicy } from '../../sim/policy/compile.js';
import { simulate } from '../../sim/simulate.js';
import { generateScenario } from '../../sim/workload/generate.js';
import { scenarioSeeds } from '../../src/evolve/seed-policies.js';

const DOMAINS = ['cloud', 'edge', 'network', 'hybrid'] as const;

test('given the scenario seeds, then their names are distinct and they include EDF and SJF crossed with cost-aware placements', () => {
  const names = scenarioSeeds().map((s) => s.name);
  assert.is(new Set(names).size, names.length);
  for (const n of ['edf', 'sjf', 'cost-greedy', 'edf-cost-greedy', 'sjf-best-fit', 'edf-consolidate', 'edf-split', 'edf-bands']) assert.ok(names.includes(n), n);
});

test('given every scenario seed, when run on a generated scenario of every domain, then none faults', () => {
  for (const domain of DOMAINS) {
    const s = generateScenario({ domain, level: 4, seed: 3 });
    for (const doc of scenarioSeeds()) {
      const r = simulate(s, compilePolicy(doc));
      assert.is(r.failure, undefined, `${doc.name} on ${domain}: ${r.failure?.message}`);
    }
  }
});

test.run();
