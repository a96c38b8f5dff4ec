// Arrival patterns: n arrival times in [0, horizon), sorted, to the millisecond. The pattern shapes
// the gaps; the horizon (set by the load factor) sets the average rate.
import { z } from 'zod';
import type { Rng } from '../random.js';
import { bernoulli, pareto, round, uniform } from './distributions.js';

export const ArrivalPattern = z
  .enum(['poisson', 'bursty', 'periodic', 'sporadic', 'diurnal'])
  .describe(
    'poisson: independent arrivals at a constant rate; bursty: most arrivals packed into a few short bursts; ' +
      'periodic: evenly spaced with jitter; sporadic: heavy-tailed (Pareto) gaps, long silences; ' +
      'diurnal: a rate that swings like a day (sinusoid), starting at the night trough',
  );
export type ArrivalPattern = z.infer<typeof ArrivalPattern>;

export const ArrivalParams = z
  .object({
    pattern: ArrivalPattern,
    jitter: z.number().min(0).max(1).describe('periodic: each arrival moves by up to ±jitter/2 of the period'),
    bursts: z.number().int().min(1).max(1000).describe('bursty: number of bursts'),
    burstWidth: z.number().min(0.0001).max(1).describe('bursty: length of one burst, as a fraction of the horizon'),
    background: z.number().min(0).max(1).describe('bursty: fraction of arrivals spread evenly outside the bursts'),
    tailIndex: z.number().min(1.05).max(5).describe('sporadic: Pareto tail index α of the gaps; smaller means longer silences'),
    amplitude: z.number().min(0).max(1).describe('diurnal: relative swing of the rate (0 flat, 1 from zero to twice the mean)'),
    cycles: z.number().min(0.25).max(50).describe('diurnal: number of day cycles over the horizon'),
  })
  .strict();
export type ArrivalParams = z.infer<typeof ArrivalParams>;

/** `n` sorted arrival times in [0, horizon), rounded to 1 ms. */
export function arrivalTimes(params: ArrivalParams, n: number, horizon: number, rng: Rng): number[] {
  if (n <= 0) return [];
  const raw = shapes[params.pattern](params, n, horizon, rng);
  const last = Math.max(0, horizon - 0.001);
  return raw.map((t) => round(Math.min(last, Math.max(0, t)))).sort((a, b) => a - b);
}

type Shape = (p: ArrivalParams, n: number, h: number, rng: Rng) => number[];

const shapes: Record<ArrivalPattern, Shape> = {
  // Given n arrivals in [0, h), a Poisson process places them as sorted uniforms.
  poisson: (_p, n, h, rng) => Array.from({ length: n }, () => uniform(rng, 0, h)),

  periodic: (p, n, h, rng) => {
    const period = h / n;
    return Array.from({ length: n }, (_, i) => (i + 0.5) * period + uniform(rng, -0.5, 0.5) * p.jitter * period);
  },

  bursty: (p, n, h, rng) => {
    const bursts = Math.min(p.bursts, n);
    const width = p.burstWidth * h;
    const starts = Array.from({ length: bursts }, () => uniform(rng, 0, Math.max(0, h - width)));
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      if (bernoulli(rng, p.background)) {
        out.push(uniform(rng, 0, h));
        continue;
      }
      // Inside a burst the rate decays: an exponential truncated to the burst's width.
      const start = starts[i % bursts]!;
      const u = rng.float() * (1 - Math.exp(-3));
      out.push(start + (width * -Math.log(1 - u)) / 3);
    }
    return out;
  },

  sporadic: (p, n, h, rng) => {
    // n + 1 gaps so the last arrival is not pinned to the horizon; scaled to fit it exactly.
    const gaps = Array.from({ length: n + 1 }, () => pareto(rng, 1, p.tailIndex));
    const total = gaps.reduce((a, b) => a + b, 0);
    const out: number[] = [];
    let t = 0;
    for (let i = 0; i < n; i++) {
      t += gaps[i]!;
      out.push((t / total) * h);
    }
    return out;
  },

  diurnal: (p, n, h, rng) => {
    // Thinning: propose uniform times, keep each with probability rate(t) / max rate.
    const rate = (t: number) => 1 + p.amplitude * Math.sin((2 * Math.PI * p.cycles * t) / h - Math.PI / 2);
    const peak = 1 + p.amplitude;
    const out: number[] = [];
    while (out.length < n) {
      const t = uniform(rng, 0, h);
      if (rng.float() * peak < rate(t)) out.push(t);
    }
    return out;
  },
};

/** Mean inter-arrival gap and its coefficient of variation (σ / mean) for sorted times. */
export function gapStatistics(times: readonly number[]): { mean: number; cv: number } {
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  if (gaps.length === 0) return { mean: 0, cv: 0 };
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const variance = gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length;
  return { mean, cv: mean > 0 ? Math.sqrt(variance) / mean : 0 };
}
