// The engine's documented semantics, one behaviour per test, with values worked out by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PolicyRuntimeError } from '../../../sim/policy/compiled.js';
import { simulate } from '../../../sim/simulate.js';
import { firstFitHand, handPolicy, node, pinned, scenario, task } from './helpers.js';

const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${msg ?? ''} ${a} ≉ ${b}`);

test('given a powered, priced node, when one task runs, then energy, cost and utilisation are integrated exactly', () => {
  const s = scenario({
    nodes: [node('n0', 2, 1000, { powerIdle: 100, powerPeak: 200, pricePerHour: 3.6 })],
    tasks: [task('t0', 1, 10_000)],
  });
  const { metrics } = simulate(s, pinned(() => 0));
  close(metrics.energy, 1500); // 10 s at 100 + 100 × 1/2 W
  close(metrics.cost, 0.01); // 10 s at 0.001 per s
  close(metrics.utilisation, 0.5);
  assert.is(metrics.nodesUsed, 1);
  assert.is(metrics.makespan, 10);
});

test('given a price change mid-run, when the node is open across it, then cost integrates both prices', () => {
  const s = scenario({
    nodes: [node('n0', 2, 1000, { pricePerHour: 3.6, zone: 'eu' }), node('n1', 2, 1000, { pricePerHour: 3.6, zone: 'us' })],
    tasks: [task('t0', 1, 10_000), task('t1', 1, 10_000)],
    environment: { prices: [{ at: 5, multiplier: 2, zone: 'eu' }] },
  });
  const { metrics } = simulate(s, pinned((t) => t));
  close(metrics.cost, 0.015 + 0.01);
});

test('given nodes open only while they hold work, when tasks run at different times, then open intervals follow them', () => {
  const s = scenario({
    nodes: [node('n0', 1, 1000)],
    tasks: [task('t0', 1, 1000), task('t1', 1, 1000, { arrival: 5 })],
  });
  const r = simulate(s, pinned(() => 0), { trace: true });
  assert.equal(r.trace!.nodes[0].open, [
    [0, 1],
    [5, 6],
  ]);
});

test('given a task that fits no node, when it arrives, then it is dropped as infeasible and listed', () => {
  const s = scenario({
    nodes: [node('n0', 2, 1000, { memory: 4 })],
    tasks: [task('big', 4, 1000), task('fat', 1, 1000, { memory: 8 }), task('ok', 1, 1000), task('orphan', 1, 1000, { deps: ['nope'] })],
  });
  const r = simulate(s, pinned(() => 0), { trace: true });
  assert.equal(r.infeasible, ['big', 'fat', 'orphan']);
  assert.is(r.metrics.dropped, 3);
  assert.is(r.metrics.completed, 1);
  assert.equal(
    r.trace!.tasks.map((t) => t.outcome),
    ['infeasible', 'infeasible', 'completed', 'infeasible'],
  );
});

test('given admit says no to high-priority tasks, when they arrive, then they are rejected', () => {
  const s = scenario({ nodes: [node('n0', 1, 1000)], tasks: [task('a', 1, 1000, { priority: 5 }), task('b', 1, 1000)] });
  const r = simulate(s, handPolicy({ score: () => 0, admit: (c) => c.task.spec.priority < 5 }), { trace: true });
  assert.equal(
    r.trace!.tasks.map((t) => t.outcome),
    ['rejected', 'completed'],
  );
});

test('given a dependency chain, when the first task finishes, then the next starts at that instant, not before', () => {
  const s = scenario({
    nodes: [node('n0', 4, 1000)],
    tasks: [task('a', 1, 10_000), task('b', 1, 5_000, { deps: ['a'] }), task('c', 1, 1_000, { deps: ['a', 'b'] })],
  });
  const r = simulate(s, pinned(() => 0), { trace: true });
  assert.equal(
    r.trace!.tasks.map((t) => [t.start, t.finish]),
    [
      [0, 10],
      [10, 15],
      [15, 16],
    ],
  );
});

test('given a dependency that is dropped, when its dependents wait for it, then they are dropped too', () => {
  const s = scenario({
    nodes: [node('n0', 1, 1000)],
    tasks: [task('a', 1, 1000, { priority: 1 }), task('b', 1, 1000, { deps: ['a'] }), task('c', 1, 1000, { deps: ['b'], arrival: 50 })],
  });
  const r = simulate(s, handPolicy({ score: () => 0, admit: (c) => c.task.spec.priority > 1 }), { trace: true });
  assert.equal(
    r.trace!.tasks.map((t) => t.outcome),
    ['rejected', 'dropped', 'dropped'],
  );
});

test('given a node failure, when a task runs there, then it is killed, re-queued and finishes elsewhere', () => {
  const s = scenario({
    nodes: [node('n0', 1, 1000), node('n1', 1, 1000)],
    tasks: [task('t0', 1, 10_000)],
    environment: { failures: [{ node: 'n0', at: 5, until: 8 }] },
  });
  const r = simulate(s, firstFitHand(), { trace: true });
  const t = r.trace!.tasks[0];
  assert.is(r.metrics.killed, 1);
  assert.is(t.attempts, 1);
  assert.is(t.node, 'n1');
  assert.equal([t.start, t.finish], [5, 15]);
  assert.equal(r.trace!.nodes[0].down, [[5, 8]]);
  assert.equal(r.trace!.nodes[0].open, [[0, 5]]);
  assert.equal(
    t.history.map((h) => [h.node, h.start, h.end, h.ended]),
    [
      ['n0', 0, 5, 'killed'],
      ['n1', 5, 15, 'completed'],
    ],
  );
});

test('given maxRetries 0, when a failure kills a task, then it is dropped', () => {
  const s = scenario({
    nodes: [node('n0', 1, 1000), node('n1', 1, 1000)],
    tasks: [task('t0', 1, 10_000, { sla: 100 })],
    maxRetries: 0,
    environment: { failures: [{ node: 'n0', at: 5 }] },
  });
  const r = simulate(s, firstFitHand(), { trace: true });
  assert.is(r.metrics.dropped, 1);
  assert.is(r.metrics.slaViolations, 1);
  assert.is(r.trace!.tasks[0].outcome, 'dropped');
  assert.equal(r.trace!.nodes[0].down, [[5, null]]);
});

test('given a down node, when tasks arrive, then it is never a candidate and the task waits for recovery', () => {
  const s = scenario({
    nodes: [node('n0', 1, 1000)],
    tasks: [task('t0', 1, 1000, { arrival: 1 })],
    environment: { failures: [{ node: 'n0', at: 0, until: 4 }] },
  });
  const r = simulate(s, pinned(() => 0), { trace: true });
  assert.equal([r.trace!.tasks[0].start, r.trace!.tasks[0].finish], [4, 5]);
});

test('given an energy budget, when it is spent, then the node dies for good and its task moves', () => {
  const s = scenario({
    domain: 'edge',
    nodes: [node('d0', 1, 1000, { powerIdle: 100, powerPeak: 100, energyBudget: 1000, kind: 'device' }), node('n1', 1, 1000)],
    tasks: [task('t0', 1, 20_000)],
  });
  const r = simulate(s, firstFitHand(), { trace: true });
  assert.is(r.metrics.killed, 1);
  assert.equal(r.trace!.nodes[0].down, [[10, null]]);
  close(r.trace!.nodes[0].energy, 1000);
  assert.equal([r.trace!.tasks[0].node, r.trace!.tasks[0].start, r.trace!.tasks[0].finish], ['n1', 10, 30]);
});

test('given edge latency and a congestion window on the zone, when a task reads from a source, then it starts after the slowed latency', () => {
  const s = scenario({
    domain: 'edge',
    nodes: [node('e0', 1, 1000, { zone: 'edge', latency: { cam: 2 } })],
    tasks: [task('t0', 1, 1000, { source: 'cam' }), task('t1', 1, 1000, { source: 'cam', arrival: 10 })],
    environment: { congestion: [{ target: 'edge', from: 9, until: 20, factor: 0.5 }] },
  });
  const r = simulate(s, pinned(() => 0), { trace: true });
  assert.equal(
    r.trace!.tasks.map((t) => [t.placedAt, t.start, t.finish]),
    [
      [0, 2, 3],
      [10, 14, 15],
    ],
  );
});

test('given a source with no latency entry and no link, when the task arrives, then it is infeasible (unreachable)', () => {
  const s = scenario({ domain: 'edge', nodes: [node('e0', 1, 1000, { latency: { cam: 1 } })], tasks: [task('t0', 1, 1000, { source: 'mic' })] });
  assert.equal(simulate(s, pinned(() => 0)).infeasible, ['t0']);
});

test('given two transfers on one link, when they overlap, then they share its bandwidth fairly', () => {
  const s = scenario({
    domain: 'network',
    nodes: [node('n0', 2, 1000, { zone: 'dc' })],
    links: [{ id: 'l0', source: 's', zone: 'dc', bandwidth: 8, latency: 1 }],
    tasks: [task('a', 1, 1000, { source: 's', dataSize: 1 }), task('b', 1, 1000, { source: 's', dataSize: 2 })],
  });
  const r = simulate(s, pinned(() => 0), { trace: true });
  // a: 8 Mbit at 4 Mbit/s → 2 s; b: 8 Mbit by 2 s, then 8 Mbit alone at 8 → 3 s; + 1 s latency each.
  assert.equal(
    r.trace!.tasks.map((t) => [t.start, t.finish]),
    [
      [3, 4],
      [4, 5],
    ],
  );
});

test('given a task running on a time-shared node, when another is placed there with data in flight, then the first still finishes on time', () => {
  const s = scenario({
    domain: 'network',
    nodes: [node('n0', 2, 250, { zone: 'a' })],
    links: [{ id: 'l0', source: 's', zone: 'a', bandwidth: 8 }],
    tasks: [
      { id: 'a', arrival: 2.5, cores: 1, duration: 3, utilisation: 0.25 },
      { id: 'b', arrival: 5, cores: 1, duration: 0.5, source: 's', dataSize: 1 },
    ],
  });
  const r = simulate(s, pinned(() => 0), { trace: true });
  assert.equal(
    r.trace!.tasks.map((t) => [t.start, t.finish]),
    [
      [2.5, 5.5],
      [6, 6.5],
    ],
  );
});

test('given a congestion window on a link, when a transfer crosses its start, then the rate changes at the boundary', () => {
  const s = scenario({
    domain: 'network',
    nodes: [node('n0', 1, 1000, { zone: 'dc' })],
    links: [{ id: 'l0', source: 's', zone: 'dc', bandwidth: 8 }],
    tasks: [task('a', 1, 1000, { source: 's', dataSize: 2 })],
    environment: { congestion: [{ target: 'l0', from: 1, until: 100, factor: 0.5 }] },
  });
  const r = simulate(s, pinned(() => 0), { trace: true });
  // 8 Mbit in the first second, 8 more at 4 Mbit/s → 3 s.
  assert.equal([r.trace!.tasks[0].start, r.trace!.tasks[0].finish], [3, 4]);
});

test('given a data task whose source has no link into a zone, when links exist, then nodes there are excluded', () => {
  const s = scenario({
    domain: 'network',
    nodes: [node('n0', 1, 1000, { zone: 'a', latency: { s: 0.1 } }), node('n1', 1, 1000, { zone: 'b' })],
    links: [{ id: 'l0', source: 's', zone: 'b', bandwidth: 80 }],
    tasks: [task('t0', 1, 1000, { source: 's', dataSize: 1 })],
  });
  const r = simulate(s, handPolicy({ score: () => 0 }), { trace: true, explainTask: 't0' });
  assert.is(r.trace!.tasks[0].node, 'n1');
  assert.equal(r.explanation!.excluded, [{ node: 'n0', index: 0, by: 'engine', reason: 'no link from source s to zone a' }]);
});

test('given duration tasks, when they share a core, then they scale with their share but not with node speed', () => {
  const s = scenario({
    nodes: [node('slow', 1, 250)],
    tasks: [
      { id: 'a', arrival: 0, cores: 1, duration: 10 },
      { id: 'b', arrival: 0, cores: 1, duration: 10 },
    ],
  });
  const r = simulate(s, pinned(() => 0), { trace: true });
  assert.equal(
    r.trace!.tasks.map((t) => t.finish),
    [20, 20],
  );
});

test('given memory as a hard resource, when a node is short of memory now, then the engine excludes it with the reason', () => {
  const s = scenario({
    nodes: [node('n0', 8, 1000, { memory: 4 }), node('n1', 8, 1000, { memory: 8 })],
    tasks: [task('a', 1, 10_000, { memory: 4 }), task('b', 1, 10_000, { memory: 2 })],
  });
  const r = simulate(s, firstFitHand(), { trace: true, explainTask: 'b' });
  assert.equal(
    r.trace!.tasks.map((t) => t.node),
    ['n0', 'n1'],
  );
  assert.equal(r.explanation!.excluded, [{ node: 'n0', index: 0, by: 'engine', reason: 'memory short: needs 2 GB, 0 GB free' }]);
});

test('given the queue order and a blocked head, when a later task fits, then it is placed (non-blocking)', () => {
  const s = scenario({
    nodes: [node('n0', 2, 1000)],
    tasks: [task('running', 1, 10_000), task('big', 2, 1000, { arrival: 1 }), task('small', 1, 1000, { arrival: 1 })],
  });
  const r = simulate(s, firstFitHand(), { trace: true });
  assert.equal(
    r.trace!.tasks.map((t) => [t.start, t.finish]),
    [
      [0, 10],
      [10, 11],
      [1, 2],
    ],
  );
});

test('given an order key, when several tasks are ready, then lower keys are placed first, ties by ready time then index', () => {
  const s = scenario({
    nodes: [node('n0', 1, 1000, { mode: 'space-shared' })],
    tasks: [task('a', 1, 1000, { priority: 1 }), task('b', 1, 1000, { priority: 5 }), task('c', 1, 1000, { priority: 5 })],
  });
  const r = simulate(s, handPolicy({ score: () => 0, order: (t) => -t.spec.priority }), { trace: true });
  assert.equal(
    r.trace!.tasks.map((t) => t.start),
    [2, 0, 1],
  );
});

test('given nodesToScore 1, when a task is placed, then only the first passing node after the last placement is scored', () => {
  const s = scenario({
    nodes: [node('n0', 4, 1000), node('n1', 4, 1000), node('n2', 4, 1000)],
    tasks: [task('a', 1, 1e6), task('b', 1, 1e6), task('c', 1, 1e6), task('d', 1, 1e6)],
  });
  // The score prefers the highest index, yet each decision sees one node: the scan is cyclic.
  const r = simulate(s, handPolicy({ score: (c) => c.node!.index, nodesToScore: 1 }), { trace: true, explainTask: 'b' });
  assert.equal(
    r.trace!.tasks.map((t) => t.node),
    ['n0', 'n1', 'n2', 'n0'],
  );
  assert.equal(r.explanation!.candidates.map((c) => c.node), ['n1']);
  assert.equal(
    r.explanation!.excluded.map((e) => [e.node, e.by]),
    [
      ['n0', 'limit'],
      ['n2', 'limit'],
    ],
  );
});

test('given a policy whose score faults on one node, when it is evaluated there, then the run stops with a recorded failure', () => {
  const s = scenario({
    nodes: [node('n0', 1, 1000), node('n1', 1, 1000)],
    tasks: [task('t0', 1, 1000), task('t1', 1, 1000, { arrival: 3 })],
  });
  const policy = handPolicy({
    score: (c) => {
      if (c.node!.index === 1 && c.task.index === 1) throw new PolicyRuntimeError('score: division by zero', 'score');
      return 0;
    },
  });
  const r = simulate(s, policy);
  assert.equal(r.failure, { kind: 'policy-error', message: 'score: division by zero', taskId: 't1', nodeId: 'n1', time: 3 });
  assert.is(r.metrics.completed, 1);
  assert.is(r.metrics.dropped, 1);
});

test('given a score that returns NaN, when evaluated, then it is a policy failure, not a silent schedule', () => {
  const s = scenario({ nodes: [node('n0', 1, 1000)], tasks: [task('t0', 1, 1000)] });
  const r = simulate(s, handPolicy({ score: () => NaN }));
  assert.is(r.failure?.kind, 'policy-error');
  assert.is(r.failure?.nodeId, 'n0');
});

test('given an order key that faults, when the task becomes ready, then the failure names the task without a node', () => {
  const s = scenario({ nodes: [node('n0', 1, 1000)], tasks: [task('t0', 1, 1000)] });
  const policy = handPolicy({
    score: () => 0,
    order: () => {
      throw new PolicyRuntimeError('order: log of 0', 'order');
    },
  });
  const r = simulate(s, policy);
  assert.equal(r.failure, { kind: 'policy-error', message: 'order: log of 0', taskId: 't0', time: 0 });
});

test('given an explained task, when several nodes compete, then the explanation lists the winner, runners-up and exclusions', () => {
  const s = scenario({
    nodes: [node('n0', 1, 1000), node('n1', 4, 1000), node('n2', 8, 1000), node('n3', 2, 1000)],
    tasks: [task('t0', 2, 1000)],
    environment: { failures: [{ node: 'n3', at: 0, until: 1 }] },
  });
  const policy = handPolicy({ filter: (c) => c.node!.freeCores < 8, score: (c) => c.node!.freeCores });
  const r = simulate(s, policy, { explainTask: 't0' });
  const e = r.explanation!;
  assert.is(e.task, 't0');
  assert.is(e.time, 0);
  assert.is(e.chosen, 'n1');
  assert.equal(e.candidates, [{ node: 'n1', index: 1, score: 4, terms: [{ label: 'hand', value: 4 }] }]);
  assert.equal(e.excluded, [
    { node: 'n0', index: 0, by: 'engine', reason: 'cores 2 > node cores 1' },
    { node: 'n2', index: 2, by: 'filter', reason: 'filter: hand filter' },
    { node: 'n3', index: 3, by: 'engine', reason: 'down' },
  ]);
});

test('given a task re-placed after a failure, when explained, then the explanation is of its last placement', () => {
  const s = scenario({
    nodes: [node('n0', 1, 1000), node('n1', 1, 1000)],
    tasks: [task('t0', 1, 10_000)],
    environment: { failures: [{ node: 'n0', at: 5 }] },
  });
  const r = simulate(s, firstFitHand(), { explainTask: 't0' });
  assert.is(r.explanation!.time, 5);
  assert.is(r.explanation!.chosen, 'n1');
  assert.is(r.explanation!.attempts, 1);
});

test('given tenants holding cores, when a policy reads tenant shares, then it sees dominant shares of up capacity', () => {
  const seen: number[] = [];
  const s = scenario({
    nodes: [node('n0', 4, 1000, { memory: 10 }), node('n1', 4, 1000, { memory: 10 })],
    tasks: [task('a', 2, 10_000, { tenant: 'x', memory: 1 }), task('b', 1, 10_000, { tenant: 'y', memory: 5, arrival: 1 })],
  });
  simulate(
    s,
    handPolicy({
      score: (c) => {
        if (c.task.index === 1 && c.node!.index === 0) seen.push(c.sim.tenantShare('x'), c.sim.tenantShare('y'));
        return -c.node!.index;
      },
    }),
  );
  assert.equal(seen, [2 / 8, 0]);
});

test('given SLAs, when some tasks finish late, then violations and p95 are counted from the simulator', () => {
  const s = scenario({
    nodes: [node('n0', 1, 1000, { mode: 'space-shared' })],
    tasks: Array.from({ length: 20 }, (_, i) => task(`t${i}`, 1, 1000, { sla: 10 })),
  });
  const { metrics } = simulate(s, pinned(() => 0));
  // Latencies 1..20: ten above 10; mean 10.5; nearest-rank p95 = the 19th.
  assert.is(metrics.slaViolations, 10);
  assert.is(metrics.slaViolationRate, 0.5);
  assert.is(metrics.avgLatency, 10.5);
  assert.is(metrics.p95Latency, 19);
});

test('given a policy that reads random, when run twice, then it places identically and indexes give way to full scans', () => {
  const s = scenario({
    seed: 42,
    nodes: Array.from({ length: 6 }, (_, i) => node(`n${i}`, 4, 1000)),
    tasks: Array.from({ length: 30 }, (_, i) => task(`t${i}`, 1, 1000 + 100 * i, { arrival: i % 7 })),
  });
  const policy = () => handPolicy({ name: 'rand', filter: (c) => c.node!.freeCores >= c.task.spec.cores, score: (c) => c.sim.random() });
  const a = simulate(s, policy(), { trace: true });
  const b = simulate(s, policy(), { trace: true });
  const c = simulate(s, policy(), { trace: true, fullScan: true });
  assert.equal(a.trace, b.trace);
  assert.equal(a.trace, c.trace);
  assert.ok(new Set(a.trace!.tasks.map((t) => t.node)).size > 2);
});

test('given a decision, then the views report the live state of nodes and of the run', () => {
  const seen: Record<string, unknown>[] = [];
  const s = scenario({
    domain: 'edge',
    nodes: [
      node('n0', 2, 1000, { powerIdle: 10, powerPeak: 10, pricePerHour: 2, zone: 'z', latency: { cam: 1 } }),
      node('n1', 2, 1000, { mode: 'space-shared', zone: 'z', latency: { cam: 1 } }),
    ],
    links: [{ id: 'l0', source: 'cam', zone: 'z', bandwidth: 16, latency: 0.5 }],
    tasks: [task('a', 2, 10_000), task('b', 2, 10_000, { arrival: 1 }), task('c', 1, 1000, { arrival: 5, source: 'cam', dataSize: 4 }), task('d', 1, 1000, { arrival: 5 })],
    environment: {
      failures: [{ node: 'n1', at: 2, until: 4 }],
      prices: [{ at: 3, multiplier: 3 }],
      congestion: [{ target: 'z', from: 4.5, until: 9, factor: 0.5 }],
    },
  });
  const policy = handPolicy({
    score: (c) => {
      if (c.task.index === 2) {
        const n = c.node!;
        seen.push({
          node: n.spec.id, free: n.freeCores, running: n.running, queued: n.queued, open: n.open, up: n.up,
          price: n.price, energy: n.energyUsed, uptime: n.observedUptime,
          queue: c.sim.queueLength, now: c.sim.now, last: c.sim.lastPlacedNode, count: c.sim.nodeCount,
          latency: c.sim.latency('cam', n), transfer: c.sim.transferTime('cam', 4, n), nowhere: c.sim.latency('mic', n),
        });
      }
      return c.task.index === 1 ? c.node!.index : -c.node!.index;
    },
  });
  simulate(s, policy);
  // At t = 5: a and b share n0 (b moved there when n1 failed at 2; n0 open since 0 at 10 W); n1 is up
  // again since 4 and empty; prices tripled at 3; the zone is congested (factor 0.5) since 4.5.
  assert.equal(seen, [
    { node: 'n0', free: -2, running: 2, queued: 0, open: true, up: true, price: 6, energy: 50, uptime: 1, queue: 2, now: 5, last: 0, count: 2, latency: 2, transfer: 4.5, nowhere: Infinity },
    { node: 'n1', free: 2, running: 0, queued: 0, open: false, up: true, price: 0, energy: 0, uptime: 0.6, queue: 2, now: 5, last: 0, count: 2, latency: 2, transfer: 4.5, nowhere: Infinity },
  ]);
});

test('given an admit expression that faults, when a task arrives, then the run stops with the failure', () => {
  const s = scenario({ nodes: [node('n0', 1, 1000)], tasks: [task('t0', 1, 1000, { arrival: 2 })] });
  const policy = handPolicy({
    score: () => 0,
    admit: () => {
      throw new PolicyRuntimeError('admit: bad', 'admit');
    },
  });
  assert.equal(simulate(s, policy).failure, { kind: 'policy-error', message: 'admit: bad', taskId: 't0', time: 2 });
});

test.run();
