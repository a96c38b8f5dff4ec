// DeepRM's synthetic jobs (Mao, Alizadeh, Menache, Kandula, "Resource Management with Deep Reinforcement
// Learning", HotNets 2016, §5): two resources; 80 % of jobs are short, duration uniform in 1t..3t, the
// rest long, 10t..15t; each job has a dominant resource picked at random, asking uniformly 0.25r..0.5r of
// it and 0.05r..0.1r of the other (r = a machine's capacity). We follow the paper's text. Its released
// code (hongzimao/deeprm, job_distribution.py) differs: dominant 0.5..1.0, other 0.1..0.2 of 10 slots.
// Durations are whole time units, as in the paper's slotted time.
import type { Rng } from '../random.js';
import { uniform } from './distributions.js';

export const DEEPRM = {
  shortShare: 0.8,
  shortUnits: [1, 3],
  longUnits: [10, 15],
  dominantShare: [0.25, 0.5],
  otherShare: [0.05, 0.1],
} as const;

export interface DeepRmJob {
  /** Which resource dominates. */
  dominant: 'cpu' | 'memory';
  /** Demand as a fraction of one machine's cores. */
  cpu: number;
  /** Demand as a fraction of one machine's memory. */
  memory: number;
  /** Duration in time units (whole numbers). */
  units: number;
  long: boolean;
}

export function deeprmJob(rng: Rng): DeepRmJob {
  const long = rng.float() >= DEEPRM.shortShare;
  const [lo, hi] = long ? DEEPRM.longUnits : DEEPRM.shortUnits;
  const units = rng.int(lo, hi);
  const dominant = rng.float() < 0.5 ? 'cpu' : 'memory';
  const major = uniform(rng, DEEPRM.dominantShare[0], DEEPRM.dominantShare[1]);
  const minor = uniform(rng, DEEPRM.otherShare[0], DEEPRM.otherShare[1]);
  return dominant === 'cpu'
    ? { dominant, cpu: major, memory: minor, units, long }
    : { dominant, cpu: minor, memory: major, units, long };
}
