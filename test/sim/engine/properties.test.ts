// Properties over generated scenarios: the schedule respects capacity, arrival and dependencies, work is
// conserved, the trace is enough to recompute the metrics, runs repeat byte for byte, and the candidate
// index and decision skipping change nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { simulate, traceHash, type Trace } from '../../../sim/simulate.js';
import type { Scenario } from '../../../sim/scenario.js';
import { arbBacklog, arbPolicyName, arbScenario, policyMakers } from './arbitrary.js';

const RUNS = Number(process.env.AURORA_PROPERTY_RUNS ?? 150);
const EPS = 1e-9;

/** Largest Σ weight over intervals [from, to) that overlap at any instant (ends before starts at ties). */
function peak(intervals: Array<[number, number, number]>): number {
  const points: Array<[number, number]> = [];
  for (const [from, to, w] of intervals) {
    if (to <= from || w === 0) continue;
    points.push([from, w], [to, -w]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let level = 0;
  let max = 0;
  for (const [, d] of points) {
    level += d;
    if (level > max) max = level;
  }
  return max;
}

function checkSchedule(s: Scenario, trace: Trace): void {
  const byId = new Map(s.tasks.map((t, i) => [t.id, i]));
  const nodeOf = new Map(s.nodes.map((n, i) => [n.id, i]));
  const cores: Array<Array<[number, number, number]>> = s.nodes.map(() => []);
  const memory: Array<Array<[number, number, number]>> = s.nodes.map(() => []);
  trace.tasks.forEach((tt, i) => {
    const spec = s.tasks[i];
    for (const h of tt.history) {
      const n = nodeOf.get(h.node)!;
      assert.ok(h.placedAt >= spec.arrival - EPS, `${tt.id} placed before arrival`);
      if (h.start !== null) {
        assert.ok(h.start >= h.placedAt - EPS, `${tt.id} starts before placement`);
        cores[n].push([h.start, h.end, spec.cores]);
      }
      memory[n].push([h.placedAt, h.end, spec.memory]);
      // Nodes are open whenever they hold a task.
      assert.ok(
        trace.nodes[n].open.some(([a, b]) => a <= h.placedAt + EPS && h.end <= b + EPS),
        `${tt.id} on ${h.node} outside an open interval`,
      );
    }
    if (tt.outcome === 'completed') {
      assert.ok(tt.start! >= spec.arrival - EPS, `${tt.id} starts before arrival`);
      for (const d of spec.deps) {
        const dep = trace.tasks[byId.get(d)!];
        assert.is(dep.outcome, 'completed', `${tt.id} completed but dependency ${d} did not`);
        assert.ok(tt.start! >= dep.finish! - EPS, `${tt.id} starts before dependency ${d} finishes`);
        assert.ok(tt.readyAt! >= dep.finish! - EPS);
      }
    }
  });
  s.nodes.forEach((spec, n) => {
    if (spec.mode === 'space-shared') assert.ok(peak(cores[n]) <= spec.cores, `${spec.id} over its cores`);
    if (spec.memory > 0) assert.ok(peak(memory[n]) <= spec.memory + EPS, `${spec.id} over its memory`);
  });
}

test('given generated scenarios and policies, then capacity, arrival and dependency order hold at every instant', () => {
  fc.assert(
    fc.property(arbScenario(), arbPolicyName, (s, name) => {
      const r = simulate(s, policyMakers[name](), { trace: true });
      checkSchedule(s, r.trace!);
    }),
    { numRuns: RUNS },
  );
});

test('given no failures, then the work nodes executed equals the work of the completed tasks', () => {
  fc.assert(
    fc.property(arbScenario({ failures: false, budgets: false }), arbPolicyName, (s, name) => {
      const r = simulate(s, policyMakers[name](), { trace: true });
      if (r.failure) return;
      const executed = r.trace!.nodes.reduce((a, n) => a + n.work, 0);
      const expected = r.trace!.tasks.reduce((a, t) => a + t.work, 0);
      assert.ok(Math.abs(executed - expected) <= 1e-6 * Math.max(1, expected), `${executed} vs ${expected}`);
    }),
    { numRuns: RUNS },
  );
});

test('given failures, then nodes executed at least the work of the completed tasks', () => {
  fc.assert(
    fc.property(arbScenario(), arbPolicyName, (s, name) => {
      const r = simulate(s, policyMakers[name](), { trace: true });
      const executed = r.trace!.nodes.reduce((a, n) => a + n.work, 0);
      const expected = r.trace!.tasks.reduce((a, t) => a + t.work, 0);
      assert.ok(executed >= expected * (1 - 1e-6) - 1e-6, `${executed} vs ${expected}`);
    }),
    { numRuns: RUNS },
  );
});

test('given a trace, then the metrics can be recomputed from it', () => {
  fc.assert(
    fc.property(arbScenario(), arbPolicyName, (s, name) => {
      const { trace, metrics } = simulate(s, policyMakers[name](), { trace: true });
      const done = trace!.tasks.filter((t) => t.outcome === 'completed');
      assert.is(metrics.completed, done.length);
      assert.is(metrics.dropped, s.tasks.length - done.length);
      const lat = done.map((t) => t.finish! - t.arrival);
      const avg = lat.length ? lat.reduce((a, b) => a + b, 0) / lat.length : 0;
      assert.ok(Math.abs(metrics.avgLatency - avg) <= 1e-9 * Math.max(1, avg));
      const sum = (f: (n: Trace['nodes'][number]) => number) => trace!.nodes.reduce((a, n) => a + f(n), 0);
      assert.ok(Math.abs(metrics.energy - sum((n) => n.energy)) <= 1e-6 * Math.max(1, metrics.energy));
      assert.ok(Math.abs(metrics.cost - sum((n) => n.cost)) <= 1e-9 * Math.max(1, metrics.cost));
      assert.is(metrics.nodesUsed, trace!.nodes.filter((n) => n.open.length > 0).length);
      const openCoreSeconds = trace!.nodes.reduce((a, n, i) => a + s.nodes[i].cores * n.open.reduce((x, [p, q]) => x + q - p, 0), 0);
      const util = openCoreSeconds > 0 ? Math.min(1, sum((n) => n.busyCoreSeconds) / openCoreSeconds) : 0;
      assert.ok(Math.abs(metrics.utilisation - util) <= 1e-9);
      // Cost from open intervals when prices never change.
      if (s.environment.prices.length === 0) {
        const cost = trace!.nodes.reduce((a, n, i) => a + (s.nodes[i].pricePerHour / 3600) * n.open.reduce((x, [p, q]) => x + q - p, 0), 0);
        assert.ok(Math.abs(metrics.cost - cost) <= 1e-9 * Math.max(1, cost));
      }
    }),
    { numRuns: RUNS },
  );
});

test('given the same scenario and policy, when run twice, then the trace hashes are equal', () => {
  fc.assert(
    fc.property(arbScenario(), arbPolicyName, (s, name) => {
      const a = simulate(s, policyMakers[name](), { trace: true });
      const b = simulate(s, policyMakers[name](), { trace: true });
      assert.is(traceHash(a.trace!), traceHash(b.trace!));
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  );
});

test('given the candidate index and decision skipping, then results equal a full scan exactly', () => {
  fc.assert(
    fc.property(arbScenario(), arbPolicyName, (s, name) => {
      const fast = simulate(s, policyMakers[name](), { trace: true });
      const full = simulate(s, policyMakers[name](), { trace: true, fullScan: true });
      assert.equal(fast, full, name);
    }),
    { numRuns: 3 * RUNS },
  );
});

test('given many identical nodes, then the index and a full scan agree on every policy', () => {
  const big = arbScenario({ failures: true }).map((s) => ({
    ...s,
    nodes: Array.from({ length: 40 }, (_, i) => ({ ...s.nodes[i % s.nodes.length], id: `m${i}` })),
    environment: { ...s.environment, failures: s.environment.failures.map((f) => ({ ...f, node: `m${Number(f.node.slice(1)) * 3}` })) },
  }));
  fc.assert(
    fc.property(big, arbPolicyName, (s, name) => {
      const fast = simulate(s, policyMakers[name](), { trace: true });
      const full = simulate(s, policyMakers[name](), { trace: true, fullScan: true });
      assert.equal(fast.trace, full.trace, name);
      assert.equal(fast.failure, full.failure, name);
    }),
    { numRuns: RUNS },
  );
});

test('given contended scenarios (queues, retries, skipped decisions), then results equal a full scan exactly', () => {
  const contended = arbScenario({ contended: true }).map((s) => ({
    ...s,
    nodes: Array.from({ length: 3 * s.nodes.length }, (_, i) => ({ ...s.nodes[i % s.nodes.length], id: `c${i}` })),
    environment: { ...s.environment, failures: s.environment.failures.map((f) => ({ ...f, node: `c${f.node.slice(1)}` })) },
  }));
  fc.assert(
    fc.property(contended, arbPolicyName, (s, name) => {
      const fast = simulate(s, policyMakers[name](), { trace: true });
      const full = simulate(s, policyMakers[name](), { trace: true, fullScan: true });
      assert.equal(fast.trace, full.trace, name);
      assert.equal(fast.metrics, full.metrics, name);
      assert.equal(fast.failure, full.failure, name);
      checkSchedule(s, fast.trace!);
    }),
    { numRuns: RUNS },
  );
});

test('given overloaded clusters with a backlog, then skipping and deciding alike change nothing', () => {
  fc.assert(
    fc.property(arbBacklog(), arbPolicyName, (s, name) => {
      const fast = simulate(s, policyMakers[name](), { trace: true });
      const full = simulate(s, policyMakers[name](), { trace: true, fullScan: true });
      assert.equal(fast.trace, full.trace, name);
      assert.equal(fast.failure, full.failure, name);
      checkSchedule(s, fast.trace!);
    }),
    { numRuns: RUNS },
  );
});

test.run();
