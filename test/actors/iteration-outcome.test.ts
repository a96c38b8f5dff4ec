// What an iteration records once every answer is in (actors/iteration-outcome.ts): the canonical order,
// matches and ratings, the solved rule, attacker rewards, the curriculum and the evolver.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AuroraEvent, EventOf } from '../../events/catalogue.js';
import { EventRecorder } from '../../actors/event-recorder.js';
import { recordIteration, type IterationAnswers } from '../../actors/iteration-outcome.js';
import type { RunConfigInput } from '../../actors/run-config.js';
import { runSelfPlay } from '../../actors/self-play.js';
import { openStore } from '../../events/open-store.js';
import { eloProjection, ladder, verifyRatings } from '../../projections/elo.js';
import { fold } from '../../projections/fold.js';
import { verifyCurriculum } from '../../projections/curriculum.js';
import { openInProcess } from '../../src/wiring/open-transport.js';
import { fingerprints, openedRun, proposedPolicy, proposedScenario, readRun, result, smallConfig } from './self-play-fixtures.js';

const RUN = 'outcome';
const baseConfig: RunConfigInput = { referenceBaselines: ['first-fit', 'best-fit'], slaTolerance: 0.05, curriculum: { window: 2, threshold: 0.5 } };

// Two scenarios, two candidates written for each, and both reference baselines, all evaluated on both.
// sA: best baseline 0.60. a1 solves (0.70, SLA 1 %); a2 has the reward but 20 % SLA violations; b1 ties the
//     best baseline at exactly τ; b2 has the highest reward but faulted. Defender solve rate 2/4.
// sB: best-fit faulted with 0.95, so the bar is first-fit's 0.40. Only a2 solves; b1 and b2 both fault.
const sA = proposedScenario('s-1-0', 1, 11);
const sB = proposedScenario('s-1-1', 1, 12);
const answers = (): IterationAnswers => ({
  scenarios: [sA, sB],
  scenarioRejections: [],
  candidates: [
    { scenarioId: 's-1-0', policies: [proposedPolicy('p-a1'), proposedPolicy('p-a2', 'first-fit')], rejected: [] },
    { scenarioId: 's-1-1', policies: [proposedPolicy('p-b1', 'worst-fit'), proposedPolicy('p-b2', 'cost-greedy')], rejected: [] },
  ],
  evaluations: [
    {
      scenarioId: 's-1-0',
      results: [
        result('b-best-fit', 0.6),
        result('b-first-fit', 0.5),
        result('p-a1', 0.7, { sla: 0.01 }),
        result('p-a2', 0.7, { sla: 0.2 }),
        result('p-b1', 0.6, { sla: 0.05 }),
        result('p-b2', 0.99, { failure: 'division by zero (task t3 at t=2)' }),
      ],
    },
    {
      scenarioId: 's-1-1',
      results: [
        result('b-best-fit', 0.95, { failure: 'NaN score (task t1 at t=0)' }),
        result('b-first-fit', 0.4),
        result('p-a1', 0.39),
        result('p-a2', 0.41),
        result('p-b1', 0.1, { failure: 'division by zero (task t0 at t=0)' }),
        result('p-b2', 0.2, { failure: 'division by zero (task t0 at t=0)' }),
      ],
    },
  ],
  baselineIds: ['b-first-fit', 'b-best-fit'],
});

/** Everything arriving in the opposite order: scenarios, candidate replies, evaluation replies and results within each. */
function reversed(a: IterationAnswers): IterationAnswers {
  return {
    ...a,
    scenarios: [...a.scenarios].reverse(),
    candidates: [...a.candidates].reverse().map((c) => ({ ...c, policies: [...c.policies].reverse() })),
    evaluations: [...a.evaluations].reverse().map((e) => ({ ...e, results: [...e.results].reverse() })),
  };
}

function record(a: IterationAnswers, config: RunConfigInput = baseConfig, iteration = 1) {
  const run = openedRun(RUN, config);
  const recorder = new EventRecorder(RUN, iteration, `iteration-${RUN}-${iteration}`, (e) => run.projections.apply(e));
  const completed = recordIteration(recorder, run.projections, run.config, RUN, iteration, a);
  return { before: run.events, events: recorder.events, completed, all: [...run.events, ...recorder.events] };
}

const ofType = <T extends AuroraEvent['type']>(events: readonly AuroraEvent[], type: T) =>
  events.filter((e): e is EventOf<T> => e.type === type);

