// Diversity by islands. An island is a lineage: every policy belongs to the island of its first parent,
// and a policy without parents (a baseline, an import) founds its own. Parents are chosen within one
// island, so a lineage that starts from a weak heuristic is refined on its own terms instead of being
// crowded out by the current leader; every `MIGRATION_EVERY` iterations crossover takes its second
// parent from another island, so good sub-trees spread between lineages (FunSearch's island model).
// Islands rather than MAP-Elites because the defender never simulates (it is blind to behaviour): a
// lineage is known from the events alone, while behaviour descriptors would need evaluations it does
// not have.
import type { Rng } from '../../../sim/random.js';
import { tournament, better, type Rated } from './tournament.js';

export const MIGRATION_EVERY = 3;

/** Islands compete for the next child in tournaments of this size over their best ratings… */
export const ISLAND_TOURNAMENT = 2;
/** …except this share of the time, when an island is drawn uniformly, so no lineage is starved. */
export const UNIFORM_ISLAND = 0.5;

export interface Island<T extends Rated> {
  island: string;
  members: T[];
  best: T;
}

export function islandOf(policyId: string, islands: Readonly<Record<string, string>>): string {
  return Object.prototype.hasOwnProperty.call(islands, policyId) ? islands[policyId]! : policyId;
}

/** The population grouped by island, islands sorted by id, members by policy id. */
export function groupByIsland<T extends Rated>(population: readonly T[], islands: Readonly<Record<string, string>>): Island<T>[] {
  const groups = new Map<string, T[]>();
  for (const p of population) {
    const id = islandOf(p.policyId, islands);
    const g = groups.get(id);
    if (g === undefined) groups.set(id, [p]);
    else g.push(p);
  }
  return [...groups.keys()].sort().map((island) => {
    const members = groups.get(island)!.sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0));
    return { island, members, best: members.reduce((x, y) => better(x, y)) };
  });
}

/** An island drawn uniformly (UNIFORM_ISLAND of the time) or by a tournament on the islands' best ratings. */
export function chooseIsland<T extends Rated>(rng: Rng, groups: readonly Island<T>[]): Island<T> {
  if (rng.float() < UNIFORM_ISLAND) return groups[rng.int(0, groups.length - 1)]!;
  const champion = tournament(
    rng,
    groups.map((g) => ({ policyId: g.island, rating: g.best.rating })),
    ISLAND_TOURNAMENT,
  );
  return groups.find((g) => g.island === champion.policyId)!;
}

export function isMigration(iteration: number): boolean {
  return iteration > 0 && iteration % MIGRATION_EVERY === 0;
}
