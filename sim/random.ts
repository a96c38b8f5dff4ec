// Seeded randomness. One stream per purpose, derived from a seed and a name, so adding a consumer
// never shifts the numbers another consumer sees. Nothing in AURORA may use Math.random.
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** FNV-1a over the UTF-16 code units of a string, mixed with a seed: a stable 32-bit name hash. */
export function hashName(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number;
  /** A child stream for a sub-purpose. */
  derive(name: string): Rng;
}

/** MurmurHash3's finaliser: spreads every input bit over the whole word. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * xoroshiro128+ seeded from one 32-bit number starts from a state whose first outputs are a plain
 * function of that number; mixing the seed and discarding the first draws makes streams of
 * neighbouring seeds unrelated from their first number on.
 */
const WARM_UP = 8;

class PureRng implements Rng {
  private readonly gen: JumpableRandomGenerator;
  constructor(private readonly seed: number) {
    this.gen = xoroshiro128plus(mix32(seed) | 0);
    for (let i = 0; i < WARM_UP; i++) this.gen.next();
  }
  float(): number {
    return uniformFloat64(this.gen);
  }
  int(from: number, to: number): number {
    return uniformInt(this.gen, from, to);
  }
  derive(name: string): Rng {
    return new PureRng(hashName(this.seed, name));
  }
}

/** The stream for `purpose` under `seed`. */
export function rngFor(seed: number, purpose: string): Rng {
  return new PureRng(hashName(seed, purpose));
}
