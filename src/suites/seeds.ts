// Held-out separation by construction: every test seed of every suite is below TRAINING_SEED_BASE, every
// seed evolution draws for training or validation is at or above it. A policy can therefore never be
// trained on an instance it is tested on, whatever seed the user gives `aurora evolve`.
import { hashName } from '../../sim/random.js';

/** 2^31: test seeds live below, training and validation seeds at or above. */
export const TRAINING_SEED_BASE = 2 ** 31;

export type SeedUse = 'train' | 'validate';

/**
 * The k-th training (or validation) seed of an evolution run seeded `runSeed` for `suite`: in
 * [2^31, 2^32), distinct purposes hashed apart, so training and validation sets differ.
 */
export function trainingSeed(runSeed: number, suite: string, use: SeedUse, k: number): number {
  return TRAINING_SEED_BASE + (hashName(runSeed, `${suite}/${use}/${k}`) >>> 1);
}

/** `count` distinct training seeds (a collision of two hashes is skipped, never repeated). */
export function trainingSeeds(runSeed: number, suite: string, use: SeedUse, count: number): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  for (let k = 0; out.length < count; k++) {
    const s = trainingSeed(runSeed, suite, use, k);
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(s);
  }
  return out;
}

export function isTestSeed(seed: number): boolean {
  return Number.isInteger(seed) && seed >= 0 && seed < TRAINING_SEED_BASE;
}
