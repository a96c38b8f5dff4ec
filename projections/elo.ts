// ELO ratings of a run's policies, folded from MatchPlayed: a round of games between the policies
// evaluated on one scenario, played one game after another in the round's order (projections/match-round.ts).
// Every policy starts at `initial` (1500) unless PolicyImported brings its rating along; each game moves
// both ratings by K × (score − expected score), K = 32, both overridable in RunStarted's config
// (`elo.k`, `elo.initial`). The controller records each player's rating before and after a round as
// RatingChanged; verifyRatings checks those records against this fold.
import type { AuroraEvent, EventOf } from '../events/catalogue.js';
import { distinctPlayers } from './match-round.js';
import { configNumber, getEntry, putEntry, runState, sortedKeys, unhandled, type PerRun, type Projection } from './fold.js';

export interface EloConfig {
  k: number;
  initial: number;
}

export const defaultEloConfig: EloConfig = { k: 32, initial: 1500 };

export interface EloPlayer {
  rating: number;
  played: number;
  wins: number;
  draws: number;
  losses: number;
}

export interface RunElo extends EloConfig {
  players: Record<string, EloPlayer>;
  /** Games played (pairs of policies met on a scenario), not rounds. */
  matches: number;
}

export type EloState = PerRun<RunElo>;

/** a's expected score against b. */
export function expectedScore(ratingA: number, ratingB: number): number {
  return 1 / (1 + 10 ** ((ratingB - ratingA) / 400));
}

/** Both ratings after a match in which a scored `outcome`. Zero-sum: b loses exactly what a gains. */
export function applyMatch(ratingA: number, ratingB: number, outcome: 0 | 0.5 | 1, k: number): { a: number; b: number } {
  const delta = k * (outcome - expectedScore(ratingA, ratingB));
  return { a: ratingA + delta, b: ratingB - delta };
}

function newRun(): RunElo {
  return { ...defaultEloConfig, players: {}, matches: 0 };
}

function player(run: RunElo, policyId: string): EloPlayer {
  let p = getEntry(run.players, policyId);
  if (p === undefined) {
    p = { rating: run.initial, played: 0, wins: 0, draws: 0, losses: 0 };
    putEntry(run.players, policyId, p);
  }
  return p;
}

function score(p: EloPlayer, outcome: number): void {
  p.played += 1;
  if (outcome === 1) p.wins += 1;
  else if (outcome === 0) p.losses += 1;
  else p.draws += 1;
}

/**
 * Plays the round's games in forEachGame's order (see match-round.ts), with applyMatch's arithmetic. Each
 * player is looked up once per round, at its first game, instead of twice per game: a round of n players
 * holds n·(n − 1)/2 games, and the lookups in a dictionary of every policy of the run were most of the cost.
 */
function playRound(run: RunElo, data: EventOf<'MatchPlayed'>['data']): void {
  const { players, outcomes } = data;
  const n = players.length;
  const seen: (EloPlayer | undefined)[] = new Array(n);
  const k = run.k;
  let g = 0;
  for (let i = 0; i < n; i++) {
    const idA = players[i]!;
    for (let j = i + 1; j < n; j++) {
      const outcome = outcomes[g++]!;
      run.matches += 1;
      const idB = players[j]!;
      // A policy cannot gain or lose rating against itself.
      if (idA === idB) continue;
      const a = (seen[i] ??= player(run, idA));
      const b = (seen[j] ??= player(run, idB));
      const delta = k * (outcome - expectedScore(a.rating, b.rating));
      a.rating += delta;
      b.rating -= delta;
      score(a, outcome);
      score(b, 1 - outcome);
    }
  }
}

export function evolve(state: EloState, event: AuroraEvent): EloState {
  const run = runState(state, event.metadata.runId, newRun);
  switch (event.type) {
    case 'RunStarted':
      run.k = configNumber(event.data.config, ['elo', 'k'], defaultEloConfig.k);
      run.initial = configNumber(event.data.config, ['elo', 'initial'], defaultEloConfig.initial);
      return state;
    case 'PolicyProposed':
      player(run, event.data.policyId);
      return state;
    case 'PolicyImported': {
      const p = player(run, event.data.policyId);
      if (event.data.rating !== null) p.rating = event.data.rating;
      return state;
    }
    case 'MatchPlayed':
      playRound(run, event.data);
      return state;
    case 'RatingChanged': // the record of this fold's own output, checked by verifyRatings
    case 'ScenarioProposed':
    case 'ScenarioRejected':
    case 'PolicyRejected':
    case 'EvaluationCompleted':
    case 'AttackerRewarded':
    case 'CurriculumAdvanced':
    case 'PromptEvolved':
    case 'OperatorsEvolved':
    case 'LlmCalled':
    case 'IterationCompleted':
    case 'RunCompleted':
    case 'RunStopped':
      return state;
    default:
      unhandled(event);
      return state;
  }
}

