// The named suites: generated instances are a function of their seed, and what evolution trains on never
// overlaps what the suites test on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BINPACK_TEST_SETS, BINPACK_TRACK_DEFS, UNIFORM_BINPACK, uniformInstance, WEIBULL_TEST_SEEDS, weibullInstance } from '../../src/suites/binpack.js';
import { dataDirCandidates, resolveDataDir, SuiteDataError } from '../../src/suites/data-dir.js';
import { GENERATED_SUITES, GENERATED_TEST_SEEDS } from '../../src/suites/generated.js';
import { parseSuiteRef, SUITE_NAMES, suiteByName, TRANSFER_PAIRS } from '../../src/suites/registry.js';
import { isTestSeed, TRAINING_SEED_BASE, trainingSeed, trainingSeeds } from '../../src/suites/seeds.js';
import { AZURE_DAY_START, TRACE_SPECS, withSla } from '../../src/suites/traces.js';

test('given the registry, when suites are listed, then every suite the issue names is there, with a version', () => {
  for (const name of ['binpack', 'trace-alibaba', 'trace-azure', 'edge', 'network', 'hybrid', 'cloud']) {
    const s = suiteByName(name);
    assert.ok(s, name);
    assert.ok(Number.isInteger(s!.version) && s!.version >= 1, name);
  }
  assert.equal(SUITE_NAMES.length, new Set(SUITE_NAMES).size);
  assert.is(suiteByName('__proto__'), undefined);
  assert.is(parseSuiteRef('binpack:weibull')?.track, 'weibull');
  assert.is(parseSuiteRef('binpack:nope'), undefined);
  assert.is(parseSuiteRef('edge:weibull'), undefined);
  for (const [from, to] of TRANSFER_PAIRS) assert.ok(suiteByName(from) && suiteByName(to));
});

test('given one seed, when a Weibull or uniform instance is generated twice, then the items are identical; another seed differs', () => {
  assert.equal(weibullInstance(1000, 7).items, weibullInstance(1000, 7).items);
  assert.not.equal(weibullInstance(1000, 7).items, weibullInstance(1000, 8).items);
  assert.equal(uniformInstance(250, 7).items, uniformInstance(250, 7).items);
  const u = uniformInstance(2000, 3).items;
  assert.ok(u.every((x) => Number.isInteger(x) && x >= UNIFORM_BINPACK.min && x <= UNIFORM_BINPACK.max));
});

test("given FunSearch's Weibull recipe, when 50,000 sizes are drawn, then they are whole numbers in [1, 100] with the truncated mean 45·Γ(4/3) − 0.5 ≈ 39.68", () => {
  const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((s) => weibullInstance(5000, 900 + s).items);
  assert.ok(items.every((x) => Number.isInteger(x) && x >= 1 && x <= 100));
  const m = items.reduce((a, b) => a + b, 0) / items.length;
  // Standard error ≈ 14.6 / √50,000 ≈ 0.065: 0.25 is four of them; rounding would give 40.18.
  assert.ok(Math.abs(m - 39.68) < 0.25, `mean ${m}`);
});

test('given any evolution seed, when training and validation seeds are drawn, then they are ≥ 2^31, and every test seed is below', () => {
  for (const runSeed of [0, 1, 42, 2 ** 32 - 1]) {
    for (const use of ['train', 'validate'] as const) {
      for (const s of trainingSeeds(runSeed, 'binpack/weibull', use, 50)) {
        assert.ok(s >= TRAINING_SEED_BASE && s < 2 ** 32 && !isTestSeed(s), `${runSeed} ${use} ${s}`);
      }
    }
  }
  const testSeeds = [...GENERATED_TEST_SEEDS, ...Object.values(WEIBULL_TEST_SEEDS).flatMap((w) => [...w.seeds]), 0];
  for (const s of testSeeds) assert.ok(isTestSeed(s), String(s));
  assert.equal(trainingSeeds(5, 'x', 'train', 10), trainingSeeds(5, 'x', 'train', 10));
  assert.is.not(trainingSeed(5, 'x', 'train', 0), trainingSeed(5, 'x', 'validate', 0));
});

