import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fold } from '../../projections/fold.js';
import { runSummaries, runSummary, runSummaryProjection } from '../../projections/run-summary.js';
import { evaluation, eventsOf, given, proposal, runStarted, scenarioProposal } from './support/events.js';

test('given a run in progress, when folded, then it is running with its iterations, level, leader and best reward', () => {
  const e = eventsOf('r1');
  const state = fold(
    runSummaryProjection,
    given(
      e('RunStarted', runStarted('r1')),
      e.at(1)('ScenarioProposed', scenarioProposal('s')),
      e.at(1)('PolicyProposed', proposal('p')),
      e.at(1)('EvaluationCompleted', evaluation('p', 's', 0.4, false)),
      e.at(1)('EvaluationCompleted', evaluation('q', 's', 0.9, true)),
      e.at(1)('IterationCompleted', { iteration: 1, level: 0, evaluations: 2, bestReward: 0.9, leader: 'q', leaderRating: 1516 }),
      e.at(2)('IterationCompleted', { iteration: 2, level: 1, evaluations: 0, bestReward: 0, leader: 'p', leaderRating: 1530 }),
    ),
  );
  const r = runSummary(state, 'r1')!;
  assert.equal(
    [r.status, r.iterations, r.level, r.bestReward, r.bestPolicy, r.leader, r.leaderRating, r.events, r.evaluations, r.seed, r.mind],
    ['running', 2, 1, 0.9, 'q', 'p', 1530, 7, 2, 1, 'offline'],
  );
  assert.is(state.events, 7);
});

test('given two runs, one completed and one stopped, when folded, then each has its status and champion', () => {
  const a = eventsOf('a');
  const b = eventsOf('b');
  const state = fold(
    runSummaryProjection,
    given(
      a('RunStarted', runStarted('a')),
      b('RunStarted', runStarted('b')),
      a('RunCompleted', { iterations: 3, champion: 'p9', summary: {} }),
      b('RunStopped', { iteration: 1, reason: 'budget', detail: 'token budget spent' }),
    ),
  );
  assert.equal(
    runSummaries(state).map((r) => [r.runId, r.status, r.champion, r.stopReason, r.events]),
    [
      ['a', 'completed', 'p9', null, 2],
      ['b', 'stopped', null, 'budget', 2],
    ],
  );
  assert.is(runSummary(state, 'c'), null);
});

test.run();
