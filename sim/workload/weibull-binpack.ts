// FunSearch's Weibull bin packing instances (Romera-Paredes et al., Nature 2024, after Castiñeiras, De
// Cauwer & O'Sullivan, CP 2012): item sizes ~ Weibull(scale 45, shape 3), clipped to [1, 100], rounded to
// integers; bin capacity 100. The mean of Weibull(45, 3) is 45·Γ(4/3) ≈ 40.18.
import { rngFor } from '../random.js';
import { weibull } from './distributions.js';

export const WEIBULL_BINPACK = { scale: 45, shape: 3, capacity: 100, min: 1, max: 100 } as const;

export interface BinpackInstance {
  capacity: number;
  items: number[];
}

/** `n` items in arrival order, from the stream `workload/weibull-binpack` under `seed`. */
export function generateWeibullBinpack(n: number, seed: number): BinpackInstance {
  const rng = rngFor(seed, 'workload/weibull-binpack');
  const { scale, shape, capacity, min, max } = WEIBULL_BINPACK;
  const items = Array.from({ length: n }, () => Math.round(Math.min(max, Math.max(min, weibull(rng, scale, shape)))));
  return { capacity, items };
}
