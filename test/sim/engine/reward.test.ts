import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DecisionContext } from '../../../sim/decision-context.js';
import type { Metrics } from '../../../sim/metrics.js';
import { completedWorkShare, computeReward, rewardReferences, utilisationScore } from '../../../sim/reward.js';
import { simulate } from '../../../sim/simulate.js';
import { firstFitHand, handPolicy, node, scenario, task } from './helpers.js';

const base: Metrics = {
  tasks: 10,
  completed: 10,
  dropped: 0,
  avgLatency: 10,
  p95Latency: 10,
  slaViolations: 0,
  slaViolationRate: 0,
  utilisation: 0.8,
  cost: 0,
  energy: 0,
  nodesUsed: 1,
  killed: 0,
  makespan: 10,
  events: 20,
};

const s = scenario({
  nodes: [node('n0', 4, 1000, { pricePerHour: 3.6, powerPeak: 400 }), node('n1', 2, 2000, { pricePerHour: 36, powerPeak: 100 })],
  tasks: [task('a', 1, 10_000, { sla: 20 }), task('b', 2, 20_000, { sla: 40 })],
});

test('given a scenario, then the references follow the documented formulas', () => {
  const r = rewardReferences(s);
  assert.is(r.latencyTarget, 30); // mean SLA
  assert.is(r.coreSeconds, 1 * 5 + 2 * 10); // on the fastest node (2000 MIPS)
  assert.is(r.pricePerCoreSecond, 3.6 / 3600 / 4);
  assert.is(r.peakPowerPerCore, 50);
});

test('given no SLA anywhere, then the latency target is twice the mean ideal run time', () => {
  const plain = scenario({ nodes: [node('n0', 1, 1000)], tasks: [task('a', 1, 1000), task('b', 1, 3000, { utilisation: 0.5 })] });
  assert.is(rewardReferences(plain).latencyTarget, 2 * ((1 + 6) / 2));
});

test('given per-objective scores, then each stays in [0, 1] and the reward is their weighted sum', () => {
  const m = { ...base, tasks: 2, completed: 2, avgLatency: 30, cost: 25 * (3.6 / 3600 / 4), energy: 25 * 50 };
  const { scores, reward } = computeReward(m, s);
  assert.is(scores.latency, 0.5);
  assert.is(scores.cost, 0.5);
  assert.is(scores.energy, 0.5);
  assert.is(scores.qos, 1);
  assert.is(scores.utilisation, 1);
  const w = s.objectives;
  assert.ok(Math.abs(reward - (0.5 * (w.latency + w.cost + w.energy) + w.qos + w.utilisation)) < 1e-12);
});

test('given dropped tasks, then efficiency scores shrink with completion and a penalty applies', () => {
  const all = computeReward({ ...base, tasks: 2, completed: 2, avgLatency: 30 }, s);
  const half = computeReward({ ...base, tasks: 2, completed: 1, dropped: 1, avgLatency: 30, slaViolations: 1, slaViolationRate: 0.5 }, s);
  const none = computeReward({ ...base, tasks: 2, completed: 0, dropped: 2, avgLatency: 0, slaViolations: 2, slaViolationRate: 1, utilisation: 0 }, s);
  assert.is(half.scores.latency, all.scores.latency / 2);
  assert.ok(half.reward < all.reward);
  assert.ok(none.reward <= 0, `dropping everything must not pay: ${none.reward}`);
  assert.equal(none.scores, { latency: 0, cost: 0, energy: 0, qos: 0, utilisation: 0 });
});

test('given utilisation, then the 0.7–0.9 sweet spot scores best', () => {
  assert.is(utilisationScore(0), 0);
  assert.is(utilisationScore(0.35), 0.5);
  assert.is(utilisationScore(0.7), 1);
  assert.is(utilisationScore(0.9), 1);
  assert.ok(Math.abs(utilisationScore(1) - 0.5) < 1e-12);
});

test('given a simulated run, then its reward is computed from its own metrics', () => {
  const r = simulate(s, firstFitHand());
  assert.equal(r.reward, computeReward(r.metrics, s));
  for (const v of Object.values(r.reward.scores)) assert.ok(v >= 0 && v <= 1);
});

test('given the completed tasks, then c is the smaller of the count and work shares and the references are the work done', () => {
  // a (1 core × 5 s) done, b (2 cores × 10 s) not: count share 1/2, work share 5/25.
  const done = (t: number) => t === 0;
  assert.is(completedWorkShare(s, done), 5 / 25);
  const m = { ...base, tasks: 2, completed: 1, dropped: 1, avgLatency: 10, slaViolations: 1, slaViolationRate: 0.5, cost: 5 * (3.6 / 3600 / 4), energy: 5 * 50 };
  const { scores } = computeReward(m, s, done);
  assert.ok(Math.abs(scores.cost - 0.2 / 2) < 1e-12, `cost ${scores.cost}`); // c = 0.2, cost = costRef
  assert.ok(Math.abs(scores.energy - 0.2 / 2) < 1e-12, `energy ${scores.energy}`);
  assert.ok(Math.abs(scores.latency - 0.2 / (1 + 10 / 30)) < 1e-12);
});

test('given a policy that never runs the one long task, then it scores less than one that runs everything', () => {
  // 39 short tasks (four at a time fill host n0) and one long task alone on host n1: leaving the long
  // task unrun saves most of the cost and energy. Under the old references (count share × all the work)
  // that paid (checked below); now the work share (390 of 790 core-seconds) scales the scores.
  const host = { pricePerHour: 3.6, powerIdle: 100, powerPeak: 200 };
  const sc = scenario({
    nodes: [node('n0', 4, 1000, host), node('n1', 4, 1000, host)],
    tasks: [...Array.from({ length: 39 }, (_, k) => task(`s${k}`, 1, 10_000, { arrival: 10 * Math.floor(k / 4), sla: 40 })), task('long', 1, 400_000, { sla: 800 })],
  });
  const spread = (c: DecisionContext) => (c.task.index === 39 ? c.node!.index : -c.node!.index);
  const all = simulate(sc, handPolicy({ name: 'all', filter: (c) => c.task.spec.cores <= c.node!.freeCores, score: spread }));
  const skip = simulate(sc, handPolicy({ name: 'skip-long', filter: (c) => c.task.spec.cores <= c.node!.freeCores && c.task.index < 39, score: spread }));
  assert.is(all.metrics.dropped, 0);
  assert.is(skip.metrics.dropped, 1);
  assert.ok(skip.reward.reward < all.reward.reward, `skipping the long task: ${skip.reward.reward} ≥ ${all.reward.reward}`);
  const old = computeReward(skip.metrics, sc); // no completed set: work share = count share
  assert.ok(old.reward > all.reward.reward, `the old references did not reward the skip: ${old.reward} ≤ ${all.reward.reward}`);
});

test.run();
