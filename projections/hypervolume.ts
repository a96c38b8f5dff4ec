// Pareto dominance, non-dominated sorting and the exact hypervolume of a set of points, every objective
// maximised. The hypervolume is the measure of the union of the boxes [reference, p] over the points p:
// computed exactly with WFG (While, Bradstreet & Barone, "A fast way of calculating exact hypervolumes",
// IEEE TEVC 2012): hv(S) = Σ_i exclhv(p_i, S[i+1..]), exclhv(p, T) = vol(p) − hv(nondominated(limit(T, p))),
// where limit(T, p) clips every point of T to p. Sorting by the last objective first keeps the limit sets
// small; two objectives are a sweep. Exact (up to floating-point rounding) in any dimension; fast enough
// for the few hundred non-dominated points of a run in five objectives.
export type Point = readonly number[];

/** a ≥ b in every objective and > in at least one. */
export function dominates(a: Point, b: Point): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return false;
    if (a[i]! > b[i]!) better = true;
  }
  return better;
}

function equalPoints(a: Point, b: Point): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Deb's fast non-dominated sort: fronts[0] is the Pareto front, fronts[1] the front once it is removed,
 * and so on. Within a front items keep their input order; equal points share a front.
 */
export function nonDominatedSort<T>(items: readonly T[], point: (item: T) => Point): T[][] {
  const n = items.length;
  const pts = items.map(point);
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(pts[i]!, pts[j]!)) {
        dominating[i]!.push(j);
        dominatedBy[j]! += 1;
      } else if (dominates(pts[j]!, pts[i]!)) {
        dominating[j]!.push(i);
        dominatedBy[i]! += 1;
      }
    }
  }
  const fronts: T[][] = [];
  let current: number[] = [];
  for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) current.push(i);
  while (current.length > 0) {
    fronts.push(current.map((i) => items[i]!));
    const next: number[] = [];
    for (const i of current) {
      for (const j of dominating[i]!) {
        dominatedBy[j]! -= 1;
        if (dominatedBy[j] === 0) next.push(j);
      }
    }
    current = next.sort((x, y) => x - y);
  }
  return fronts;
}

/**
 * The first front of `nonDominatedSort` alone, in input order: O(n · front size) time and O(n) memory,
 * where the full sort needs O(n²) of both (a summary of a run with thousands of policies only shows this).
 * Candidates are visited by descending sum of objectives, so a point's dominators (whose sum is never
 * lower) are mostly seen first; a dominated member is dropped whenever a later point dominates it.
 */
export function paretoFront<T>(items: readonly T[], point: (item: T) => Point): T[] {
  const pts = items.map(point);
  const sums = pts.map((p) => p.reduce((s, v) => s + v, 0));
  const order = pts.map((_, i) => i).sort((a, b) => sums[b]! - sums[a]! || a - b);
  let kept: number[] = [];
  for (const i of order) {
    const p = pts[i]!;
    if (kept.some((k) => dominates(pts[k]!, p))) continue;
    if (kept.some((k) => dominates(p, pts[k]!))) kept = kept.filter((k) => !dominates(p, pts[k]!));
    kept.push(i);
  }
  return kept.sort((a, b) => a - b).map((i) => items[i]!);
}

/** The non-dominated points of `points`, one copy of each (duplicates contribute nothing more). */
function nondominated(points: number[][]): number[][] {
  const kept: number[][] = [];
  outer: for (const p of points) {
    for (let i = 0; i < kept.length; i++) {
      const q = kept[i]!;
      if (dominates(q, p) || equalPoints(q, p)) continue outer;
      if (dominates(p, q)) {
        kept.splice(i, 1);
        i -= 1;
      }
    }
    kept.push(p);
  }
  return kept;
}

function boxVolume(p: Point): number {
  let v = 1;
  for (const x of p) v *= x;
  return v;
}

/** Two objectives: sweep by the first, descending; each point adds the strip above the best second so far. */
function hv2(points: number[][]): number {
  const sorted = [...points].sort((a, b) => b[0]! - a[0]! || b[1]! - a[1]!);
  let area = 0;
  let top = 0;
  for (const p of sorted) {
    if (p[1]! > top) {
      area += p[0]! * (p[1]! - top);
      top = p[1]!;
    }
  }
  return area;
}

/** WFG over translated points (the reference is the origin, every coordinate > 0), non-dominated. */
function wfg(points: number[][], d: number): number {
  const n = points.length;
  if (n === 0) return 0;
  if (n === 1) return boxVolume(points[0]!);
  if (d === 1) return Math.max(...points.map((p) => p[0]!));
  if (d === 2) return hv2(points);
  const sorted = [...points].sort((a, b) => b[d - 1]! - a[d - 1]!);
  let volume = 0;
  for (let i = 0; i < n; i++) {
    const p = sorted[i]!;
    const limited: number[][] = [];
    for (let j = i + 1; j < n; j++) {
      const q = sorted[j]!;
      const clipped = new Array<number>(d);
      for (let k = 0; k < d; k++) clipped[k] = Math.min(p[k]!, q[k]!);
      limited.push(clipped);
    }
    volume += boxVolume(p) - wfg(nondominated(limited), d);
  }
  return volume;
}

/**
 * The exact hypervolume dominated by `points` with respect to `reference` (default: 0 in every objective),
 * every objective maximised. Points that are not strictly better than the reference in every objective
 * add nothing; duplicates count once. All points and the reference must have the same dimension.
 */
export function hypervolume(points: readonly Point[], reference?: Point): number {
  const d = reference?.length ?? points[0]?.length ?? 0;
  const ref = reference ?? new Array<number>(d).fill(0);
  const translated: number[][] = [];
  for (const p of points) {
    if (p.length !== d) throw new RangeError(`point of dimension ${p.length}, expected ${d}`);
    const q = p.map((v, i) => v - ref[i]!);
    if (q.every((v) => v > 0)) translated.push(q);
  }
  return wfg(nondominated(translated), d);
}
