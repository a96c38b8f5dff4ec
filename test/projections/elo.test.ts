import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { applyMatch, eloProjection, expectedScore, ladder, ratingOf, verifyRatings } from '../../projections/elo.js';
import { fold } from '../../projections/fold.js';
import type { AuroraEvent } from '../../events/catalogue.js';
import { eventsOf, given, proposal, runStarted } from './support/events.js';
import { syntheticRun } from '../../src/bench/synthetic-run.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≠ ${b}`);

test('given equal ratings, when computing the expected score, then it is one half', () => {
  assert.is(expectedScore(1500, 1500), 0.5);
  close(expectedScore(1900, 1500), 1 / (1 + 10 ** -1));
});

test('given two 1500 players, when a wins with K 32, then a gains 16 and b loses 16', () => {
  const next = applyMatch(1500, 1500, 1, 32);
  assert.equal(next, { a: 1516, b: 1484 });
});

test('given any ratings and outcome, when a match is applied, then the total rating is conserved', () => {
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 4000, noNaN: true }),
      fc.double({ min: 0, max: 4000, noNaN: true }),
      fc.constantFrom(0 as const, 0.5 as const, 1 as const),
      (ra, rb, outcome) => {
        const next = applyMatch(ra, rb, outcome, 32);
        close(next.a + next.b, ra + rb, 1e-9 * Math.max(1, ra + rb));
        // The winner never loses rating.
        if (outcome === 1) assert.ok(next.a >= ra);
        if (outcome === 0) assert.ok(next.b >= rb);
      },
    ),
  );
});

test('given matches in a run, when folded, then ratings start at 1500 and move by K 32', () => {
  const e = eventsOf('r1');
  const events = given(
    e('RunStarted', runStarted('r1')),
    e('PolicyProposed', proposal('p1')),
    e('PolicyProposed', proposal('p2')),
    e('MatchPlayed', { matchId: 'm1', scenarioId: 's1', players: ['p1', 'p2'], rewards: [1, 0], outcomes: [1] }),
    e('MatchPlayed', { matchId: 'm2', scenarioId: 's1', players: ['p2', 'p1'], rewards: [1, 1], outcomes: [0.5] }),
  );
  const state = fold(eloProjection, events);
  const afterFirst = applyMatch(1500, 1500, 1, 32);
  const afterSecond = applyMatch(afterFirst.b, afterFirst.a, 0.5, 32);
  assert.is(ratingOf(state, 'r1', 'p2'), afterSecond.a);
  assert.is(ratingOf(state, 'r1', 'p1'), afterSecond.b);
  assert.equal(
    ladder(state, 'r1').map((l) => [l.policyId, l.played, l.wins, l.draws, l.losses]),
    [
      ['p1', 2, 1, 1, 0],
      ['p2', 2, 0, 1, 1],
    ],
  );
});

test('given a run configuring elo.k and elo.initial, when folded, then they are used', () => {
  const e = eventsOf('r1');
  const state = fold(
    eloProjection,
    given(
      e('RunStarted', runStarted('r1', { elo: { k: 10, initial: 1000 } })),
      e('MatchPlayed', { matchId: 'm1', scenarioId: 's', players: ['x', 'y'], rewards: [0, 1], outcomes: [0] }),
    ),
  );
  assert.is(ratingOf(state, 'r1', 'x'), 995);
  assert.is(ratingOf(state, 'r1', 'y'), 1005);
});

test('given an imported policy with a rating, when it plays, then its rating starts from the imported one', () => {
  const e = eventsOf('r1');
  const state = fold(
    eloProjection,
    given(
      e('RunStarted', runStarted('r1')),
      e('PolicyImported', { policyId: 'old', policy: { name: 'old', score: '1' } as never, source: { run: 'r0' }, rating: 1700 }),
      e('MatchPlayed', { matchId: 'm1', scenarioId: 's', players: ['old', 'new'], rewards: [1, 0], outcomes: [1] }),
    ),
  );
  assert.is(ratingOf(state, 'r1', 'old'), applyMatch(1700, 1500, 1, 32).a);
});

test('given two runs with the same policy ids, when folded, then their ratings are kept apart', () => {
  const a = eventsOf('ra');
  const b = eventsOf('rb');
  const state = fold(
    eloProjection,
    given(
      a('MatchPlayed', { matchId: 'm1', scenarioId: 's', players: ['p1', 'p2'], rewards: [1, 0], outcomes: [1] }),
      b('MatchPlayed', { matchId: 'm1', scenarioId: 's', players: ['p1', 'p2'], rewards: [0, 1], outcomes: [0] }),
    ),
  );
  assert.is(ratingOf(state, 'ra', 'p1'), 1516);
  assert.is(ratingOf(state, 'rb', 'p1'), 1484);
  assert.is(ratingOf(state, 'rc', 'p1'), null);
});

test('given a policy matched against itself, when folded, then its rating does not move', () => {
  const e = eventsOf('r1');
  const state = fold(eloProjection, [e('MatchPlayed', { matchId: 'm', scenarioId: 's', players: ['p', 'p'], rewards: [1, 1], outcomes: [1] })]);
  assert.is(ratingOf(state, 'r1', 'p'), null);
  assert.is(state.runs.r1!.matches, 1);
});

