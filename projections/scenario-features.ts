// A scenario's feature vector for novelty: ten numbers, each in [0, 1], that say how big, loaded, bursty,
// unreliable, congested, volatile, tight, entangled and memory-hungry it is. Unbounded ratios r ≥ 0 are
// squashed as r / (1 + r) (so 1 maps to 0.5). A pure function of the scenario as recorded: fields the
// scenario omits take the schema's defaults (events are stored as written, without defaults filled in).
import type { EventOf } from '../events/catalogue.js';

export type ScenarioData = EventOf<'ScenarioProposed'>['data']['scenario'];

export const featureNames = [
  'tasks', // log(1 + tasks) / log(1 + 1000), capped at 1
  'nodes', // log(1 + nodes) / log(1 + 200), capped at 1
  'load', // core-seconds of work / (cores × horizon), squashed
  'burstiness', // coefficient of variation of inter-arrival times, squashed (all at once: 1)
  'failures', // node failures per node, capped at 1
  'congestion', // fraction of the horizon under at least one congestion window
  'priceVolatility', // coefficient of variation of the price multipliers in force (starting at 1), squashed
  'slaTightness', // mean over tasks of min(1, run time / SLA) (0 for a task without SLA)
  'dependencies', // dependency edges per task, squashed
  'memoryPressure', // GB-seconds asked / (GB of nodes × horizon), squashed (0 when memory is not modelled)
] as const;

export type FeatureVector = number[];

const squash = (r: number) => (r <= 0 ? 0 : r / (1 + r));
const logScale = (n: number, max: number) => Math.min(1, Math.log1p(n) / Math.log1p(max));

function coefficientOfVariation(xs: readonly number[]): number {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  if (mean === 0) return 0;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  return Math.sqrt(variance) / mean;
}

/** Length of the union of intervals, clipped to [from, until]. */
function coveredLength(intervals: readonly { from: number; until: number }[], from: number, until: number): number {
  const clipped = intervals
    .map((i) => ({ from: Math.max(i.from, from), until: Math.min(i.until, until) }))
    .filter((i) => i.until > i.from)
    .sort((a, b) => a.from - b.from || a.until - b.until);
  let total = 0;
  let start = -Infinity;
  let end = -Infinity;
  for (const i of clipped) {
    if (i.from > end) {
      if (end > start) total += end - start;
      start = i.from;
      end = i.until;
    } else if (i.until > end) end = i.until;
  }
  if (end > start) total += end - start;
  return total;
}

export function scenarioFeatures(scenario: ScenarioData): FeatureVector {
  const nodes = scenario.nodes;
  const tasks = scenario.tasks;
  const env = scenario.environment ?? { failures: [], congestion: [], prices: [] };
  const totalCores = nodes.reduce((s, n) => s + n.cores, 0);
  const meanMips = nodes.reduce((s, n) => s + n.mips, 0) / nodes.length;
  const nodeMemory = nodes.reduce((s, n) => s + (n.memory ?? 0), 0);

  // Run time of a task on an average node of the scenario.
  const runtime = (t: (typeof tasks)[number]) => t.duration ?? (t.length ?? 0) / meanMips;
  let first = Infinity;
  let last = -Infinity;
  let work = 0;
  let memoryWork = 0;
  let tightness = 0;
  let deps = 0;
  for (const t of tasks) {
    const r = runtime(t);
    first = Math.min(first, t.arrival);
    last = Math.max(last, t.arrival + r);
    work += t.cores * r;
    memoryWork += (t.memory ?? 0) * r;
    if (t.sla !== undefined && t.sla !== null) tightness += Math.min(1, r / t.sla);
    deps += (t.deps ?? []).length;
  }
  const horizon = tasks.length === 0 ? 0 : Math.max(last - first, Number.MIN_VALUE);

  const arrivals = tasks.map((t) => t.arrival).sort((a, b) => a - b);
  const gaps = arrivals.slice(1).map((a, i) => a - arrivals[i]!);
  const meanGap = gaps.length === 0 ? 0 : gaps.reduce((s, g) => s + g, 0) / gaps.length;
  const burstiness = gaps.length < 2 ? 0 : meanGap === 0 ? 1 : squash(coefficientOfVariation(gaps));

  const prices = [...(env.prices ?? [])].sort((a, b) => a.at - b.at).map((p) => p.multiplier);
  const congestion = horizon === 0 ? 0 : coveredLength(env.congestion ?? [], first, first + horizon) / horizon;

  return [
    logScale(tasks.length, 1000),
    logScale(nodes.length, 200),
    horizon === 0 ? 0 : squash(work / (totalCores * horizon)),
    burstiness,
    Math.min(1, (env.failures ?? []).length / nodes.length),
    Math.min(1, congestion),
    prices.length === 0 ? 0 : squash(coefficientOfVariation([1, ...prices])),
    tasks.length === 0 ? 0 : tightness / tasks.length,
    tasks.length === 0 ? 0 : squash(deps / tasks.length),
    horizon === 0 || nodeMemory === 0 ? 0 : squash(memoryWork / (nodeMemory * horizon)),
  ];
}

/** Euclidean distance between two feature vectors. */
export function featureDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/**
 * Novelty of `vector` against an archive: the mean distance to its k nearest neighbours, divided by the
 * largest possible distance (√dimension), so it lies in [0, 1]. The k smallest distances are summed in
 * ascending order, so the result does not depend on the archive's order. With fewer than k vectors in
 * the archive, all are used; an empty archive makes anything maximally novel (1).
 */
export function novelty(vector: readonly number[], archive: readonly (readonly number[])[], k: number): number {
  if (archive.length === 0 || k < 1) return 1;
  const distances = archive.map((v) => featureDistance(vector, v)).sort((a, b) => a - b);
  const nearest = distances.slice(0, Math.min(Math.floor(k), distances.length));
  const mean = nearest.reduce((s, d) => s + d, 0) / nearest.length;
  return mean / Math.sqrt(vector.length);
}
