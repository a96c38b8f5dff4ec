// The `binpack` suite (version 1): FunSearch's online bin-packing test sets, and the generators evolution
// trains on instead. Two tracks, as in FunSearch, which evolved one heuristic per family:
// - weibull: Weibull 5k (the released file) and Weibull 10k / 100k, generated with FunSearch's recipe
//   (sizes ~ Weibull(45, 3), truncated to whole numbers, clipped to [1, 100]; capacity 100) from fixed
//   test seeds; training instances are fresh 5,000-item instances from training seeds (seeds.ts).
// - or: OR1–OR4 (OR-Library binpack1–4, Falkenauer's u120 … u1000: sizes U[20, 100], capacity 150);
//   training instances are fresh U[20, 100] instances of 120, 250, 500 and 1,000 items (FunSearch
//   trained on 120-item ones), never the OR files, which are slices of one stream and so leak into
//   each other (../shared/data/binpack/SOURCE.md). The track below deals the sizes in turn; `aurora
//   evolve` deals them by items instead (src/evolve/binpack-size-mix.ts says why).
import { join } from 'node:path';
import { l1Bound, parseBinpackDataset, type BinpackDataset, type BinpackInstance } from '../../sim/binpack/dataset.js';
import { rngFor } from '../../sim/random.js';
import { weibull } from '../../sim/workload/distributions.js';
import { readDataFile } from './data-dir.js';
import { trainingSeeds, type SeedUse } from './seeds.js';

export const BINPACK_SUITE_VERSION = 1;

export const BINPACK_TRACKS = ['weibull', 'or'] as const;
export type BinpackTrackName = (typeof BINPACK_TRACKS)[number];

/** FunSearch's Table 1 (Romera-Paredes et al., Nature 2024), excess over the L1 bound in %. */
export interface PublishedRow {
  readonly firstFit: number;
  readonly bestFit: number;
  readonly funSearch: number;
}

export interface BinpackTestSet {
  readonly name: string;
  readonly track: BinpackTrackName;
  /** Where the instances come from, in words. */
  readonly source: string;
  readonly published: PublishedRow;
  /** True when the instances are exactly the ones FunSearch published (the released files). */
  readonly sameInstancesAsPublished: boolean;
  load(dataDir: string): BinpackDataset;
}

/** Test seeds of the generated Weibull sets: below 2^31, like every test seed. */
export const WEIBULL_TEST_SEEDS = {
  Weibull10k: { items: 10_000, seeds: [10_001, 10_002, 10_003, 10_004, 10_005] },
  Weibull100k: { items: 100_000, seeds: [100_001, 100_002, 100_003, 100_004, 100_005] },
} as const;

const fileSet = (name: string, track: BinpackTrackName, published: PublishedRow, what: string): BinpackTestSet => ({
  name,
  track,
  source: `${what} (../shared/data/binpack/${name}.json)`,
  published,
  sameInstancesAsPublished: true,
  load: (dataDir) => parseBinpackDataset(JSON.parse(readDataFile(dataDir, join('binpack', `${name}.json`))), `${name}.json`),
});

const generated = new Map<string, BinpackDataset>();

const weibullSet = (name: keyof typeof WEIBULL_TEST_SEEDS, published: PublishedRow): BinpackTestSet => {
  const { items, seeds } = WEIBULL_TEST_SEEDS[name];
  return {
    name,
    track: 'weibull',
    source: `${seeds.length} instances of ${items.toLocaleString('en')} items generated with FunSearch's recipe, seeds ${seeds.join(', ')}`,
    published,
    sameInstancesAsPublished: false,
    load: () => {
      let d = generated.get(name);
      if (d === undefined) {
        d = { name, capacity: WEIBULL_RECIPE.capacity, instances: seeds.map((s) => weibullInstance(items, s)) };
        generated.set(name, d);
      }
      return d;
    },
  };
};