test('given a round of three, when folded, then its games are played row by row, exactly as the same games one by one', () => {
  const e = eventsOf('r1');
  const round = fold(eloProjection, [
    e('MatchPlayed', { matchId: 'm', scenarioId: 's', players: ['p1', 'p2', 'p3'], rewards: [0.9, 0.5, 0.5], outcomes: [1, 1, 0.5] }),
  ]);
  const games = fold(eloProjection, [
    e('MatchPlayed', { matchId: 'g1', scenarioId: 's', players: ['p1', 'p2'], rewards: [0.9, 0.5], outcomes: [1] }),
    e('MatchPlayed', { matchId: 'g2', scenarioId: 's', players: ['p1', 'p3'], rewards: [0.9, 0.5], outcomes: [1] }),
    e('MatchPlayed', { matchId: 'g3', scenarioId: 's', players: ['p2', 'p3'], rewards: [0.5, 0.5], outcomes: [0.5] }),
  ]);
  assert.equal(ladder(round, 'r1'), ladder(games, 'r1'));
  const first = applyMatch(1500, 1500, 1, 32);
  const second = applyMatch(first.a, 1500, 1, 32);
  const third = applyMatch(first.b, second.b, 0.5, 32);
  assert.equal([ratingOf(round, 'r1', 'p1'), ratingOf(round, 'r1', 'p2'), ratingOf(round, 'r1', 'p3')], [second.a, third.a, third.b]);
  assert.is(round.runs.r1!.matches, 3, 'matches counts games');
});

test('given a round and one RatingChanged per player over it, when verified, then it passes; a stranger to the round is not a player', () => {
  const e = eventsOf('r1');
  const played = e('MatchPlayed', { matchId: 'm', scenarioId: 's', players: ['p1', 'p2', 'p3'], rewards: [0.9, 0.5, 0.1], outcomes: [1, 1, 1] });
  const state = fold(eloProjection, [played]);
  const changes = ['p1', 'p2', 'p3'].map((p) => e('RatingChanged', { policyId: p, matchId: 'm', before: 1500, after: ratingOf(state, 'r1', p)! }));
  const done = e('IterationCompleted', { iteration: 0, level: 0, evaluations: 3, bestReward: 0.9, leader: 'p1', leaderRating: ratingOf(state, 'r1', 'p1') });
  assert.is(verifyRatings([played, ...changes, done]), null);
  assert.is(verifyRatings([played, ...changes.slice(0, 2), done])?.kind, 'missing-rating-change');
  const stranger = e('RatingChanged', { policyId: 'p9', matchId: 'm', before: 1500, after: 1500 });
  assert.is(verifyRatings([played, stranger])?.kind, 'not-a-player');
});

// ── verifyRatings ────────────────────────────────────────────────────────────────────────────────

const recordedRun = (): AuroraEvent[] => [...syntheticRun({ runId: 'v1', iterations: 6, seed: 3 })];

test('given a run whose RatingChanged events come from the fold, when verified, then there is no mismatch', () => {
  const events = recordedRun();
  assert.ok(events.filter((e) => e.type === 'RatingChanged').length > 50);
  assert.is(verifyRatings(events), null);
});

test('given a tampered rating, when verified, then the first mismatch names that event', () => {
  const events = recordedRun();
  const index = events.findIndex((e, i) => e.type === 'RatingChanged' && i > events.length / 2);
  const original = events[index] as Extract<AuroraEvent, { type: 'RatingChanged' }>;
  const tampered = { ...original, data: { ...original.data, after: original.data.after + 5 } };
  events[index] = tampered;
  const mismatch = verifyRatings(events);
  assert.ok(mismatch !== null);
  assert.is(mismatch!.kind, 'rating-differs');
  assert.is(mismatch!.eventId, original.metadata.eventId);
  assert.is(mismatch!.expected!.after, original.data.after);
  assert.is(mismatch!.recorded!.after, original.data.after + 5);
});

test('given a missing RatingChanged, when the iteration completes, then verify reports it', () => {
  const events = recordedRun();
  const index = events.findIndex((e) => e.type === 'RatingChanged');
  const removed = events.splice(index, 1)[0] as Extract<AuroraEvent, { type: 'RatingChanged' }>;
  const mismatch = verifyRatings(events);
  assert.is(mismatch?.kind, 'missing-rating-change');
  assert.is(mismatch?.matchId, removed.data.matchId);
  assert.is(mismatch?.policyId, removed.data.policyId);
});

test('given a RatingChanged for a match never played, when verified, then it is an unknown match', () => {
  const e = eventsOf('r1');
  const mismatch = verifyRatings([e('RatingChanged', { policyId: 'p', matchId: 'ghost', before: 1500, after: 1510 })]);
  assert.is(mismatch?.kind, 'unknown-match');
});

test('given a RatingChanged recorded twice, when verified, then the repeat is reported', () => {
  const events = recordedRun();
  const index = events.findIndex((e) => e.type === 'RatingChanged');
  events.splice(index + 1, 0, events[index]!);
  assert.is(verifyRatings(events)?.kind, 'duplicate-rating-change');
});

test.run();
