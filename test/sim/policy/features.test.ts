import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { FEATURES, FEATURE_NAMES, NO_FIT, NO_SLA, UNREACHABLE, featureDef } from '../../../sim/policy/features.js';
import { parseExpression } from '../../../sim/policy/parser.js';
import type { DecisionContext } from '../../../sim/decision-context.js';
import { context, nodeView, simView, taskView } from './support/context.js';

const value = (name: string, ctx: DecisionContext): number => featureDef(name)!.get(ctx);

test('given the registry, when read, then every feature has a unique parseable name, a unit, a doc and the right scope', () => {
  assert.is(new Set(FEATURES.map((f) => f.name)).size, FEATURES.length);
  assert.equal([...FEATURE_NAMES], FEATURES.map((f) => f.name).sort());
  for (const f of FEATURES) {
    assert.equal(parseExpression(f.name).expr, { op: 'feature', name: f.name }, f.name);
    assert.ok(f.unit.length > 0 && f.doc.length > 0, f.name);
    assert.is(f.needsNode, f.name.startsWith('node.'), f.name);
    if (f.binpack?.kind === 'index') assert.is(f.depends, 'index');
  }
  for (const name of ['task.cores', 'task.sla', 'tenant.share', 'node.free_cores_after', 'node.alignment', 'node.rr_distance', 'random', 'now']) {
    assert.ok(featureDef(name), name);
  }
});

test('given a task on a node with memory, when read, then capacity features agree with each other', () => {
  const c = context(taskView({ cores: 2, memory: 4 }), nodeView({ spec: { cores: 8, memory: 16 }, freeCores: 6, freeMemory: 10 }));
  assert.is(value('node.free_cores_after', c), 4);
  assert.is(value('node.free_memory_after', c), 6);
  assert.is(value('node.cpu_free_frac_after', c), 0.5);
  assert.is(value('node.mem_free_frac_after', c), 6 / 16);
  assert.is(value('node.cpu_alloc_frac_after', c), 0.5);
  assert.is(value('node.mem_alloc_frac_after', c), 10 / 16);
  assert.is(value('node.load', c), 0.25);
  assert.is(value('node.cpu_residual', c), 2 / 6);
  assert.is(value('node.mem_residual', c), 4 / 10);
  assert.is(value('node.alignment', c), (2 / 8) * (6 / 8) + (4 / 16) * (10 / 16));
});

test('given a node that does not model memory, when read, then the task memory is ignored there', () => {
  const c = context(taskView({ cores: 1, memory: 4 }), nodeView({ spec: { cores: 2, memory: 0 }, freeCores: 2, freeMemory: -4 }));
  assert.is(value('node.free_memory', c), 0);
  assert.is(value('node.free_memory_after', c), 0);
  assert.is(value('node.mem_free_frac_after', c), 1);
  assert.is(value('node.mem_alloc_frac_after', c), 0);
  assert.is(value('node.mem_residual', c), 0);
  assert.is(value('node.alignment', c), 0.5 * 1);
  const full = context(taskView({ cores: 1 }), nodeView({ freeCores: 0 }));
  assert.is(value('node.cpu_residual', full), NO_FIT);
});

test('given tasks with and without an SLA, when read, then deadline and slack use the documented stand-in', () => {
  const sim = simView({ now: 30 });
  const withSla = context(taskView({ arrival: 10, sla: 50, cores: 2, length: 4000, utilisation: 0.5 }), null, sim);
  assert.is(value('task.deadline', withSla), 60);
  assert.is(value('task.slack', withSla), 30);
  assert.is(value('task.wait', withSla), 20);
  assert.is(value('task.has_sla', withSla), 1);
  assert.is(value('task.work', withSla), 8000);
  assert.is(value('task.duration_est', withSla), 8);
  const none = context(taskView({ arrival: 10 }), null, sim);
  assert.is(value('task.sla', none), NO_SLA);
  assert.is(value('task.deadline', none), 10 + NO_SLA);
  assert.is(value('task.has_sla', none), 0);
  assert.is(value('task.duration_est', context(taskView({ duration: 7 }), null)), 7);
});