test('given the bin-packing tracks, when training instances are drawn, then they are fresh (no test instance), deterministic, and the OR track cycles the four OR sizes', () => {
  const or = BINPACK_TRACK_DEFS.or.instances(3, 'train', 8);
  assert.equal(or.instances.map((i) => i.items.length), [120, 250, 500, 1000, 120, 250, 500, 1000]);
  assert.equal(or.instances.map((i) => i.items), BINPACK_TRACK_DEFS.or.instances(3, 'train', 8).instances.map((i) => i.items));
  const w = BINPACK_TRACK_DEFS.weibull.instances(3, 'train', 2);
  assert.ok(w.instances.every((i) => i.items.length === 5000 && i.capacity === 100));
  // No training instance is a test instance: the generated test sets use seeds below 2^31, the
  // released files are never generated, and a training instance matches no released instance.
  const testIds = new Set(Object.values(WEIBULL_TEST_SEEDS).flatMap((t) => t.seeds.map((s) => `weibull-${t.items}-s${s}`)));
  for (const i of [...or.instances, ...w.instances]) assert.not.ok(testIds.has(i.id), i.id);
  assert.equal(BINPACK_TEST_SETS.map((s) => s.name), ['OR1', 'OR2', 'OR3', 'OR4', 'Weibull5k', 'Weibull10k', 'Weibull100k']);
});

test('given the generated suites, when test and training cases are built, then tests are seeds 1–10, training seeds never are, and the same seed gives the same scenario', () => {
  const edge = GENERATED_SUITES.find((s) => s.name === 'edge')!;
  const cases = edge.test('');
  assert.equal(cases.map((c) => c.scenario.seed), [...GENERATED_TEST_SEEDS]);
  const train = edge.training('', 9, 'train', 3);
  const validate = edge.training('', 9, 'validate', 3);
  for (const c of [...train, ...validate]) assert.ok(c.scenario.seed >= TRAINING_SEED_BASE, c.id);
  const ids = new Set(cases.map((c) => c.scenario.id));
  for (const c of [...train, ...validate]) assert.not.ok(ids.has(c.scenario.id), c.id);
  assert.is(JSON.stringify(edge.training('', 9, 'train', 1)[0]!.scenario), JSON.stringify(train[0]!.scenario));
  assert.is(JSON.stringify(edge.test('')[3]!.scenario), JSON.stringify(cases[3]!.scenario));
});

test('given the trace suites, when their windows are compared, then every training window ends before the first held-out window starts', () => {
  for (const spec of Object.values(TRACE_SPECS)) {
    const firstTest = Math.min(...spec.testStarts);
    for (const s of spec.trainStarts) assert.ok(s + spec.window <= firstTest, `${spec.name}: training window at ${s}`);
    assert.ok(spec.testStarts.length >= 5, `${spec.name}: at least 5 held-out windows`);
  }
  assert.is(TRACE_SPECS['trace-azure'].trainStarts[0], AZURE_DAY_START);
});

test('given a trace task, when the suite maps it, then its SLA is max(2 × duration, duration + 60 s)', () => {
  const task = { id: 't', arrival: 0, cores: 1, memory: 0, priority: 3, deps: [], utilisation: 1, dataSize: 0, tenant: 'x' };
  assert.is(withSla({ ...task, duration: 10 }).sla, 70);
  assert.is(withSla({ ...task, duration: 100 }).sla, 200);
});

test('given --data naming a missing folder, when the data folder is resolved, then it is one clear error; AURORA_DATA is tried before ../shared/data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aurora-data-'));
  try {
    assert.throws(() => resolveDataDir(join(dir, 'nope')), (e: unknown) => e instanceof SuiteDataError && /no such folder/.test((e as Error).message));
    assert.is(resolveDataDir(dir), dir);
    assert.is(dataDirCandidates(undefined, { AURORA_DATA: dir })[0], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
