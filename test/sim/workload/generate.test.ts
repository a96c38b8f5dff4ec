import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { z } from 'zod';
import type { Domain } from '../../../sim/scenario.js';
import { infeasibleTasks, validateScenario } from '../../../sim/validate.js';
import { defaultParams } from '../../../sim/workload/defaults.js';
import { canonicalJson, generateFromParams, generateScenario } from '../../../sim/workload/generate.js';
import { LEVEL_ANCHORS, levelName, levelSize } from '../../../sim/workload/levels.js';
import { GeneratorParams, mergeParams, ParamsError, parseParams } from '../../../sim/workload/params.js';

const DOMAINS: Domain[] = ['cloud', 'edge', 'network', 'hybrid'];

test('given the same domain, level and seed, when generating twice, then the JSON is identical', () => {
  for (const domain of DOMAINS) {
    const a = JSON.stringify(generateScenario({ domain, level: 6, seed: 42 }));
    const b = JSON.stringify(generateScenario({ domain, level: 6, seed: 42 }));
    assert.is(a, b, domain);
  }
});

test('given different seeds, when generating, then the scenarios differ (ids and tasks)', () => {
  for (const domain of DOMAINS) {
    const a = generateScenario({ domain, level: 4, seed: 1 });
    const b = generateScenario({ domain, level: 4, seed: 2 });
    assert.is.not(a.id, b.id);
    assert.is.not(JSON.stringify(a.tasks), JSON.stringify(b.tasks), domain);
  }
});

test('given every domain and level, when generating, then the scenario validates with no warnings and no infeasible task', () => {
  for (const domain of DOMAINS) {
    for (let level = 1; level <= 10; level++) {
      const s = generateScenario({ domain, level, seed: level * 7 });
      const round = validateScenario(JSON.parse(JSON.stringify(s)));
      if (!round.ok) assert.unreachable(`${domain} ${level}: ${round.errors.join('; ')}`);
      else assert.equal(round.warnings, [], `${domain} ${level}`);
      assert.equal(infeasibleTasks(s), []);
      assert.is(s.level, level);
      assert.is(s.domain, domain);
    }
  }
});

test('given the proposal anchors, when sizing levels, then tasks and nodes match them exactly', () => {
  for (const a of LEVEL_ANCHORS) {
    const size = levelSize(a.level);
    assert.equal([size.tasks, size.nodes, size.name], [a.tasks, a.nodes, a.name]);
    const s = generateScenario({ domain: 'cloud', level: a.level, seed: 3 });
    assert.is(s.tasks.length, a.tasks);
    assert.is(s.nodes.length, a.nodes);
  }
  assert.equal([levelName(2), levelName(4), levelName(6), levelName(9)], ['basic', 'intermediate', 'advanced', 'expert']);
});

test('given increasing levels, when sizing, then tasks and nodes never shrink', () => {
  for (let level = 2; level <= 10; level++) {
    assert.ok(levelSize(level).tasks >= levelSize(level - 1).tasks);
    assert.ok(levelSize(level).nodes >= levelSize(level - 1).nodes);
  }
  assert.throws(() => levelSize(0), /level must be an integer 1–10/);
  assert.throws(() => levelSize(11), /level must be an integer 1–10/);
});

test('given increasing levels, when taking default parameters, then every difficulty knob grows or holds', () => {
  for (const domain of DOMAINS) {
    for (let level = 2; level <= 10; level++) {
      const lo = defaultParams(domain, level - 1);
      const hi = defaultParams(domain, level);
      assert.ok(hi.loadFactor > lo.loadFactor, `load ${domain} ${level}`);
      assert.ok(hi.failures.fraction >= lo.failures.fraction, `failures ${domain} ${level}`);
      assert.ok(hi.congestion.windows >= lo.congestion.windows, `congestion ${domain} ${level}`);
      assert.ok(hi.prices.spikes >= lo.prices.spikes, `prices ${domain} ${level}`);
      assert.ok(hi.sla.tightness > lo.sla.tightness && hi.sla.fraction > lo.sla.fraction, `sla ${domain} ${level}`);
      assert.ok(hi.dependencies.density >= lo.dependencies.density, `deps ${domain} ${level}`);
      assert.ok(hi.heterogeneity > lo.heterogeneity, `heterogeneity ${domain} ${level}`);
    }
  }
  const easy = generateScenario({ domain: 'hybrid', level: 1, seed: 5 });
  const hard = generateScenario({ domain: 'hybrid', level: 10, seed: 5 });
  assert.is(easy.environment.failures.length + easy.environment.congestion.length + easy.environment.prices.length, 0);
  assert.ok(hard.environment.failures.length > 0 && hard.environment.congestion.length > 0 && hard.environment.prices.length > 0);
  assert.ok(hard.tasks.filter((t) => t.sla !== undefined).length > easy.tasks.filter((t) => t.sla !== undefined).length);
  assert.ok(hard.tasks.some((t) => t.deps.length > 0));
});