export const BINPACK_TEST_SETS: readonly BinpackTestSet[] = [
  fileSet('OR1', 'or', { firstFit: 6.42, bestFit: 5.81, funSearch: 5.3 }, 'OR-Library binpack1, 20 × 120 items'),
  fileSet('OR2', 'or', { firstFit: 6.45, bestFit: 6.06, funSearch: 4.19 }, 'OR-Library binpack2, 20 × 250 items'),
  fileSet('OR3', 'or', { firstFit: 5.74, bestFit: 5.37, funSearch: 3.11 }, 'OR-Library binpack3, 20 × 500 items'),
  fileSet('OR4', 'or', { firstFit: 5.23, bestFit: 4.94, funSearch: 2.47 }, 'OR-Library binpack4, 20 × 1,000 items'),
  fileSet('Weibull5k', 'weibull', { firstFit: 4.23, bestFit: 3.98, funSearch: 0.68 }, "FunSearch's Weibull 5k, 5 × 5,000 items"),
  weibullSet('Weibull10k', { firstFit: 4.2, bestFit: 3.9, funSearch: 0.32 }),
  weibullSet('Weibull100k', { firstFit: 4.0, bestFit: 3.79, funSearch: 0.03 }),
];

/**
 * FunSearch's Weibull instances: Weibull(scale 45, shape 3) truncated to whole numbers and clipped to
 * [1, 100], capacity 100. Truncated, not rounded: the released Weibull 5k set has mean size 39.75
 * (25,000 items, standard error 0.09), against 40.18 for rounding and 39.68 for truncation, and first
 * and best fit on truncated 10k / 100k instances come out at FunSearch's published 4.20 / 3.90 and
 * 4.00 / 3.79 % within noise, where rounded ones give about 0.1 point more.
 */
export const WEIBULL_RECIPE = { scale: 45, shape: 3, capacity: 100, min: 1, max: 100 } as const;

export function weibullInstance(items: number, seed: number): BinpackInstance {
  const rng = rngFor(seed, 'suite/binpack/weibull');
  const { scale, shape, capacity, min, max } = WEIBULL_RECIPE;
  const sizes = Array.from({ length: items }, () => Math.min(max, Math.max(min, Math.floor(weibull(rng, scale, shape)))));
  return { id: `weibull-${items}-s${seed}`, capacity, items: sizes, l1: l1Bound(sizes, capacity), bestKnown: null };
}

/** OR-Library's u-class recipe: integer sizes uniform in [20, 100], capacity 150. */
export const UNIFORM_BINPACK = { min: 20, max: 100, capacity: 150 } as const;

export function uniformInstance(items: number, seed: number): BinpackInstance {
  const rng = rngFor(seed, 'suite/binpack/uniform');
  const { min, max, capacity } = UNIFORM_BINPACK;
  const sizes = Array.from({ length: items }, () => rng.int(min, max));
  return { id: `uniform-${items}-s${seed}`, capacity, items: sizes, l1: l1Bound(sizes, capacity), bestKnown: null };
}

export interface BinpackTrack {
  readonly name: BinpackTrackName;
  readonly description: string;
  /** Test sets of this track (columns of FunSearch's table it answers for). */
  readonly testSets: readonly string[];
  /** Default training and validation instance counts. */
  readonly defaults: { readonly train: number; readonly validate: number };
  /** Fresh instances from training seeds: never a test instance. */
  instances(runSeed: number, use: SeedUse, count: number): BinpackDataset;
}

export const OR_SIZES = [120, 250, 500, 1000] as const;

export const BINPACK_TRACK_DEFS: Readonly<Record<BinpackTrackName, BinpackTrack>> = {
  weibull: {
    name: 'weibull',
    description: 'fresh Weibull(45, 3) instances of 5,000 items, truncated, clipped to [1, 100], capacity 100 (FunSearch recipe)',
    testSets: ['Weibull5k', 'Weibull10k', 'Weibull100k'],
    defaults: { train: 24, validate: 40 },
    instances: (runSeed, use, count) => ({
      name: `weibull-${use}`,
      capacity: WEIBULL_RECIPE.capacity,
      instances: trainingSeeds(runSeed, 'binpack/weibull', use, count).map((s) => weibullInstance(5000, s)),
    }),
  },
  or: {
    name: 'or',
    description: 'fresh U[20, 100] instances, capacity 150, of 120, 250, 500 and 1,000 items in turn (OR-Library u-class recipe)',
    testSets: ['OR1', 'OR2', 'OR3', 'OR4'],
    defaults: { train: 128, validate: 200 },
    instances: (runSeed, use, count) => ({
      name: `or-${use}`,
      capacity: UNIFORM_BINPACK.capacity,
      instances: trainingSeeds(runSeed, 'binpack/or', use, count).map((s, k) => uniformInstance(OR_SIZES[k % OR_SIZES.length]!, s)),
    }),
  },
};

export function isBinpackTrack(name: string): name is BinpackTrackName {
  return (BINPACK_TRACKS as readonly string[]).includes(name);
}