export const eloProjection: Projection<EloState> = {
  name: 'elo',
  version: 1,
  initialState: () => ({ runs: {} }),
  evolve,
};

// ── queries ──────────────────────────────────────────────────────────────────────────────────────

export interface LadderEntry extends EloPlayer {
  policyId: string;
}

/** The run's policies by rating, highest first (ties: policy id). */
export function ladder(state: EloState, runId: string): LadderEntry[] {
  const run = getEntry(state.runs, runId);
  if (run === undefined) return [];
  return sortedKeys(run.players)
    .map((policyId) => ({ policyId, ...run.players[policyId]! }))
    .sort((x, y) => y.rating - x.rating || (x.policyId < y.policyId ? -1 : x.policyId > y.policyId ? 1 : 0));
}

/** A policy's rating, or null when the run has never seen it. */
export function ratingOf(state: EloState, runId: string, policyId: string): number | null {
  const run = getEntry(state.runs, runId);
  const p = run === undefined ? undefined : getEntry(run.players, policyId);
  return p === undefined ? null : p.rating;
}

// ── verification ─────────────────────────────────────────────────────────────────────────────────

export interface RatingMismatch {
  kind: 'rating-differs' | 'unknown-match' | 'not-a-player' | 'duplicate-rating-change' | 'missing-rating-change';
  runId: string;
  matchId: string;
  policyId: string;
  /** The event that shows the mismatch (a RatingChanged, or the IterationCompleted that closed the round's iteration). */
  eventId: string;
  expected: { before: number; after: number } | null;
  recorded: { before: number; after: number } | null;
}

interface ExpectedChange {
  policyId: string;
  before: number;
  after: number;
  seen: boolean;
}

/**
 * Checks that every RatingChanged equals what this fold computes from the run's MatchPlayed events:
 * one RatingChanged per player of each round (after the round, before its iteration completes), with
 * its rating when the round began and when it ended (within `tolerance`, default 1e-9). Returns the
 * first mismatch, or null. A player named twice in a round (a policy matched against itself) expects
 * a single RatingChanged. Rounds of an iteration that never completed (a run cut short) are not
 * required to have their RatingChanged yet.
 */
export function verifyRatings(events: Iterable<AuroraEvent>, options: { tolerance?: number } = {}): RatingMismatch | null {
  const tolerance = options.tolerance ?? 1e-9;
  let state = eloProjection.initialState();
  // runId → matchId → the changes its MatchPlayed implies
  const pending = new Map<string, Map<string, ExpectedChange[]>>();
  const close = (a: number, b: number) => Math.abs(a - b) <= tolerance;
  for (const event of events) {
    const runId = event.metadata.runId;
    let matches = pending.get(runId);
    if (matches === undefined) pending.set(runId, (matches = new Map()));
    if (event.type === 'MatchPlayed') {
      const run = runState(state, runId, newRun);
      const players = distinctPlayers(event.data);
      const before = players.map((p) => getEntry(run.players, p)?.rating ?? run.initial);
      state = evolve(state, event);
      const changes = players.map((policyId, i) => ({
        policyId,
        before: before[i]!,
        after: getEntry(run.players, policyId)?.rating ?? run.initial,
        seen: false,
      }));
      matches.set(event.data.matchId, changes);
      continue;
    }
    if (event.type === 'RatingChanged') {
      const { matchId, policyId, before, after } = event.data;
      const recorded = { before, after };
      const base = { runId, matchId, policyId, eventId: event.metadata.eventId, recorded };
      const changes = matches.get(matchId);
      if (changes === undefined) return { kind: 'unknown-match', ...base, expected: null };
      const change = changes.find((c) => c.policyId === policyId);
      if (change === undefined) return { kind: 'not-a-player', ...base, expected: null };
      const expected = { before: change.before, after: change.after };
      if (change.seen) return { kind: 'duplicate-rating-change', ...base, expected };
      if (!close(before, change.before) || !close(after, change.after)) return { kind: 'rating-differs', ...base, expected };
      change.seen = true;
    } else if (event.type === 'IterationCompleted') {
      for (const [matchId, changes] of matches) {
        const missing = changes.find((c) => !c.seen);
        if (missing !== undefined) {
          return {
            kind: 'missing-rating-change',
            runId,
            matchId,
            policyId: missing.policyId,
            eventId: event.metadata.eventId,
            expected: { before: missing.before, after: missing.after },
            recorded: null,
          };
        }
      }
      matches.clear();
    }
    state = evolve(state, event);
  }
  return null;
}
