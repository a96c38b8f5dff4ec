import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AuroraEvent } from '../../events/catalogue.js';
import {
  curriculumLevels,
  curriculumProjection,
  currentLevel,
  decisionWindow,
  shouldAdvance,
  verifyCurriculum,
} from '../../projections/curriculum.js';
import { fold } from '../../projections/fold.js';
import { baseline, evaluation, eventsOf, given, proposal, runStarted, scenarioProposal, type EventMaker } from './support/events.js';
import { syntheticRun } from '../../src/bench/synthetic-run.js';

/** One iteration: `results[i]` says whether the defender's candidate solved scenario i; then completes it unless `open`. */
function iteration(e: EventMaker, i: number, results: boolean[], open = false): AuroraEvent[] {
  e.at(i);
  const out: AuroraEvent[] = [];
  results.forEach((solved, k) => {
    const s = `s${i}-${k}`;
    out.push(e('ScenarioProposed', scenarioProposal(s)));
    out.push(e('EvaluationCompleted', evaluation('cand', s, 0.5, solved)));
  });
  if (!open) out.push(e('IterationCompleted', { iteration: i, level: 0, evaluations: results.length, bestReward: 0.5, leader: null, leaderRating: null }));
  return out;
}

const all = (n: number, solved = true) => new Array<boolean>(n).fill(solved);

test('given the proposal, when reading the levels, then they are basic to master with their sizes and difficulties', () => {
  assert.equal(
    curriculumLevels.map((l) => [l.name, l.tasks, l.nodes, l.difficulty]),
    [
      ['basic', 5, 3, 1],
      ['intermediate', 20, 10, 3],
      ['advanced', 50, 25, 5],
      ['expert', 100, 50, 7],
      ['master', 500, 100, 10],
    ],
  );
});

test('given fewer than 20 results, when deciding, then the run does not advance even if all were solved', () => {
  const e = eventsOf('r1');
  const state = fold(curriculumProjection, [...iteration(e, 1, all(5)), ...iteration(e, 2, all(5)), ...iteration(e, 3, all(5), true)]);
  const d = shouldAdvance(state, 'r1');
  assert.is(d.window, 15);
  assert.is(d.successRate, 1);
  assert.is(d.advance, false);
});

test('given 20 results with the open iteration, when 14 are solved, then the run advances from 0 to 1', () => {
  const e = eventsOf('r1');
  const events = [
    ...iteration(e, 1, [true, true, false, true, true]),
    ...iteration(e, 2, [true, false, true, true, false]),
    ...iteration(e, 3, [true, true, true, false, true]),
    ...iteration(e, 4, [false, true, false, true, true], true),
  ];
  const d = shouldAdvance(fold(curriculumProjection, events), 'r1');
  assert.equal(d, { advance: true, from: 0, to: 1, successRate: 0.7, window: 20, threshold: 0.7 });
});

test('given 13 of the last 20 solved, when deciding, then the run stays', () => {
  const e = eventsOf('r1');
  const events = [
    ...iteration(e, 1, [true, true, true, true, true]),
    ...iteration(e, 2, [true, false, true, true, false]),
    ...iteration(e, 3, [true, true, false, false, true]),
    ...iteration(e, 4, [false, true, false, true, false], true),
  ];
  const d = shouldAdvance(fold(curriculumProjection, events), 'r1');
  assert.is(d.successRate, 13 / 20);
  assert.is(d.advance, false);
});

test('given more than 20 results, when deciding, then only the last 20 count, in scenario-id order per iteration', () => {
  const e = eventsOf('r1');
  // Iteration 1 failed everything; the next four solve everything: the window forgets iteration 1.
  const events = [...iteration(e, 1, all(5, false)), ...[2, 3, 4].flatMap((i) => iteration(e, i, all(5))), ...iteration(e, 5, all(5), true)];
  const state = fold(curriculumProjection, events);
  const window = decisionWindow(state, 'r1');
  assert.is(window.length, 20);
  assert.is(window[0]!.scenarioId, 's2-0');
  assert.is(shouldAdvance(state, 'r1').successRate, 1);
});

test('given a better-rewarded unsolved candidate, when another candidate solved it, then the scenario counts as solved', () => {
  const e = eventsOf('r1').at(1);
  const state = fold(
    curriculumProjection,
    given(
      e('ScenarioProposed', scenarioProposal('s')),
      e('EvaluationCompleted', evaluation('good-but-late', 's', 0.9, false)),
      e('EvaluationCompleted', evaluation('solid', 's', 0.8, true)),
    ),
  );
  assert.equal(decisionWindow(state, 'r1'), [{ scenarioId: 's', solved: true }]);
});

test('given equal rewards, when one candidate solved it, then the scenario counts as solved', () => {
  const e = eventsOf('r1').at(1);
  const state = fold(
    curriculumProjection,
    given(
      e('ScenarioProposed', scenarioProposal('s')),
      e('EvaluationCompleted', evaluation('a', 's', 0.8, false)),
      e('EvaluationCompleted', evaluation('b', 's', 0.8, true)),
    ),
  );
  assert.equal(decisionWindow(state, 'r1'), [{ scenarioId: 's', solved: true }]);
});

