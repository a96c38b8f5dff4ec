// The games of a match round (MatchPlayed): one game per pair i < j of its players, row by row
// ((0,1), (0,2), …, (1,2), …), each with player i's score. The ELO fold plays them in this order, so a
// round rates exactly as the same games recorded one by one; other folds credit points per game.
import type { EventData } from '../events/catalogue.js';

export type MatchRound = EventData<'MatchPlayed'>;
export type GameOutcome = MatchRound['outcomes'][number];

/** How many games a round of `players` players holds. */
export function gamesIn(players: number): number {
  return (players * (players - 1)) / 2;
}

/** Calls `visit` for every game of the round, in the round's order. */
export function forEachGame(round: MatchRound, visit: (a: string, b: string, outcome: GameOutcome, i: number, j: number) => void): void {
  const { players, outcomes } = round;
  let k = 0;
  for (let i = 0; i < players.length; i++) {
    for (let j = i + 1; j < players.length; j++) visit(players[i]!, players[j]!, outcomes[k++]!, i, j);
  }
}

/** The outcomes of a round between `results`, row by row: `outcome(a, b)` is a's score. */
export function roundOutcomes<T>(results: readonly T[], outcome: (a: T, b: T) => GameOutcome): GameOutcome[] {
  const out: GameOutcome[] = [];
  for (let i = 0; i < results.length; i++) {
    for (let j = i + 1; j < results.length; j++) out.push(outcome(results[i]!, results[j]!));
  }
  return out;
}

/** The round's players, each once, in order of first appearance (a round read from a v1 self-match names one twice). */
export function distinctPlayers(round: Pick<MatchRound, 'players'>): string[] {
  return [...new Set(round.players)];
}
