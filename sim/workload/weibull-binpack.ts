// FunSearch's Weibull bin packing instances (Romera-Paredes et al., Nature 2024, after Castiñeiras, De
// Cauwer & O'Sullivan, CP 2012): item sizes ~ Weibull(scale 45, shape 3), truncated to whole numbers and
// clipped to [1, 100]; bin capacity 100. Truncated, not rounded, as the suite's generated sets
// (src/suites/binpack.ts): the released Weibull 5k set has mean size 39.75 (25,000 items, standard error
// 0.09), truncation gives 39.68 and rounding 40.18 (the mean of Weibull(45, 3), 45·Γ(4/3)).
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
  const items = Array.from({ length: n }, () => Math.min(max, Math.max(min, Math.floor(weibull(rng, scale, shape)))));
  return { capacity, items };
}