test('given a load factor, when generating, then the offered load over the arrival horizon matches it', () => {
  for (const loadFactor of [0.2, 0.9]) {
    const s = generateScenario({ domain: 'cloud', level: 5, seed: 9, overrides: { loadFactor } });
    const horizon = (s.provenance as { horizon: number }).horizon;
    const cores = s.nodes.reduce((a, n) => a + n.cores, 0);
    const meanMips = s.nodes.reduce((a, n) => a + n.cores * n.mips, 0) / cores;
    const work = s.tasks.reduce((a, t) => a + t.cores * (t.duration ?? t.length! / meanMips), 0);
    // Rounding of the horizon to 1 ms and of task sizes is all that separates them.
    assert.ok(Math.abs(work / (cores * horizon) - loadFactor) < 0.01, `${work / (cores * horizon)} vs ${loadFactor}`);
    assert.ok(s.tasks.every((t) => t.arrival >= 0 && t.arrival < horizon));
  }
});

test('given overrides, when generating, then they are deep-merged over the level defaults', () => {
  const s = generateScenario({ domain: 'cloud', level: 3, seed: 1, overrides: { tasks: 40, arrival: { pattern: 'sporadic' }, failures: { fraction: 0 } } });
  const p = (s.provenance as { params: GeneratorParams }).params;
  assert.is(s.tasks.length, 40);
  assert.is(p.arrival.pattern, 'sporadic');
  assert.is(p.arrival.jitter, defaultParams('cloud', 3).arrival.jitter);
  assert.is(s.environment.failures.length, 0);
  assert.is(p.nodes, defaultParams('cloud', 3).nodes);
});

test('given params, when round-tripped through JSON, then the scenario is the same (params are plain data)', () => {
  const p = defaultParams('network', 7);
  const back = parseParams(JSON.parse(JSON.stringify(p)));
  assert.equal(back, p);
  assert.is(canonicalJson(generateFromParams(back, 11)), canonicalJson(generateFromParams(p, 11)));
  const schema = z.toJSONSchema(GeneratorParams, { io: 'input' }) as { properties: Record<string, { minimum?: number; maximum?: number }> };
  assert.equal([schema.properties.tasks!.minimum, schema.properties.tasks!.maximum], [1, 5000]);
});

test('given the number of tasks changes, when generating, then the nodes stay the same (one stream per purpose)', () => {
  const a = generateScenario({ domain: 'edge', level: 5, seed: 4 });
  const b = generateScenario({ domain: 'edge', level: 5, seed: 4, overrides: { tasks: 77 } });
  assert.equal(a.nodes.map((n) => [n.id, n.cores, n.zone, n.latency]), b.nodes.map((n) => [n.id, n.cores, n.zone, n.latency]));
});

test('given out-of-range parameters, when parsing, then every problem is named by path', () => {
  const bad = mergeParams(defaultParams('cloud', 2), { tasks: 0, sla: { tightness: 2 }, network: { bandwidth: { min: 10, max: 1 } }, extra: 1 });
  try {
    parseParams(bad);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, ParamsError);
    const problems = (err as ParamsError).problems;
    assert.ok(problems.includes('tasks: must be at least 1'), problems.join('\n'));
    assert.ok(problems.includes('sla.tightness: must be at most 1'), problems.join('\n'));
    assert.ok(problems.includes('network.bandwidth: min must not exceed max'), problems.join('\n'));
    assert.ok(problems.includes("params: unknown field 'extra'"), problems.join('\n'));
    assert.match((err as Error).message, /^invalid generator parameters: .* \(and 3 more\)$/);
  }
  assert.throws(() => generateFromParams(defaultParams('cloud', 1), -1), /seed must be an integer/);
  assert.throws(() => generateFromParams(defaultParams('cloud', 1), 1.5), /seed must be an integer/);
});

test('given the edge domain, when generating, then devices have energy budgets and reach only local sources', () => {
  const s = generateScenario({ domain: 'edge', level: 8, seed: 2 });
  const devices = s.nodes.filter((n) => n.kind === 'device');
  assert.ok(devices.length > 0);
  for (const d of devices) {
    assert.ok(d.energyBudget !== undefined && d.energyBudget > 0);
    const site = Number(d.zone.replace('site-', ''));
    const sites = new Set(s.nodes.map((n) => n.zone)).size;
    for (const source of Object.keys(d.latency)) assert.is(Number(source.replace('src-', '')) % sites, site);
  }
  assert.ok(s.tasks.some((t) => t.source !== undefined && t.dataSize > 0));
});