test('given only a baseline solved it, when judging the scenario, then it is not solved by the defender', () => {
  const e = eventsOf('r1').at(1);
  const state = fold(
    curriculumProjection,
    given(
      e('PolicyProposed', baseline('best-fit')),
      e('PolicyProposed', proposal('cand')),
      e('ScenarioProposed', scenarioProposal('s')),
      e('EvaluationCompleted', evaluation('best-fit', 's', 0.9, true)),
      e('EvaluationCompleted', evaluation('cand', 's', 0.5, false)),
    ),
  );
  assert.equal(decisionWindow(state, 'r1'), [{ scenarioId: 's', solved: false }]);
});

test('given a scenario nobody evaluated, or evaluated only in a later iteration, when its iteration completes, then it counts as not solved', () => {
  const e = eventsOf('r1');
  const state = fold(
    curriculumProjection,
    given(
      e.at(1)('ScenarioProposed', scenarioProposal('never')),
      e.at(1)('ScenarioProposed', scenarioProposal('late')),
      e.at(2)('EvaluationCompleted', evaluation('cand', 'late', 1, true)),
      e.at(2)('IterationCompleted', { iteration: 1, level: 0, evaluations: 0, bestReward: 0, leader: null, leaderRating: null }),
    ),
  );
  assert.equal(state.runs.r1!.recent, [
    { scenarioId: 'late', solved: false },
    { scenarioId: 'never', solved: false },
  ]);
});

test('given a CurriculumAdvanced, when folded, then the level moves and a new window starts', () => {
  const e = eventsOf('r1');
  const events = [...[1, 2, 3].flatMap((i) => iteration(e, i, all(5))), ...iteration(e, 4, all(5), true)];
  events.push(e.at(4)('CurriculumAdvanced', { from: 0, to: 1, successRate: 1, window: 20 }));
  events.push(e.at(4)('IterationCompleted', { iteration: 4, level: 1, evaluations: 5, bestReward: 1, leader: null, leaderRating: null }));
  const state = fold(curriculumProjection, events);
  assert.is(currentLevel(state, 'r1').name, 'intermediate');
  assert.equal(decisionWindow(state, 'r1'), []);
  assert.is(shouldAdvance(state, 'r1').advance, false);
  assert.is(verifyCurriculum(events), null);
});

test('given a run at master, when everything is solved, then it never advances', () => {
  const e = eventsOf('r1');
  const events: AuroraEvent[] = [];
  for (let level = 0; level < 4; level++) events.push(e.at(0)('CurriculumAdvanced', { from: level, to: level + 1, successRate: 1, window: 20 }));
  events.push(...[1, 2, 3, 4].flatMap((i) => iteration(e, i, all(5))));
  const d = shouldAdvance(fold(curriculumProjection, events), 'r1');
  assert.is(d.window, 20);
  assert.is(d.advance, false);
  assert.is(d.from, 4);
});

test('given a run configuring the window and threshold, when deciding, then they are used', () => {
  const e = eventsOf('r1');
  const events = [e('RunStarted', runStarted('r1', { curriculum: { window: 4, threshold: 0.5 } })), ...iteration(e, 1, [true, false, true, false], true)];
  assert.equal(shouldAdvance(fold(curriculumProjection, events), 'r1'), { advance: true, from: 0, to: 1, successRate: 0.5, window: 4, threshold: 0.5 });
});

// ── verifyCurriculum ─────────────────────────────────────────────────────────────────────────────

const recordedRun = () => [...syntheticRun({ runId: 'c1', iterations: 30, seed: 5 })];

test('given a run that advanced whenever the decision said so, when verified, then there is no mismatch', () => {
  const events = recordedRun();
  assert.ok(events.filter((ev) => ev.type === 'CurriculumAdvanced').length >= 2);
  assert.is(verifyCurriculum(events), null);
});

test('given a recorded advance removed, when verified, then the iteration is a missed advance', () => {
  const events = recordedRun();
  const index = events.findIndex((ev) => ev.type === 'CurriculumAdvanced');
  const removed = events.splice(index, 1)[0]!;
  const mismatch = verifyCurriculum(events);
  assert.is(mismatch?.kind, 'missed-advance');
  assert.is(mismatch?.iteration, removed.metadata.iteration);
});

test('given an advance recorded too early, when verified, then it is unexpected', () => {
  const events = recordedRun();
  const e = eventsOf('c1').at(1);
  const firstIterationEnd = events.findIndex((ev) => ev.type === 'IterationCompleted');
  events.splice(firstIterationEnd, 0, e('CurriculumAdvanced', { from: 0, to: 1, successRate: 1, window: 5 }));
  assert.is(verifyCurriculum(events)?.kind, 'unexpected-advance');
});

test('given an advance with a tampered success rate, when verified, then it differs', () => {
  const events = recordedRun();
  const index = events.findIndex((ev) => ev.type === 'CurriculumAdvanced');
  const original = events[index] as Extract<AuroraEvent, { type: 'CurriculumAdvanced' }>;
  events[index] = { ...original, data: { ...original.data, successRate: 0.99 } };
  const mismatch = verifyCurriculum(events);
  assert.is(mismatch?.kind, 'advance-differs');
  assert.is(mismatch?.expected.successRate, original.data.successRate);
});

test.run();
