// How hard a scenario looks on paper, as a curriculum level. Its complexity is the mean of its ten
// novelty features (projections/scenario-features.ts: size, load, burstiness, failures, congestion,
// price volatility, SLA tightness, dependencies, memory pressure; each in [0, 1]). The yardstick is
// the generator's default scenario of each level (sim/workload/defaults.ts, seed 0): a scenario "as
// complex as level L's default" has level-equivalent L, found by linear interpolation between the
// defaults' complexities (made non-decreasing first, so the mapping is monotone), clamped to [1, 10].
import { scenarioFeatures, type FeatureVector } from '../../../projections/scenario-features.js';
import type { Domain } from '../../../sim/scenario.js';
import { defaultParams } from '../../../sim/workload/defaults.js';
import { generateFromParams } from '../../../sim/workload/generate.js';

export const DOMAINS: readonly Domain[] = ['cloud', 'edge', 'network', 'hybrid'];

export function complexityOf(features: readonly number[]): number {
  if (features.length === 0) return 0;
  return features.reduce((s, x) => s + x, 0) / features.length;
}

// A pure function of the code, so caching it changes no result.
const curves = new Map<string, number[]>();

/** The complexity of the default scenario of each level 1–10 (made non-decreasing), for `domain`. */
export function levelCurve(domain: Domain | 'all'): number[] {
  const cached = curves.get(domain);
  if (cached !== undefined) return cached;
  let curve: number[];
  if (domain === 'all') {
    const per = DOMAINS.map((d) => levelCurve(d));
    curve = per[0]!.map((_, i) => per.reduce((s, c) => s + c[i]!, 0) / per.length);
  } else {
    curve = [];
    for (let level = 1; level <= 10; level++) {
      const features: FeatureVector = scenarioFeatures(generateFromParams(defaultParams(domain, level), 0));
      curve.push(Math.max(complexityOf(features), curve[level - 2] ?? 0));
    }
  }
  curves.set(domain, curve);
  return curve;
}

/** The level (1–10, fractional) whose default is as complex as `complexity`. */
export function levelEquivalent(complexity: number, domain: Domain | 'all' = 'all'): number {
  const curve = levelCurve(domain);
  if (complexity <= curve[0]!) return 1;
  for (let i = 1; i < curve.length; i++) {
    const lo = curve[i - 1]!;
    const hi = curve[i]!;
    if (complexity <= hi) return hi === lo ? i + 1 : i + (complexity - lo) / (hi - lo);
  }
  return 10;
}
