import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AuroraEvent } from '../../events/catalogue.js';
import { fold } from '../../projections/fold.js';
import {
  objectives,
  overallFront,
  overallFrontier,
  overallPoints,
  paretoProjection,
  scenarioFrontier,
  scenarioIds,
  scenarioPoints,
} from '../../projections/pareto.js';
import { evaluation, eventsOf, given, scores } from './support/events.js';

const e = eventsOf('r1');

test('given evaluations of three policies on a scenario, when folded, then the front holds the non-dominated ones', () => {
  const state = fold(
    paretoProjection,
    given(
      e('EvaluationCompleted', evaluation('fast', 's1', 0.6, false, scores({ latency: 0.9, cost: 0.2 }))),
      e('EvaluationCompleted', evaluation('cheap', 's1', 0.6, false, scores({ latency: 0.2, cost: 0.9 }))),
      e('EvaluationCompleted', evaluation('meh', 's1', 0.4, false, scores({ latency: 0.2, cost: 0.2 }))),
    ),
  );
  const frontier = scenarioFrontier(state, 'r1', 's1');
  assert.equal(frontier.fronts.map((f) => f.map((p) => p.policyId)), [['cheap', 'fast'], ['meh']]);
  // Two boxes 0.9·0.2 and 0.2·0.9 overlapping in 0.2·0.2, times 0.5³ for the other three objectives.
  const expected = (0.9 * 0.2 + 0.2 * 0.9 - 0.2 * 0.2) * 0.5 ** 3;
  assert.ok(Math.abs(frontier.hypervolume - expected) < 1e-12);
});

test('given a repeated evaluation of a policy on a scenario, when folded, then its latest scores count', () => {
  const state = fold(
    paretoProjection,
    given(
      e('EvaluationCompleted', evaluation('p', 's1', 0.1, false, scores(0.1))),
      e('EvaluationCompleted', evaluation('p', 's1', 0.7, false, scores(0.7))),
    ),
  );
  assert.equal(scenarioPoints(state, 'r1', 's1'), [{ policyId: 'p', scores: objectives.map(() => 0.7) }]);
  assert.is(state.runs.r1!.evaluations, 2);
});

test('given a policy re-evaluated after others on a scenario, when folded, then only its scores change and points come by policy id', () => {
  const state = fold(
    paretoProjection,
    given(
      e('EvaluationCompleted', evaluation('z', 's1', 0.1, false, scores(0.1))),
      e('EvaluationCompleted', evaluation('m', 's1', 0.2, false, scores(0.2))),
      e('EvaluationCompleted', evaluation('a', 's1', 0.3, false, scores(0.3))),
      e('EvaluationCompleted', evaluation('m', 's1', 0.9, false, scores({ latency: 0.9, cost: 0.8, energy: 0.7, qos: 0.6, utilisation: 0.5 }))),
    ),
  );
  assert.equal(scenarioPoints(state, 'r1', 's1'), [
    { policyId: 'a', scores: objectives.map(() => 0.3) },
    { policyId: 'm', scores: [0.9, 0.8, 0.7, 0.6, 0.5] },
    { policyId: 'z', scores: objectives.map(() => 0.1) },
  ]);
});

test('given the same evaluations in another order, when folded, then the overall points are exactly equal', () => {
  const events: AuroraEvent[] = [];
  for (let p = 0; p < 12; p++) {
    for (let s = 0; s < 4; s++) events.push(e('EvaluationCompleted', evaluation(`p${p}`, `s${s}`, 0.5, false, scores(((p * 13 + s * 7) % 17) / 17 + 0.01))));
  }
  const reversed = [...events].reverse();
  assert.equal(overallPoints(fold(paretoProjection, reversed), 'r1'), overallPoints(fold(paretoProjection, events), 'r1'));
});

test('given a policy evaluated on two scenarios, when asking for the overall frontier, then its point is its mean score', () => {
  const state = fold(
    paretoProjection,
    given(
      e('EvaluationCompleted', evaluation('a', 's1', 0.2, false, scores(0.2))),
      e('EvaluationCompleted', evaluation('a', 's2', 0.6, false, scores(0.6))),
      e('EvaluationCompleted', evaluation('b', 's1', 0.3, false, scores(0.3))),
    ),
  );
  const points = overallPoints(state, 'r1');
  assert.equal(points.map((p) => p.policyId), ['a', 'b']);
  assert.ok(points[0]!.scores.every((v) => Math.abs(v - 0.4) < 1e-12));
  const frontier = overallFrontier(state, 'r1');
  assert.equal(frontier.fronts[0]!.map((p) => p.policyId), ['a']);
  assert.ok(Math.abs(frontier.hypervolume - 0.4 ** 5) < 1e-12);
  assert.equal(scenarioIds(state, 'r1'), ['s1', 's2']);
});

test('given no evaluations, when asking for frontiers, then they are empty with zero hypervolume', () => {
  const state = paretoProjection.initialState();
  assert.equal(scenarioFrontier(state, 'r1', 's1'), { fronts: [], hypervolume: 0 });
  assert.equal(overallFrontier(state, 'nope'), { fronts: [], hypervolume: 0 });
});

test('given equal score vectors, when sorted into fronts, then both policies share the first front', () => {
  const state = fold(
    paretoProjection,
    given(e('EvaluationCompleted', evaluation('x', 's', 0.5, true)), e('EvaluationCompleted', evaluation('y', 's', 0.5, true))),
  );
  const frontier = scenarioFrontier(state, 'r1', 's');
  assert.equal(frontier.fronts.map((f) => f.map((p) => p.policyId)), [['x', 'y']]);
  assert.ok(Math.abs(frontier.hypervolume - 0.5 ** 5) < 1e-15);
});

test("given many policies over several scenarios, when asking for the overall front alone, then it is the overall frontier's first front with its hypervolume", () => {
  const events: AuroraEvent[] = [];
  for (let p = 0; p < 30; p++) {
    for (let s = 0; s < 3; s++) {
      const v = (k: number) => ((p * 7 + s * 3 + k * 5) % 11) / 10; // coarse, so ties and dominated points abound
      events.push(e('EvaluationCompleted', evaluation(`p${p}`, `s${s}`, 0.5, false, scores({ latency: v(1), cost: v(2), energy: v(3), qos: v(4), utilisation: v(5) }))));
    }
  }
  const state = fold(paretoProjection, events);
  const full = overallFrontier(state, 'r1');
  const alone = overallFront(state, 'r1');
  assert.ok(alone.front.length > 0 && alone.front.length < 30);
  assert.equal(alone, { front: full.fronts[0]!, hypervolume: full.hypervolume });
  assert.equal(overallFront(state, 'nope'), { front: [], hypervolume: 0 });
});

test.run();
