// Each baseline's ranking of a small hand-built cluster, worked out by hand from its formula.
import { test } from 'uvu';
import { readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { baselineNames, baselines } from '../../../sim/baselines/registry.js';
import { compilePolicy } from '../../../sim/policy/compile.js';
import type { NodeView } from '../../../sim/decision-context.js';
import { context, nodeView, simView, taskView } from '../policy/support/context.js';

// Task: 2 cores, 2 GB, 10 000 MI (10 s at 1000 MIPS).
const task = taskView({ cores: 2, memory: 2, length: 10_000, source: 'cam' });
const nodes: NodeView[] = [
  nodeView({ spec: { cores: 8, memory: 32, pricePerHour: 1 }, freeCores: 2, freeMemory: 4, open: true }, 0),
  nodeView({ spec: { cores: 16, memory: 64, pricePerHour: 2 }, freeCores: 16, freeMemory: 64, open: false }, 1),
  nodeView({ spec: { cores: 4, memory: 16, pricePerHour: 0.4, kind: 'edge-server' }, freeCores: 3, freeMemory: 4, open: true }, 2),
  // Enough cores but not enough memory: every baseline filters it out.
  nodeView({ spec: { cores: 8, memory: 8 }, freeCores: 4, freeMemory: 1, open: true }, 3),
];
const latency = (_source: string | undefined, n: NodeView) => (n.index === 2 ? 0.01 : 0.05);

/** Feasible node indices, best first (ties: lowest index), as the engine ranks them. */
function ranking(name: string, lastPlacedNode = 0): number[] {
  const p = compilePolicy(baselines[name]);
  const sim = simView({ nodeCount: nodes.length, lastPlacedNode, latency, draws: [0.25, 0.5, 0.75] });
  const scored: { i: number; s: number }[] = [];
  for (const n of nodes) {
    const c = context(task, n, sim);
    if (p.filter(c)) scored.push({ i: n.index, s: p.score(c) });
  }
  return scored.sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.i);
}

const EXPECTED: Record<string, number[]> = {
  // score: -node.index
  'first-fit': [0, 1, 2],
  'first-fit-decreasing': [0, 1, 2],
  sjf: [0, 1, 2],
  edf: [0, 1, 2],
  priority: [0, 1, 2],
  drf: [0, 1, 2],
  // free fractions after: n0 0 + 2/32, n1 14/16 + 62/64, n2 1/4 + 2/16
  'best-fit': [0, 2, 1],
  // free cores after: n0 0, n1 14, n2 1
  'worst-fit': [1, 2, 0],
  // MostAllocated: n0 (100 + 93) / 2 = 96, n1 (12 + 3) / 2 = 7, n2 (75 + 87) / 2 = 81
  'kubernetes-most-allocated': [0, 2, 1],
  // LeastAllocated: n0 (0 + 6) / 2 = 3, n1 (87 + 96) / 2 = 91, n2 (25 + 12) / 2 = 18
  'kubernetes-least-allocated': [1, 2, 0],
  // Balanced: n0 1 vs 30/32 → 96, n1 2/16 vs 2/64 → 95, n2 3/4 vs 14/16 → 93
  'kubernetes-balanced-allocation': [0, 1, 2],
  // Least + Balanced: n0 99, n1 186, n2 111
  'kubernetes-default': [1, 2, 0],
  // alignment: n0 (2/8)(2/8) + (2/32)(4/32), n1 (2/16)(1) + (2/64)(1), n2 (2/4)(3/4) + (2/16)(4/16)
  tetris: [2, 1, 0],
  // -(cpu² + mem²) after: n0 0.0039, n1 1.70, n2 0.078
  'l2-norm': [0, 2, 1],
  // c + m + m/c + c/m: n0 1 + .5 + .5 + 2 = 4, n1 .125 + .03125 + .25 + 4 = 4.41, n2 .667 + .5 + .75 + 1.333 = 3.25
  'alphaevolve-borg': [2, 0, 1],
  // draws 0.25, 0.5, 0.75 in node order
  random: [2, 1, 0],
  // after n0: n1, n2, (n3 filtered), n0
  'round-robin': [1, 2, 0],
  // from n0 itself: n0, n1, n2
  'next-fit': [0, 1, 2],
  // cost: n0 open 1/3600 × 10 × 2/8, n1 closed 2/3600 × 10, n2 open 0.4/3600 × 10 × 2/4
  'cost-greedy': [2, 0, 1],
  // latency: n2 0.01 (edge), n0 and n1 0.05 (tie → lowest index)
  'latency-greedy': [2, 0, 1],
};

test('given the hand-built cluster, when every baseline ranks it, then the order is the one its formula gives', () => {
  assert.equal(Object.keys(EXPECTED).sort(), [...baselineNames].sort());
  for (const name of baselineNames) assert.equal(ranking(name), EXPECTED[name], name);
  // After a placement on n2: next-fit stays on n2 first, round-robin moves on past it.
  assert.equal(ranking('next-fit', 2), [2, 0, 1]);
  assert.equal(ranking('round-robin', 2), [0, 1, 2]);
});

test('given the queue baselines, when keys are computed, then each puts its kind of task first', () => {
  const c = context(task, null, simView({ shares: { big: 0.6, small: 0.1 } }));
  const first = (name: string, a: Parameters<typeof taskView>[0], b: Parameters<typeof taskView>[0]) => {
    const p = compilePolicy(baselines[name]);
    return p.orderKey(taskView(a), c) < p.orderKey(taskView(b), c);
  };
  assert.ok(first('sjf', { length: 10 }, { length: 1000 }));
  assert.ok(first('edf', { arrival: 0, sla: 5 }, { arrival: 0, sla: 50 }));
  assert.ok(first('priority', { priority: 5 }, { priority: 2 }));
  assert.ok(first('drf', { tenant: 'small' }, { tenant: 'big' }));
  assert.ok(first('first-fit-decreasing', { cores: 8 }, { cores: 1 }));
});

test('given every baseline, when compiled, then it has an explanation and a canonical name', () => {
  for (const name of baselineNames) {
    const doc = baselines[name]!;
    assert.is(doc.name, name);
    assert.ok(doc.explain.length > 20, name);
    compilePolicy(doc);
  }
});

test('given every baseline, when docs/policy-language.md is read, then the baseline is in its table', () => {
  const doc = readFileSync(new URL('../../../docs/policy-language.md', import.meta.url), 'utf8');
  for (const name of baselineNames) assert.ok(doc.includes(`\`${name}\``), name);
});

test.run();