test('given node timing features, when read, then exec time, latency, transfer, finish and SLA slack add up', () => {
  const sim = simView({ now: 100, latency: () => 0.5, transfer: (_s, mb) => mb / 10 });
  const t = taskView({ arrival: 90, sla: 40, cores: 1, length: 20_000, dataSize: 30, source: 'cam' });
  const c = context(t, nodeView({ spec: { mips: 2000 } }), sim);
  assert.is(value('node.exec_time', c), 10);
  assert.is(value('node.latency', c), 0.5);
  assert.is(value('node.transfer', c), 3);
  assert.is(value('node.finish_est', c), 113.5);
  assert.is(value('node.sla_slack_after', c), 130 - 113.5);
  const cut = context(t, nodeView(), simView({ latency: () => Infinity, transfer: () => Infinity }));
  assert.is(value('node.latency', cut), UNREACHABLE);
  assert.is(value('node.transfer', cut), UNREACHABLE);
  assert.is(value('node.reachable', cut), 0);
  assert.is(value('node.reachable', c), 1);
});

test('given power, price and energy, when read, then the marginal estimates follow the documented formulas', () => {
  const spec = { cores: 4, powerIdle: 100, powerPeak: 300, pricePerHour: 3.6, energyBudget: 1000 };
  const closed = context(taskView({ cores: 2, length: 10_000, utilisation: 0.5 }), nodeView({ spec, open: false, energyUsed: 250 }));
  assert.is(value('node.power_delta', closed), 200 * 0.5 * 0.5 + 100);
  assert.is(value('node.cost_est', closed), (3.6 / 3600) * 20);
  assert.is(value('node.price_per_core', closed), 0.9);
  assert.is(value('node.energy_left_frac', closed), 0.75);
  const open = context(closed.task, nodeView({ spec, open: true }));
  assert.is(value('node.power_delta', open), 50);
  assert.is(value('node.cost_est', open), (3.6 / 3600) * 20 * 0.5);
  assert.is(value('node.energy_left_frac', context(closed.task, nodeView())), 1);
  assert.is(value('node.is_edge', context(closed.task, nodeView({ spec: { kind: 'device' } }))), 1);
});

test('given the previous placement, when rr_distance is read, then it counts cyclic steps after it', () => {
  const d = (index: number, last: number) => value('node.rr_distance', context(taskView(), nodeView({}, index), simView({ nodeCount: 4, lastPlacedNode: last })));
  assert.equal([0, 1, 2, 3].map((i) => d(i, -1)), [0, 1, 2, 3]);
  assert.equal([0, 1, 2, 3].map((i) => d(i, 1)), [2, 3, 0, 1]);
  assert.equal([0, 1, 2, 3].map((i) => d(i, 3)), [0, 1, 2, 3]);
});

test('given any well-formed context, when every feature is read, then every value is finite', () => {
  const arb = fc.record({
    cores: fc.integer({ min: 1, max: 64 }),
    memory: fc.oneof(fc.constant(0), fc.double({ min: 0.5, max: 512, noNaN: true })),
    taskCores: fc.integer({ min: 1, max: 64 }),
    taskMemory: fc.double({ min: 0, max: 512, noNaN: true }),
    freeCores: fc.integer({ min: -64, max: 64 }),
    freeMemory: fc.double({ min: -512, max: 512, noNaN: true }),
    open: fc.boolean(),
    sla: fc.option(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { nil: undefined }),
    now: fc.double({ min: 0, max: 1e7, noNaN: true }),
    unreachable: fc.boolean(),
  });
  fc.assert(
    fc.property(arb, (a) => {
      const sim = simView({ now: a.now, latency: () => (a.unreachable ? Infinity : 0.1), transfer: () => (a.unreachable ? Infinity : 2) });
      const c = context(
        taskView({ cores: a.taskCores, memory: a.taskMemory, sla: a.sla, arrival: 0 }),
        nodeView({ spec: { cores: a.cores, memory: a.memory, energyBudget: 10 }, freeCores: a.freeCores, freeMemory: a.freeMemory, open: a.open }),
        sim,
      );
      for (const f of FEATURES) assert.ok(Number.isFinite(f.get(c)), `${f.name} = ${f.get(c)}`);
    }),
    { numRuns: 300 },
  );
});

test.run();
