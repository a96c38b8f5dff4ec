import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { dominates, hypervolume, nonDominatedSort, paretoFront, type Point } from '../../projections/hypervolume.js';

// Brute force 1: inclusion–exclusion over every non-empty subset of boxes [0, p]:
// |∪ B_i| = Σ_{T ≠ ∅} (−1)^{|T|+1} Π_j min_{p ∈ T} p_j.
function inclusionExclusion(points: readonly Point[], d: number): number {
  const pts = points.map((p) => p.map((v) => Math.max(0, v)));
  let total = 0;
  for (let mask = 1; mask < 1 << pts.length; mask++) {
    const corner = new Array<number>(d).fill(Infinity);
    let size = 0;
    for (let i = 0; i < pts.length; i++) {
      if (!(mask & (1 << i))) continue;
      size++;
      for (let j = 0; j < d; j++) corner[j] = Math.min(corner[j]!, pts[i]![j]!);
    }
    total += (size % 2 === 1 ? 1 : -1) * corner.reduce((v, x) => v * x, 1);
  }
  return total;
}

// Brute force 2: the union on the grid of all distinct coordinates: a grid cell is covered when some
// point dominates its upper corner; the volume is the sum of the covered cells.
function gridUnion(points: readonly Point[], d: number): number {
  const axes = Array.from({ length: d }, (_, j) => [0, ...new Set(points.map((p) => Math.max(0, p[j]!)))].sort((a, b) => a - b));
  let volume = 0;
  const index = new Array<number>(d).fill(1);
  const cells = axes.reduce((n, a) => n * (a.length - 1), 1);
  for (let c = 0; c < cells; c++) {
    let rest = c;
    for (let j = 0; j < d; j++) {
      index[j] = (rest % (axes[j]!.length - 1)) + 1;
      rest = Math.floor(rest / (axes[j]!.length - 1));
    }
    const upper = index.map((i, j) => axes[j]![i]!);
    if (points.some((p) => upper.every((u, j) => p[j]! >= u))) {
      volume += index.reduce((v, i, j) => v * (axes[j]![i]! - axes[j]![i - 1]!), 1);
    }
  }
  return volume;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

const pointSets = (maxPoints: number, coordinate: fc.Arbitrary<number>) =>
  fc.integer({ min: 1, max: 5 }).chain((d) =>
    fc.tuple(fc.constant(d), fc.array(fc.array(coordinate, { minLength: d, maxLength: d }), { maxLength: maxPoints })),
  );

test('given random point sets of up to 5 objectives with ties and duplicates, when computing the hypervolume, then it equals inclusion–exclusion', () => {
  // Coordinates on a coarse grid (including 0) make equal coordinates and duplicate points common.
  const coarse = fc.integer({ min: 0, max: 4 }).map((v) => v / 4);
  fc.assert(
    fc.property(pointSets(9, coarse), ([d, points]) => {
      const expected = inclusionExclusion(points, d);
      assert.ok(near(hypervolume(points, new Array(d).fill(0)), expected), `${hypervolume(points)} vs ${expected}`);
    }),
    { numRuns: 300 },
  );
});

test('given random real-valued point sets, when computing the hypervolume, then it equals the grid union', () => {
  const real = fc.double({ min: 0, max: 1, noNaN: true, noDefaultInfinity: true });
  fc.assert(
    fc.property(pointSets(7, real), ([d, points]) => {
      const expected = gridUnion(points, d);
      const actual = hypervolume(points, new Array(d).fill(0));
      assert.ok(near(actual, expected), `${actual} vs ${expected}`);
      assert.ok(near(actual, inclusionExclusion(points, d)));
    }),
    { numRuns: 200 },
  );
});

test('given a point set, when duplicates or dominated points are added, then the hypervolume does not change', () => {
  const coordinate = fc.double({ min: 0, max: 1, noNaN: true });
  fc.assert(
    fc.property(pointSets(8, coordinate), fc.nat(), ([d, points], pick) => {
      if (points.length === 0) return;
      const base = hypervolume(points, new Array(d).fill(0));
      const p = points[pick % points.length]!;
      const dominated = p.map((v) => v / 2);
      assert.ok(near(hypervolume([...points, p, dominated], new Array(d).fill(0)), base));
    }),
  );
});

test('given known sets, when computing the hypervolume, then the values are the textbook ones', () => {
  assert.is(hypervolume([]), 0);
  assert.is(hypervolume([[0.5, 0.5, 0.5, 0.5, 0.5]]), 0.5 ** 5);
  // Two overlapping squares: 2×1 + 1×2 − 1×1.
  assert.is(hypervolume([[2, 1], [1, 2]]), 3);
  // A point on the reference plane encloses nothing.
  assert.is(hypervolume([[0, 1, 1]]), 0);
  // A reference point other than the origin shifts every box.
  assert.is(hypervolume([[3, 3]], [1, 2]), 2);
});

test('given mismatched dimensions, when computing the hypervolume, then it refuses', () => {
  assert.throws(() => hypervolume([[1, 2], [1, 2, 3]]), /dimension/);
});

test('given random points, when sorted into fronts, then every front is non-dominated and dominated by the one before', () => {
  const coordinate = fc.integer({ min: 0, max: 5 });
  fc.assert(
    fc.property(pointSets(30, coordinate), ([, points]) => {
      const fronts = nonDominatedSort(points.map((p, i) => ({ i, p })), (x) => x.p);
      assert.is(fronts.reduce((n, f) => n + f.length, 0), points.length);
      fronts.forEach((front, k) => {
        for (const x of front) {
          assert.ok(!front.some((y) => dominates(y.p, x.p)), 'a front member is dominated by its own front');
          if (k > 0) assert.ok(fronts[k - 1]!.some((y) => dominates(y.p, x.p)), 'not dominated by the previous front');
        }
        // Input order is kept within a front.
        assert.equal(front.map((x) => x.i), [...front.map((x) => x.i)].sort((a, b) => a - b));
      });
    }),
  );
});

test('given random points with ties and duplicates, when taking the Pareto front alone, then it is the first front of the full sort', () => {
  const coordinate = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 1, noNaN: true }));
  fc.assert(
    fc.property(pointSets(40, coordinate), ([, points]) => {
      const items = points.map((p, i) => ({ i, p }));
      assert.equal(paretoFront(items, (x) => x.p), nonDominatedSort(items, (x) => x.p)[0] ?? []);
    }),
  );
});

test.run();