test('given the network and hybrid domains, when generating, then every source has a link and sourced tasks are reachable', () => {
  for (const domain of ['network', 'hybrid'] as const) {
    const s = generateScenario({ domain, level: 9, seed: 8 });
    const sources = new Set(s.tasks.flatMap((t) => (t.source ? [t.source] : [])));
    assert.ok(sources.size > 0);
    for (const source of sources) assert.ok(s.links.some((l) => l.source === source), `${domain} ${source}`);
    assert.ok(s.links.every((l) => l.bandwidth > 0));
  }
  const hybrid = generateScenario({ domain: 'hybrid', level: 5, seed: 1 });
  assert.ok(hybrid.nodes.some((n) => n.kind === 'host') && hybrid.nodes.some((n) => n.kind !== 'host'));
});

test('given failures, when generating, then the largest node never fails and failures end after they start', () => {
  for (let seed = 0; seed < 20; seed++) {
    const s = generateScenario({ domain: 'cloud', level: 10, seed, overrides: { failures: { fraction: 1, permanent: 0.5 } } });
    const biggest = Math.max(...s.nodes.map((n) => n.cores));
    const failed = new Set(s.environment.failures.map((f) => f.node));
    assert.is(failed.size, s.nodes.length - 1);
    assert.ok(s.nodes.some((n) => n.cores === biggest && !failed.has(n.id)));
    for (const f of s.environment.failures) assert.ok(f.until === undefined || f.until > f.at);
  }
});

test('given price spikes, when generating, then they never overlap and each is reset to 1', () => {
  const s = generateScenario({ domain: 'hybrid', level: 10, seed: 3, overrides: { prices: { spikes: 6, zonal: 0 } } });
  const p = s.environment.prices;
  assert.is(p.length, 12);
  for (let i = 0; i < p.length; i += 2) {
    assert.ok(p[i]!.multiplier > 1 && p[i + 1]!.multiplier === 1);
    assert.ok(p[i + 1]!.at > p[i]!.at);
    if (i > 0) assert.ok(p[i]!.at >= p[i - 1]!.at);
  }
});

test('property: any parameters inside the documented ranges give a valid, feasible scenario', () => {
  const arbitraryOverrides = fc.record({
    domain: fc.constantFrom<Domain>('cloud', 'edge', 'network', 'hybrid'),
    tasks: fc.integer({ min: 1, max: 60 }),
    nodes: fc.integer({ min: 1, max: 20 }),
    loadFactor: fc.double({ min: 0.01, max: 3, noNaN: true }),
    heterogeneity: fc.double({ min: 0, max: 1, noNaN: true }),
    zones: fc.integer({ min: 1, max: 20 }),
    tenants: fc.integer({ min: 1, max: 100 }),
    arrival: fc.record({
      pattern: fc.constantFrom('poisson', 'bursty', 'periodic', 'sporadic', 'diurnal'),
      bursts: fc.integer({ min: 1, max: 1000 }),
      burstWidth: fc.double({ min: 0.0001, max: 1, noNaN: true }),
      tailIndex: fc.double({ min: 1.05, max: 5, noNaN: true }),
    }),
    mix: fc.record({
      deeprm: fc.integer({ min: 0, max: 5 }),
      batch: fc.integer({ min: 0, max: 5 }),
      interactive: fc.integer({ min: 0, max: 5 }),
      hpc: fc.integer({ min: 0, max: 5 }),
      sensor: fc.integer({ min: 0, max: 5 }),
      stream: fc.integer({ min: 1, max: 5 }),
    }),
    failures: fc.record({ fraction: fc.double({ min: 0, max: 1, noNaN: true }), downtime: fc.double({ min: 0, max: 1, noNaN: true }) }),
    congestion: fc.record({ windows: fc.integer({ min: 0, max: 10 }), severity: fc.double({ min: 0, max: 0.95, noNaN: true }) }),
    prices: fc.record({ spikes: fc.integer({ min: 0, max: 10 }), length: fc.double({ min: 0.001, max: 1, noNaN: true }) }),
    sla: fc.record({ fraction: fc.double({ min: 0, max: 1, noNaN: true }), tightness: fc.double({ min: 0, max: 1, noNaN: true }) }),
    dependencies: fc.record({ density: fc.double({ min: 0, max: 1, noNaN: true }), maxDeps: fc.integer({ min: 1, max: 8 }) }),
    data: fc.record({ sources: fc.integer({ min: 0, max: 30 }) }),
    edge: fc.record({ sites: fc.integer({ min: 1, max: 50 }), deviceFraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
    network: fc.record({ linkDensity: fc.double({ min: 0, max: 1, noNaN: true }) }),
    cloudFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  });
  fc.assert(
    fc.property(arbitraryOverrides, fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (overrides, level, seed) => {
      const s = generateScenario({ domain: overrides.domain, level, seed, overrides });
      const r = validateScenario(JSON.parse(JSON.stringify(s)));
      return r.ok && r.warnings.length === 0 && s.tasks.length === overrides.tasks && s.nodes.length === overrides.nodes;
    }),
    { numRuns: 150, seed: 20240601 },
  );
});

test.run();
