// ELO tournament selection: draw `size` distinct members uniformly, keep the best rated (ties: the
// lower policy id). Larger tournaments press harder towards the top of the ladder; every member keeps
// a chance, so a low-rated lineage is not lost at once.
import type { Rng } from '../../../sim/random.js';

export interface Rated {
  policyId: string;
  rating: number;
}

const byId = (a: Rated, b: Rated) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0);

/** Better of two: higher rating, then lower id. */
export function better<T extends Rated>(a: T, b: T): T {
  if (a.rating !== b.rating) return a.rating > b.rating ? a : b;
  return byId(a, b) <= 0 ? a : b;
}

export function tournament<T extends Rated>(rng: Rng, members: readonly T[], size: number): T {
  if (members.length === 0) throw new Error('tournament over an empty population');
  const pool = [...members].sort(byId);
  const k = Math.max(1, Math.min(Math.floor(size), pool.length));
  // A partial Fisher–Yates shuffle draws k distinct members.
  let best: T | null = null;
  for (let i = 0; i < k; i++) {
    const j = rng.int(i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    best = best === null ? pool[i]! : better(best, pool[i]!);
  }
  return best!;
}
