import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AuroraEvent } from '../../events/catalogue.js';
import { encodeCanonical } from '../../events/codec.js';
import { fold } from '../../projections/fold.js';
import { attackerSearch, defenderSearch, evolverEvidence, searchStateProjection } from '../../projections/search-state.js';
import { readAttackerSearch } from '../../actors/minds/attacker/search.js';
import { readDefenderSearch } from '../../actors/minds/defender/search.js';
import { defaultParams } from '../../sim/workload/defaults.js';
import { baseline, eventsOf, given, proposal, runStarted, scenarioProposal } from './support/events.js';
import { syntheticRun } from '../../src/bench/synthetic-run.js';

const params = (load: number) => ({ ...defaultParams('cloud', 3), loadFactor: load });

function scenarioWith(id: string, load: number, operators: string[]) {
  return { ...scenarioProposal(id, { level: 3 }), generator: { params: params(load), seed: 7, operators, parent: null } as never };
}

/** A small run: two scenarios rewarded, baselines, children that win and lose, then an evolution. */
function story(runId = 'r1'): AuroraEvent[] {
  const e = eventsOf(runId);
  return given(
    e('RunStarted', runStarted(runId, { elo: { initial: 1400 } })),
    e('PolicyProposed', baseline('b-first-fit')),
    e('PolicyProposed', baseline('b-best-fit')),
    e.at(1)('ScenarioProposed', scenarioWith('s-1-0', 0.8, ['perturb', 'sla'])),
    e('ScenarioProposed', scenarioWith('s-1-1', 1.2, ['failures'])),
    e('ScenarioProposed', { ...scenarioProposal('s-1-2'), generator: null }),
    e('PolicyProposed', proposal('p-1-0', { parents: ['b-first-fit'], operator: 'mutate:constant' })),
    e('PolicyProposed', proposal('p-1-1', { parents: ['b-best-fit', 'b-first-fit'], operator: 'crossover' })),
    e('MatchPlayed', { matchId: 'm1', scenarioId: 's-1-0', players: ['p-1-0', 'b-first-fit'], rewards: [0.9, 0.5], outcomes: [1] }),
    e('RatingChanged', { policyId: 'p-1-0', matchId: 'm1', before: 1400, after: 1416 }),
    e('RatingChanged', { policyId: 'b-first-fit', matchId: 'm1', before: 1400, after: 1384 }),
    e('MatchPlayed', { matchId: 'm2', scenarioId: 's-1-0', players: ['p-1-0', 'p-1-1'], rewards: [0.9, 0.2], outcomes: [1] }),
    e('RatingChanged', { policyId: 'p-1-0', matchId: 'm2', before: 1416, after: 1431 }),
    e('RatingChanged', { policyId: 'p-1-1', matchId: 'm2', before: 1400, after: 1385 }),
    e('AttackerRewarded', { scenarioId: 's-1-0', solveRate: 0.5, learnability: 0.5, novelty: 1, closeness: 1, reward: 0.75 }),
    e('AttackerRewarded', { scenarioId: 's-1-1', solveRate: 1, learnability: 0, novelty: 0.5, closeness: 1, reward: 0.35 }),
    e.at(2)('PolicyProposed', proposal('p-2-0', { parents: ['p-1-1'], operator: 'mutate:insert' })),
  );
}

test('given a run, when folding, then elites are the rewarded generator points, best first', () => {
  const s = fold(searchStateProjection, story());
  const search = attackerSearch(s, 'r1') as { elites: { scenarioId: string; reward: number; operators: string[]; seed: number }[] };
  assert.equal(
    search.elites.map((x) => [x.scenarioId, x.reward, x.operators, x.seed]),
    [
      ['s-1-0', 0.75, ['perturb', 'sla'], 7],
      ['s-1-1', 0.35, ['failures'], 7],
    ],
  );
  assert.not.ok('rates' in search);
  // The attacker mind reads it: the elites survive, rates and ranges take their defaults.
  const read = readAttackerSearch(search);
  assert.is(read.elites.length, 2);
  assert.is(read.elites[0]!.scenarioId, 's-1-0');
});

test('given lineages, when folding, then each child joins the island of its first parent and baselines found their own', () => {
  const s = fold(searchStateProjection, story());
  const search = defenderSearch(s, 'r1') as { islands: Record<string, string> };
  assert.equal(search.islands, {
    'b-best-fit': 'b-best-fit',
    'b-first-fit': 'b-first-fit',
    'p-1-0': 'b-first-fit',
    'p-1-1': 'b-best-fit',
    'p-2-0': 'b-best-fit',
  });
  assert.equal(Object.keys((defenderSearch(s, 'r1', { only: ['p-2-0', 'nope'] }) as { islands: object }).islands), ['p-2-0']);
  assert.equal(readDefenderSearch(search).islands, search.islands);
});

test('given matches and rewards, when asking for evidence, then each operator is credited with what its offspring earned', () => {
  const s = fold(searchStateProjection, story());
  const d = evolverEvidence(s, 'r1', 'defender');
  assert.equal(d.operators['mutate:constant'], { children: 1, matches: 2, points: 2, gainSum: 1431 - 1400, rated: 1 });
  assert.equal(d.operators.crossover, { children: 1, matches: 1, points: 0, gainSum: 1385 - 1400, rated: 1 });
  assert.equal(d.operators['mutate:insert'], { children: 1, matches: 0, points: 0, gainSum: 0, rated: 0 });
  assert.not.ok('baseline' in d.operators);
  const a = evolverEvidence(s, 'r1', 'attacker');
  assert.equal(a.operators.perturb, { scenarios: 1, rewarded: 1, rewardSum: 0.75 });
  assert.equal(a.operators.failures, { scenarios: 1, rewarded: 1, rewardSum: 0.35 });
  assert.equal(a.samples.map((x) => x.scenarioId), ['s-1-0', 's-1-1']);
});

