// The perturbed training family `cloud-robust` (domain randomisation for `aurora evolve --robust`): its
// cases really vary the documented parameters, are a function of the run seed, never use a test seed,
// and adding it changed no fixed suite's held-out cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hashName } from '../../sim/random.js';
import { CLOUD_HOSTS } from '../../sim/workload/catalogue.js';
import { GENERATED_SUITES } from '../../src/suites/generated.js';
import { CLOUD_ROBUST, CLOUD_ROBUST_RANGES, cloudRobustOverrides, robustFamilyByName } from '../../src/suites/robust.js';
import { isTestSeed } from '../../src/suites/seeds.js';

// Prices and reliabilities are rounded to 4 decimals when written: allow for that.
const within = (x: number, [lo, hi]: readonly [number, number], slack = 1e-3) => x >= lo - slack && x <= hi + slack;
const spread = (xs: readonly number[]) => Math.max(...xs) / Math.min(...xs);

test('given one run seed, when the family draws cases twice, then they are identical; another run seed gives other cases', () => {
  const a = CLOUD_ROBUST.training(7, 'train', 3);
  const b = CLOUD_ROBUST.training(7, 'train', 3);
  assert.is(JSON.stringify(a), JSON.stringify(b));
  const other = CLOUD_ROBUST.training(8, 'train', 3);
  assert.not.equal(other.map((c) => c.scenario.seed), a.map((c) => c.scenario.seed));
  const validate = CLOUD_ROBUST.training(7, 'validate', 3);
  for (const c of [...a, ...other, ...validate]) assert.not.ok(isTestSeed(c.scenario.seed), c.id);
  assert.not.ok(validate.some((v) => a.some((t) => t.scenario.seed === v.scenario.seed)));
});

test('given 12 cases, then the generator parameters vary over their documented ranges: run times over two decades, failures, retries, load', () => {
  const cases = CLOUD_ROBUST.training(1, 'train', 12);
  const params = cases.map((c) => (c.scenario.provenance as { params: { deeprmTimeUnit: number; loadFactor: number; maxRetries: number; failures: { fraction: number }; mix: { interactive: number } } }).params);
  const R = CLOUD_ROBUST_RANGES;
  for (const p of params) {
    assert.ok(within(p.deeprmTimeUnit, R.deeprmTimeUnit) && within(p.loadFactor, R.loadFactor) && within(p.failures.fraction, R.failures.fraction));
    assert.ok(within(p.maxRetries, R.maxRetries) && within(p.mix.interactive, R.mix.interactive));
  }
  // Log-uniform over 1–600 s: 12 draws spanning less than ×20 would mean the draw is not what is documented.
  assert.ok(spread(params.map((p) => p.deeprmTimeUnit)) > 20, `time units ${params.map((p) => p.deeprmTimeUnit).join(', ')}`);
  assert.ok(spread(params.map((p) => p.failures.fraction)) > 2);
  assert.ok(new Set(params.map((p) => p.maxRetries)).size >= 2);
  assert.ok(new Set(params.map((p) => p.loadFactor)).size === params.length);
  // The overrides are what the scenario was generated from, not merely drawn.
  assert.is(params[0]!.deeprmTimeUnit, cloudRobustOverrides(cases[0]!.scenario.seed).deeprmTimeUnit);
  // And the scenarios differ in what a policy sees: the horizon follows the run times.
  assert.ok(spread(cases.map((c) => (c.scenario.provenance as { horizon: number }).horizon)) > 10);
});

test('given the perturbed fleets, then prices are spread, spot nodes are cheaper and less reliable than any catalogue host, and they are the ones that fail most', () => {
  const cases = CLOUD_ROBUST.training(1, 'validate', 12);
  const catalogue = new Map(CLOUD_HOSTS.map((h) => [`${h.cores}/${h.memory}/${h.mips}`, h]));
  const minReliability = Math.min(...CLOUD_HOSTS.map((h) => h.reliability));
  let spot = 0;
  let onDemand = 0;
  let spotFailures = 0;
  let onDemandFailures = 0;
  let spreadSeen = false;
  for (const c of cases) {
    const failed = new Set(c.scenario.environment.failures.map((f) => f.node));
    let biggest = c.scenario.nodes[0]!;
    for (const n of c.scenario.nodes) if (n.cores > biggest.cores || (n.cores === biggest.cores && n.memory > biggest.memory)) biggest = n;
    assert.not.ok(failed.has(biggest.id), `${c.id}: the largest node must never fail`);
    for (const n of c.scenario.nodes) {
      const type = catalogue.get(`${n.cores}/${n.memory}/${n.mips}`)!;
      assert.ok(type, n.id);
      const ratio = n.pricePerHour / type.pricePerHour;
      if (Math.abs(ratio - 1) > 0.01) spreadSeen = true;
      if (n.reliability < minReliability) {
        spot++;
        if (failed.has(n.id)) spotFailures++;
        assert.ok(within(n.reliability, CLOUD_ROBUST_RANGES.spotReliability), `${n.id} reliability ${n.reliability}`);
        assert.ok(ratio <= CLOUD_ROBUST_RANGES.priceFactor[1] * CLOUD_ROBUST_RANGES.spotPrice[1] + 1e-3, `${n.id} price ×${ratio}`);
      } else {
        onDemand++;
        if (failed.has(n.id)) onDemandFailures++;
        assert.ok(within(ratio, CLOUD_ROBUST_RANGES.priceFactor), `${n.id} price ×${ratio}`);
      }
    }
  }
  assert.ok(spreadSeen);
  assert.ok(spot > 0 && onDemand > 0);
  // Failures are drawn again with weight 1 − reliability: a spot node is many times likelier to fail.
  assert.ok(spotFailures / spot > 2 * (onDemandFailures / onDemand), `spot ${spotFailures}/${spot}, on demand ${onDemandFailures}/${onDemand}`);
});

test('given the family added, then the fixed generated suites still give the held-out cases of their version 1', () => {
  // Fingerprints of all ten held-out scenarios per suite, recorded when the family was added: a change to
  // any of them must come with a new suite version, never silently.
  const expected: Record<string, string> = { cloud: '2b4a7777', edge: '59050338', network: '568d2323', hybrid: '98a6a435' };
  for (const s of GENERATED_SUITES) {
    assert.is(s.version, 1);
    assert.is(hashName(0, JSON.stringify(s.test('').map((c) => c.scenario))).toString(16), expected[s.name], s.name);
  }
});

test('given a family name, then only a known one is found', () => {
  assert.is(robustFamilyByName('cloud-robust'), CLOUD_ROBUST);
  assert.is(robustFamilyByName('__proto__'), undefined);
  assert.is(robustFamilyByName('edge-robust'), undefined);
});

test.run();
