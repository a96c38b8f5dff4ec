import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSolvable, slaLowerBound } from '../../../../actors/minds/attacker/solvability.js';
import { baselines } from '../../../../sim/baselines/index.js';
import { Scenario, type ScenarioInput } from '../../../../sim/scenario.js';
import { defaultParams } from '../../../../sim/workload/defaults.js';
import { generateFromParams } from '../../../../sim/workload/generate.js';
import { mergeParams, parseParams } from '../../../../sim/workload/params.js';

const witnesses = ['best-fit', 'first-fit'].map((n) => ({ policyId: `b-${n}`, policy: baselines[n]! }));

/** One node of 4 cores; `n` tasks of 4 cores × 10 s arriving together, each with an SLA of 12 s. */
function queueing(n: number, deps = false): Scenario {
  const input: ScenarioInput = {
    id: 'queue',
    domain: 'cloud',
    nodes: [{ id: 'n0', cores: 4, mips: 1000 }],
    tasks: Array.from({ length: n }, (_, i) => ({ id: `t${i}`, arrival: 0, cores: 4, duration: 10, sla: 12, deps: deps && i > 0 ? [`t${i - 1}`] : [] })),
  };
  return Scenario.parse(input);
}

test('given a dependency chain that cannot meet its SLAs even with the fleet to itself, when bounding, then every task after the first is a certain violation', () => {
  const bound = slaLowerBound(queueing(5, true));
  assert.is(bound.certain, 4);
  assert.is(bound.rate, 0.8);
});

test('given such a scenario, when checking solvability, then it is rejected by the bound without any simulation', () => {
  const r = checkSolvable(queueing(5, true), witnesses, 0.05);
  assert.not.ok(r.solvable);
  assert.is(r.trials.length, 0);
  assert.match(r.reason, /miss their SLA even alone/);
});

test('given tasks that fit alone but must queue on one node, when checking, then the bound passes but every witness violates and it is rejected', () => {
  const s = queueing(5);
  assert.is(slaLowerBound(s).certain, 0);
  const r = checkSolvable(s, witnesses, 0.05);
  assert.not.ok(r.solvable);
  assert.is(r.trials.length, 2);
  assert.ok(r.trials.every((t) => t.slaViolationRate > 0.05));
  assert.match(r.reason, /unsolvable as far as known/);
});

test('given a single task, when checking, then the first witness proves it solvable and the others are not run', () => {
  const r = checkSolvable(queueing(1), witnesses, 0.05);
  assert.ok(r.solvable);
  assert.is(r.witness?.policyId, 'b-best-fit');
  assert.is(r.trials.length, 1);
  assert.is(checkSolvable(queueing(1), witnesses, 0.05, true).trials.length, 2);
});

test('given generated scenarios at every level, when bounding, then the bound never exceeds what a baseline achieves', () => {
  for (const level of [1, 3, 5, 7]) {
    const s = generateFromParams(parseParams(mergeParams(defaultParams('cloud', level), {})), 3);
    const r = checkSolvable(s, witnesses, 1, true);
    for (const t of r.trials) if (t.failure === null) assert.ok(r.bound.rate <= t.slaViolationRate + 1e-12, `level ${level}: bound ${r.bound.rate} > ${t.policyId} ${t.slaViolationRate}`);
  }
});

test.run();