test('given the same answers in any arrival order, when the iteration is recorded, then the events are identical', () => {
  const inOrder = record(answers());
  const backwards = record(reversed(answers()));
  assert.equal(fingerprints(backwards.events), fingerprints(inOrder.events));
  const rotated = answers();
  rotated.evaluations = [rotated.evaluations[1]!, rotated.evaluations[0]!].map((e) => ({ ...e, results: [...e.results.slice(3), ...e.results.slice(0, 3)] }));
  assert.equal(fingerprints(record(rotated).events), fingerprints(inOrder.events));
});

test('given an iteration, when recorded, then its events come in the canonical order, each group sorted by id', () => {
  const { events } = record(reversed(answers()));
  const kinds = events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
  assert.equal(kinds.slice(0, 3), ['ScenarioProposed', 'PolicyProposed', 'EvaluationCompleted']);
  assert.equal(kinds.slice(-3), ['AttackerRewarded', 'CurriculumAdvanced', 'IterationCompleted']);
  assert.equal(
    ofType(events, 'ScenarioProposed').map((e) => e.data.scenarioId),
    ['s-1-0', 's-1-1'],
  );
  assert.equal(
    ofType(events, 'PolicyProposed').map((e) => [e.data.policyId, e.data.scenarioId]),
    [
      ['p-a1', 's-1-0'],
      ['p-a2', 's-1-0'],
      ['p-b1', 's-1-1'],
      ['p-b2', 's-1-1'],
    ],
  );
  const evaluated = ofType(events, 'EvaluationCompleted').map((e) => `${e.data.scenarioId}/${e.data.policyId}`);
  assert.equal(evaluated, [...evaluated].sort());
  assert.is(evaluated.length, 12);
  // Every MatchPlayed is followed at once by one RatingChanged per player, in the round's order, caused by it.
  events.forEach((e, i) => {
    if (e.type !== 'MatchPlayed') return;
    const changes = events.slice(i + 1, i + 1 + e.data.players.length);
    for (const c of changes) {
      assert.is(c.type, 'RatingChanged');
      assert.is(c.metadata.causationId, e.metadata.eventId);
    }
    assert.equal(
      changes.map((c) => (c as EventOf<'RatingChanged'>).data.policyId),
      e.data.players,
    );
  });
  // Deterministic ids: run, iteration and place in the batch.
  assert.equal(
    events.map((e) => e.metadata.eventId),
    events.map((_, i) => `${RUN}:1:${i}`),
  );
});

/** x's score against y in a round. */
function game(m: EventOf<'MatchPlayed'>, x: string, y: string): number {
  let k = 0;
  const { players, outcomes } = m.data;
  for (let i = 0; i < players.length; i++) {
    for (let j = i + 1; j < players.length; j++, k++) {
      if (players[i] === x && players[j] === y) return outcomes[k]!;
      if (players[i] === y && players[j] === x) return 1 - outcomes[k]!;
    }
  }
  throw new Error(`${x} and ${y} did not meet in ${m.data.matchId}`);
}

test('given six policies evaluated on a scenario, when recorded, then they meet in one round per scenario: one game per pair', () => {
  const { events } = record(answers());
  const matches = ofType(events, 'MatchPlayed');
  assert.equal(
    matches.map((m) => [m.data.matchId, m.data.scenarioId]),
    [
      ['m-1-s-1-0', 's-1-0'],
      ['m-1-s-1-1', 's-1-1'],
    ],
  );
  for (const m of matches) {
    assert.equal(m.data.players, ['b-best-fit', 'b-first-fit', 'p-a1', 'p-a2', 'p-b1', 'p-b2'], 'players in policy-id order');
    assert.is(m.data.outcomes.length, 15, 'one game per pair');
    const results = answers().evaluations.find((e) => e.scenarioId === m.data.scenarioId)!.results;
    assert.equal(m.data.rewards, m.data.players.map((p) => results.find((r) => r.policyId === p)!.reward));
  }
  // The better reward wins; equal rewards draw.
  assert.is(game(matches[0]!, 'p-a1', 'p-a2'), 0.5);
  assert.is(game(matches[0]!, 'b-best-fit', 'p-a1'), 0);
});

