// Sampling helpers over a seeded stream (sim/random.ts). Every generator draws through these, so one
// stream per purpose stays the only source of randomness.
import type { Rng } from '../random.js';

/** Uniform in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.float();
}

/** A draw in (0, 1]: safe under a logarithm. */
export function openUnit(rng: Rng): number {
  return 1 - rng.float();
}

/** Exponential with the given mean. */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(openUnit(rng));
}

/** Standard normal (Box–Muller; one of the pair is discarded to keep streams simple). */
export function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(openUnit(rng))) * Math.cos(2 * Math.PI * rng.float());
}

/** Log-normal with the given median and σ of the underlying normal. */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** Pareto with scale `xm` (the minimum) and tail index `alpha`. */
export function pareto(rng: Rng, xm: number, alpha: number): number {
  return xm / Math.pow(openUnit(rng), 1 / alpha);
}

/** Weibull with `scale` λ and `shape` k, by inversion: λ (−ln U)^(1/k). */
export function weibull(rng: Rng, scale: number, shape: number): number {
  return scale * Math.pow(-Math.log(openUnit(rng)), 1 / shape);
}

export function bernoulli(rng: Rng, p: number): boolean {
  return rng.float() < p;
}

/** Index drawn with probability proportional to `weights` (all ≥ 0, sum > 0). */
export function pickWeighted(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rng.float() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  // Rounding can leave r at 0 after the last positive weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
  return 0;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(0, items.length - 1)]!;
}

/** Zipf weights 1/k^s for ranks 1..n: a few heavy users and a long tail of light ones. */
export function zipfWeights(n: number, s = 1): number[] {
  return Array.from({ length: n }, (_, k) => 1 / Math.pow(k + 1, s));
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `k` distinct indices below `weights.length`, each draw proportional to the weights left. */
export function sampleWithoutReplacement(rng: Rng, weights: readonly number[], k: number): number[] {
  const left = [...weights];
  const out: number[] = [];
  for (let n = 0; n < k && left.some((w) => w > 0); n++) {
    const i = pickWeighted(rng, left);
    out.push(i);
    left[i] = 0;
  }
  return out;
}

/** Round to `digits` decimals (times to the millisecond, sizes to a readable precision). */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

export function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

/** Median of a non-empty list (lower middle for even lengths, so it is always an element). */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
