import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fold } from '../../projections/fold.js';
import {
  bestPerDomain,
  bestPerLevel,
  lineage,
  meanReward,
  policies,
  policyLibraryProjection,
  policyOf,
} from '../../projections/policy-library.js';
import { evaluation, eventsOf, given, policyDoc, proposal, scenarioProposal } from './support/events.js';

const e = eventsOf('r1');

const library = () =>
  fold(
    policyLibraryProjection,
    given(
      e.at(1)('ScenarioProposed', scenarioProposal('c1', { domain: 'cloud', level: 1 })),
      e.at(1)('ScenarioProposed', scenarioProposal('e1', { domain: 'edge', level: 3 })),
      e.at(1)('PolicyProposed', proposal('root', { operator: 'baseline', author: 'baseline', rationale: 'first fit' })),
      e.at(1)('PolicyImported', { policyId: 'imp', policy: { ...policyDoc('imp'), author: 'lab' }, source: { run: 'r0', policyId: 'x' }, rating: 1620 }),
      e.at(2)('PolicyProposed', proposal('child', { parents: ['root', 'imp'], operator: 'crossover', rationale: 'mix', scenarioId: 'c1' })),
      e.at(3)('PolicyProposed', proposal('grandchild', { parents: ['child'], operator: 'mutate:constant' })),
      e.at(3)('EvaluationCompleted', evaluation('child', 'c1', 0.8, true)),
      e.at(3)('EvaluationCompleted', evaluation('child', 'e1', 0.2, false)),
      e.at(3)('EvaluationCompleted', evaluation('root', 'c1', 0.6, false)),
      e.at(3)('EvaluationCompleted', evaluation('root', 'e1', 0.5, true)),
      e.at(3)('EvaluationCompleted', evaluation('grandchild', 'e1', 0.5, true)),
      e.at(3)('MatchPlayed', { matchId: 'm', scenarioId: 'c1', players: ['child', 'root'], rewards: [0.8, 0.6], outcomes: [1] }),
      e.at(3)('RatingChanged', { policyId: 'child', matchId: 'm', before: 1500, after: 1516 }),
      e.at(3)('RatingChanged', { policyId: 'root', matchId: 'm', before: 1500, after: 1484 }),
    ),
  );

test('given proposed and imported policies, when folded, then each has its lineage, author and rationale', () => {
  const state = library();
  assert.equal(policies(state, 'r1').map((p) => p.policyId), ['child', 'grandchild', 'imp', 'root']);
  const child = policyOf(state, 'r1', 'child')!;
  assert.equal([child.origin, child.parents, child.operator, child.author, child.rationale, child.scenarioId, child.iteration], [
    'proposed', ['root', 'imp'], 'crossover', 'defender:offline', 'mix', 'c1', 2,
  ]);
  const imp = policyOf(state, 'r1', 'imp')!;
  assert.equal([imp.origin, imp.operator, imp.author, imp.source, imp.rating], ['imported', 'import', 'lab', { run: 'r0', policyId: 'x' }, 1620]);
  assert.equal(lineage(state, 'r1', 'grandchild'), ['child', 'root', 'imp']);
});

test('given evaluations and rating changes, when folded, then counts, mean rewards and ratings follow', () => {
  const state = library();
  const child = policyOf(state, 'r1', 'child')!;
  assert.is(child.evaluations, 2);
  assert.is(child.solved, 1);
  assert.is(meanReward(child), 0.5);
  assert.is(child.rating, 1516);
  assert.is(child.ratingChanges, 1);
  assert.equal(child.byDomain, { cloud: { evaluations: 1, rewardSum: 0.8 }, edge: { evaluations: 1, rewardSum: 0.2 } });
  assert.equal(child.byLevel, { '1': { evaluations: 1, rewardSum: 0.8 }, '3': { evaluations: 1, rewardSum: 0.2 } });
  assert.is(policyOf(state, 'r1', 'grandchild')!.rating, null);
});

test('given policies evaluated across domains and levels, when asking for the best, then the highest mean wins and ties go to more evaluations', () => {
  const state = library();
  assert.equal(bestPerDomain(state, 'r1'), {
    cloud: { policyId: 'child', meanReward: 0.8, evaluations: 1 },
    edge: { policyId: 'grandchild', meanReward: 0.5, evaluations: 1 },
  });
  assert.equal(bestPerLevel(state, 'r1')['1'], { policyId: 'child', meanReward: 0.8, evaluations: 1 });
  // root and grandchild both average 0.5 on the edge; the lower id among equals with one evaluation is kept.
  const more = fold(policyLibraryProjection, [e.at(4)('EvaluationCompleted', evaluation('root', 'e1', 0.5, true))], state);
  assert.equal(bestPerDomain(more, 'r1').edge, { policyId: 'root', meanReward: 0.5, evaluations: 2 });
});

test('given an evaluation of a scenario never proposed, when folded, then it is counted under the unknown domain', () => {
  const state = fold(policyLibraryProjection, [e('EvaluationCompleted', evaluation('ghost', 'nowhere', 0.3, false))]);
  const ghost = policyOf(state, 'r1', 'ghost')!;
  assert.is(ghost.origin, 'unknown');
  assert.equal(ghost.byDomain, { unknown: { evaluations: 1, rewardSum: 0.3 } });
  assert.equal(ghost.byLevel, {});
});

test.run();