test('given a round, when the ELO fold plays it, then the ratings are bit-identical to its games recorded one by one', () => {
  const { before, events } = record(answers());
  const perGame = ofType(events, 'MatchPlayed').flatMap((m) => {
    const games: AuroraEvent[] = [];
    let k = 0;
    for (let i = 0; i < m.data.players.length; i++) {
      for (let j = i + 1; j < m.data.players.length; j++, k++) {
        const data = { matchId: `${m.data.matchId}-${k}`, scenarioId: m.data.scenarioId, players: [m.data.players[i]!, m.data.players[j]!], rewards: [m.data.rewards[i]!, m.data.rewards[j]!], outcomes: [m.data.outcomes[k]!] };
        games.push({ ...m, data });
      }
    }
    return games;
  });
  const rounds = fold(eloProjection, [...before, ...events]);
  const games = fold(eloProjection, [...before, ...events.filter((e) => e.type !== 'MatchPlayed'), ...perGame]);
  assert.equal(ladder(rounds, RUN), ladder(games, RUN));
  assert.ok(ladder(rounds, RUN).some((p) => p.rating !== 1500), 'ratings moved');
});

test('given the recorded rounds, when the ELO fold replays them, then every RatingChanged is what it computes', () => {
  const { all, events } = record(answers());
  assert.is(verifyRatings(all), null);
  const changes = ofType(events, 'RatingChanged');
  assert.is(changes.length, 12, 'one per player per round');
  // And a record that disagrees, or one that is missing, is caught, so the check above can fail.
  const tampered = all.map((e) =>
    e === changes[7] ? { ...e, data: { ...(e as EventOf<'RatingChanged'>).data, after: (e as EventOf<'RatingChanged'>).data.after + 1 } } : e,
  ) as AuroraEvent[];
  assert.is(verifyRatings(tampered)?.kind, 'rating-differs');
  const missing = verifyRatings(all.filter((e) => e !== changes[3]));
  assert.equal([missing?.kind, missing?.policyId, missing?.matchId], ['missing-rating-change', changes[3]!.data.policyId, 'm-1-s-1-0']);
});

test('given SLA and reward against the best reference baseline, when recorded, then solved means SLA ≤ τ and reward ≥ that baseline', () => {
  const { events } = record(answers());
  const solved = Object.fromEntries(ofType(events, 'EvaluationCompleted').map((e) => [`${e.data.scenarioId}/${e.data.policyId}`, e.data.solved]));
  assert.equal(solved, {
    's-1-0/b-best-fit': true, // is the best baseline
    's-1-0/b-first-fit': false,
    's-1-0/p-a1': true,
    's-1-0/p-a2': false, // 20 % SLA violations > τ
    's-1-0/p-b1': true, // exactly τ and exactly the best baseline's reward
    's-1-0/p-b2': false, // highest reward, but it faulted
    's-1-1/b-best-fit': false,
    's-1-1/b-first-fit': true, // the faulted best-fit does not raise the bar
    's-1-1/p-a1': false, // 0.39 < 0.40
    's-1-1/p-a2': true,
    's-1-1/p-b1': false,
    's-1-1/p-b2': false,
  });
});

test('given a policy that faulted, when it meets others, then it loses to every policy that did not and draws with one that did', () => {
  const { events } = record(answers());
  const [onA, onB] = ofType(events, 'MatchPlayed');
  for (const other of ['b-best-fit', 'b-first-fit', 'p-a1', 'p-a2', 'p-b1']) assert.is(game(onA!, 'p-b2', other), 0, `p-b2 v ${other}`);
  assert.is(game(onB!, 'p-b1', 'p-b2'), 0.5);
  for (const other of ['b-first-fit', 'p-a1', 'p-a2']) assert.is(game(onB!, 'b-best-fit', other), 0, `b-best-fit (faulted, reward 0.95) v ${other}`);
});

test('given solve rates of 2/4 and 1/4, when the attacker is rewarded, then reward = 0.5·(1 − p) + 0.3·novelty + 0.2·closeness', () => {
  const { events } = record(answers());
  const rewards = ofType(events, 'AttackerRewarded');
  assert.equal(
    rewards.map((r) => [r.data.scenarioId, r.data.solveRate, r.data.learnability]),
    [
      ['s-1-0', 0.5, 0.5],
      ['s-1-1', 0.25, 0.75],
    ],
  );
  for (const r of rewards) {
    assert.is(r.data.novelty, 1, 'against an empty archive, everything is new');
    assert.ok(r.data.closeness >= 0 && r.data.closeness <= 1);
    assert.ok(Math.abs(r.data.reward - (0.5 * r.data.learnability + 0.3 * r.data.novelty + 0.2 * r.data.closeness)) < 1e-12);
  }
  // The weights come from the configuration.
  const weighted = record(answers(), { ...baseConfig, attacker: { learnabilityWeight: 1, noveltyWeight: 0, closenessWeight: 0 } });
  assert.equal(
    ofType(weighted.events, 'AttackerRewarded').map((r) => r.data.reward),
    [0.5, 0.75],
  );
});

