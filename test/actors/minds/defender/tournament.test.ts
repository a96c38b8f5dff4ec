import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tournament } from '../../../../actors/minds/defender/tournament.js';
import { chooseIsland, groupByIsland, isMigration, islandOf } from '../../../../actors/minds/defender/islands.js';
import { rngFor } from '../../../../sim/random.js';

const members = Array.from({ length: 10 }, (_, i) => ({ policyId: `p${i}`, rating: 1400 + 20 * i }));

test('given a ladder, when running many tournaments, then higher-rated policies win more often, and the lowest can still win with size 1', () => {
  const wins = new Map<string, number>();
  const rng = rngFor(5, 'tournament');
  for (let i = 0; i < 4000; i++) {
    const w = tournament(rng, members, 3).policyId;
    wins.set(w, (wins.get(w) ?? 0) + 1);
  }
  const w = (id: string) => wins.get(id) ?? 0;
  assert.ok(w('p9') > w('p5') && w('p5') > w('p1'), JSON.stringify([...wins]));
  assert.is(w('p0'), 0); // with three distinct entrants the weakest never wins
  // Expected share of the best with k = 3 of n = 10: 1 − C(9,3)/C(10,3) = 0.3.
  assert.ok(Math.abs(w('p9') / 4000 - 0.3) < 0.03);
  let lowest = 0;
  for (let i = 0; i < 1000; i++) if (tournament(rng, members, 1).policyId === 'p0') lowest += 1;
  assert.ok(lowest > 50);
});

test('given ties in rating, when choosing, then the lower policy id wins, whatever the input order', () => {
  const tied = [
    { policyId: 'b', rating: 1500 },
    { policyId: 'a', rating: 1500 },
  ];
  for (let seed = 0; seed < 20; seed++) assert.is(tournament(rngFor(seed, 't'), tied, 2).policyId, 'a');
  assert.is(tournament(rngFor(1, 't'), tied, 2).policyId, tournament(rngFor(1, 't'), [...tied].reverse(), 2).policyId);
});

test('given lineages, when grouping, then each policy joins its recorded island and unknown ones found their own', () => {
  const islands = { c1: 'b-first-fit', c2: 'b-first-fit', c3: 'b-best-fit' };
  const pop = [
    { policyId: 'c2', rating: 1600 },
    { policyId: 'b-first-fit', rating: 1500 },
    { policyId: 'c1', rating: 1550 },
    { policyId: 'c3', rating: 1400 },
    { policyId: 'x', rating: 1450 },
  ];
  const groups = groupByIsland(pop, islands);
  assert.equal(
    groups.map((g) => [g.island, g.members.map((m) => m.policyId), g.best.policyId]),
    [
      ['b-best-fit', ['c3'], 'c3'],
      ['b-first-fit', ['b-first-fit', 'c1', 'c2'], 'c2'],
      ['x', ['x'], 'x'],
    ],
  );
  assert.is(islandOf('zzz', islands), 'zzz');
  const counts = new Map<string, number>();
  const rng = rngFor(3, 'islands');
  for (let i = 0; i < 3000; i++) {
    const g = chooseIsland(rng, groups).island;
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  // Islands compete on their best rating: the strongest is chosen most, the weakest still sometimes.
  assert.ok((counts.get('b-first-fit') ?? 0) > (counts.get('x') ?? 0));
  assert.ok((counts.get('b-best-fit') ?? 0) > 0);
});

test('given iterations, when asking for migration, then it comes every third iteration', () => {
  assert.equal([1, 2, 3, 4, 5, 6].map(isMigration), [false, false, true, false, false, true]);
});

test.run();