test('given a round of five with a baseline, an import and a player named twice, when folded, then each operator gets what the same games one by one give', () => {
  const e = eventsOf('r1');
  const setup = [
    e('RunStarted', runStarted('r1')),
    e('PolicyProposed', baseline('b-1')),
    e('PolicyImported', { policyId: 'imp', policy: proposal('imp').policy, source: { file: 'x.json' }, rating: null }),
    e('PolicyProposed', proposal('p-1', { parents: ['b-1'], operator: 'mutate:constant' })),
    e('PolicyProposed', proposal('p-2', { parents: ['b-1'], operator: 'mutate:constant' })),
    e('PolicyProposed', proposal('p-3', { parents: ['p-1', 'p-2'], operator: 'crossover' })),
  ];
  const players = ['p-1', 'b-1', 'imp', 'p-3', 'p-1', 'p-2'];
  const outcomes = [1, 0.5, 0, 1, 0, 0.5, 1, 0, 1, 0, 0.5, 0.5, 1, 0, 1] as const;
  const round = fold(searchStateProjection, [
    ...setup,
    e('MatchPlayed', { matchId: 'm', scenarioId: 's', players, rewards: players.map(() => 0.5), outcomes: [...outcomes] }),
  ]);
  const oneByOne: AuroraEvent[] = [...setup];
  let k = 0;
  for (let i = 0; i < players.length; i++) {
    for (let j = i + 1; j < players.length; j++) {
      const pair = [players[i]!, players[j]!];
      oneByOne.push(e('MatchPlayed', { matchId: `g${k}`, scenarioId: 's', players: pair, rewards: [0.5, 0.5], outcomes: [outcomes[k++]!] }));
    }
  }
  const games = fold(searchStateProjection, oneByOne);
  assert.equal(round.runs.r1!.defender.tallies, games.runs.r1!.defender.tallies);
  // p-1 meets itself once (no game); it plays 8 others, p-2 five, p-3 five: baselines and imports earn nothing.
  assert.equal(round.runs.r1!.defender.tallies['mutate:constant']!.matches, 13);
  assert.equal(round.runs.r1!.defender.tallies.crossover!.matches, 5);
  assert.equal(Object.keys(round.runs.r1!.defender.tallies).sort(), ['crossover', 'mutate:constant']);
});

test('given an OperatorsEvolved, when folding on, then the role takes the recorded settings and its evidence starts again', () => {
  const e = eventsOf('r1').at(3);
  const after = { rates: { perturb: 0.6, sla: 0.4 }, ranges: { loadFactor: { min: 0.5, max: 1.5 } } };
  const s = fold(searchStateProjection, [
    ...story(),
    e('OperatorsEvolved', { role: 'attacker', before: {}, after, evidence: {} }),
    e('OperatorsEvolved', { role: 'defender', before: {}, after: { rates: { crossover: 1 } }, evidence: {} }),
  ]);
  const search = attackerSearch(s, 'r1');
  assert.equal(search.rates, after.rates);
  assert.equal(search.ranges, after.ranges);
  assert.equal(defenderSearch(s, 'r1').rates, { crossover: 1 });
  const a = evolverEvidence(s, 'r1', 'attacker');
  assert.equal([a.epoch, a.operators, a.samples], [1, {}, []]);
  const d = evolverEvidence(s, 'r1', 'defender');
  assert.equal([d.epoch, d.operators], [1, {}]);
  // Elites stay: the search keeps what it learnt about scenarios across epochs.
  assert.is((search.elites as unknown[]).length, 2);
});

test('given two runs, when folding, then their search states do not mix', () => {
  const s = fold(searchStateProjection, [...story('r1'), ...story('r2').slice(0, 4)]);
  assert.is((attackerSearch(s, 'r2').elites as unknown[]).length, 0);
  assert.is((attackerSearch(s, 'r1').elites as unknown[]).length, 2);
  assert.equal(attackerSearch(s, 'unknown'), { version: 1, elites: [] });
});

function evolvedRun(): AuroraEvent[] {
  const events = [...story('r1'), ...syntheticRun({ runId: 'rs', iterations: 8, seed: 4 })];
  const e = eventsOf('rs').at(4);
  // An evolution in the middle of the synthetic run.
  const at = events.findIndex((x) => x.metadata.runId === 'rs' && x.metadata.iteration === 5);
  events.splice(at, 0, e('OperatorsEvolved', { role: 'defender', before: {}, after: { rates: { 'mutate:constant': 0.9, crossover: 0.1 } }, evidence: {} }));
  return events;
}

test('given a long run, when rebuilt from zero, then the state equals the one folded incrementally, byte for byte', () => {
  const events = evolvedRun();
  const whole = fold(searchStateProjection, events);
  // Incremental: fold in chunks, passing the state on through a JSON round trip (as a checkpoint would).
  let state = searchStateProjection.initialState();
  for (let i = 0; i < events.length; i += 37) {
    state = fold(searchStateProjection, events.slice(i, i + 37), state);
    state = JSON.parse(JSON.stringify(state));
  }
  assert.equal(Buffer.from(encodeCanonical(state)).toString('hex'), Buffer.from(encodeCanonical(whole)).toString('hex'));
  for (const runId of ['r1', 'rs']) {
    assert.is(JSON.stringify(attackerSearch(state, runId)), JSON.stringify(attackerSearch(whole, runId)));
    assert.is(JSON.stringify(defenderSearch(state, runId)), JSON.stringify(defenderSearch(whole, runId)));
    assert.is(JSON.stringify(evolverEvidence(state, runId, 'defender')), JSON.stringify(evolverEvidence(whole, runId, 'defender')));
  }
});

test.run();