test('given a scenario every candidate solves or none does, when the attacker is rewarded, then it learns nothing from it (learnability 0)', () => {
  const a = answers();
  a.evaluations = a.evaluations.map((e) => ({
    ...e,
    results: e.results.map((r) => (r.policyId.startsWith('b-') ? r : result(r.policyId, e.scenarioId === 's-1-0' ? 2 : -2))),
  }));
  const rewards = ofType(record(a).events, 'AttackerRewarded');
  assert.equal(
    rewards.map((r) => [r.data.solveRate, r.data.learnability]),
    [
      [1, 0],
      [0, 0],
    ],
  );
});

test('given a full window solved at the threshold, when recorded, then CurriculumAdvanced comes before IterationCompleted, as the curriculum fold says', () => {
  const { all, events, completed } = record(answers());
  const advanced = ofType(events, 'CurriculumAdvanced');
  assert.is(advanced.length, 1);
  // Both scenarios count as solved: sA by a1 (though b2's faulted 0.99 and a2's SLA breach rank higher), sB by a2.
  assert.equal(advanced[0]!.data, { from: 0, to: 1, successRate: 1, window: 2 });
  assert.is(completed.level, 1);
  assert.is(verifyCurriculum(all), null);

  // With a2 below the bar on sB, only sA is solved: 1/2 misses a threshold of 0.75.
  const unsolvedB = answers();
  unsolvedB.evaluations[1]!.results = unsolvedB.evaluations[1]!.results.map((r) => (r.policyId === 'p-a2' ? { ...r, reward: 0.39 } : r));
  const higher = record(unsolvedB, { ...baseConfig, curriculum: { window: 2, threshold: 0.75 } });
  assert.is(ofType(higher.events, 'CurriculumAdvanced').length, 0);
  assert.is(higher.completed.level, 0);
  assert.is(verifyCurriculum(higher.all), null);
});

test('given a run that starts at curriculum level 3, when recorded, then levels count from there', () => {
  const { completed, events, all } = record(answers(), { ...baseConfig, curriculum: { startLevel: 3, window: 2, threshold: 0.5 } });
  assert.equal(ofType(events, 'CurriculumAdvanced')[0]!.data, { from: 2, to: 3, successRate: 1, window: 2 });
  assert.is(completed.level, 3);
  assert.is(verifyCurriculum(all), null);
});

test('given the iteration, when it completes, then IterationCompleted sums it up: evaluations, best defender reward, leader', () => {
  const { completed, events } = record(answers());
  assert.is(completed.iteration, 1);
  assert.is(completed.evaluations, 12);
  assert.is(completed.bestReward, 0.7, 'the faulted 0.99 does not count');
  assert.ok(completed.leader !== null && completed.leader.startsWith('p-'));
  assert.equal(events.at(-1)!.data, completed);
});

test('given evolveEvery 2, when a four-iteration run plays, then OperatorsEvolved comes for both roles in iterations 2 and 4 only, last before IterationCompleted', async () => {
  const store = await openStore('memory:');
  const transport = await openInProcess();
  try {
    await runSelfPlay({ store, requester: transport, runId: 'evolve', seed: 7, config: smallConfig, codeVersion: 'test' });
    const events = await readRun(store, 'evolve');
    const evolved = ofType(events, 'OperatorsEvolved');
    assert.equal(
      evolved.map((e) => `${e.metadata.iteration}:${e.data.role}`),
      ['2:attacker', '2:defender', '4:attacker', '4:defender'],
    );
    for (const e of evolved) {
      const rest = events.slice(events.indexOf(e as (typeof events)[number]) + 1).filter((x) => x.metadata.correlationId === e.metadata.correlationId);
      assert.ok(rest.length > 0 && rest.every((x) => x.type === 'OperatorsEvolved' || x.type === 'IterationCompleted'), rest.map((x) => x.type).join());
    }
    assert.is(verifyRatings(events), null);
    assert.is(verifyCurriculum(events), null);
  } finally {
    await transport.close();
    await store.close();
  }
});

test.run();
