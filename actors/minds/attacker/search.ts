// The offline attacker's search state: what it has learnt so far, as plain JSON carried in every
// request (workers are stateless). projections/search-state.ts folds it from the run's events:
// - elites: the best-rewarded generator points of the run (params, seed, the operators that made them,
//   the attacker reward and solve rate they earned), best first; new proposals mutate these;
// - rates: how often each operator is chosen (adapted by the evolver, never below a floor);
// - ranges: per knob, the interval the attacker samples in (adapted by the evolver towards the values
//   of well-rewarded scenarios, always inside the schema's bounds).
// Reading is lenient: a missing or malformed part takes its default, so `{}` is a valid state.
import { z } from 'zod';
import { KNOBS, type Range } from './knobs.js';
import { normaliseRates, readRates, sortedRecord, type Rates } from '../rates.js';

/** The operators of the offline attacker, sorted. `relax` (the repair step) is not chosen by rate. */
export const ATTACKER_OPERATORS = ['arrival', 'congestion', 'crossover', 'dependencies', 'failures', 'mix', 'perturb', 'prices', 'sla'] as const;
export type AttackerOperator = (typeof ATTACKER_OPERATORS)[number];

/** No operator's rate goes below this, so none dies out. */
export const ATTACKER_RATE_FLOOR = 0.03;

/** Elites kept in the state (best attacker reward first). */
export const ELITE_LIMIT = 16;

const DEFAULT_WEIGHTS: Rates = {
  arrival: 1,
  congestion: 0.8,
  crossover: 1,
  dependencies: 0.8,
  failures: 1,
  mix: 0.8,
  perturb: 2,
  prices: 0.8,
  sla: 1.2,
};

export function defaultAttackerRates(): Rates {
  return normaliseRates(DEFAULT_WEIGHTS, ATTACKER_OPERATORS, ATTACKER_RATE_FLOOR);
}

export function defaultRanges(): Record<string, Range> {
  const out: Record<string, Range> = {};
  for (const k of KNOBS) out[k.path] = { ...k.search };
  return sortedRecord(out);
}

const finite = z.number().refine(Number.isFinite);

export const AttackerElite = z.object({
  scenarioId: z.string(),
  domain: z.string(),
  level: z.number().int(),
  /** GeneratorParams as recorded; checked with parseParams before use. */
  params: z.unknown(),
  seed: z.number().int().min(0),
  operators: z.array(z.string()),
  reward: finite,
  solveRate: finite.nullable(),
});
export type AttackerElite = z.infer<typeof AttackerElite>;

export interface AttackerSearch {
  version: 1;
  rates: Rates;
  ranges: Record<string, Range>;
  elites: AttackerElite[];
}

export function defaultAttackerSearch(): AttackerSearch {
  return { version: 1, rates: defaultAttackerRates(), ranges: defaultRanges(), elites: [] };
}

const RangesInput = z.record(z.string(), z.unknown()).catch({});
const RangeInput = z.object({ min: finite, max: finite });
const ElitesInput = z.array(z.unknown()).catch([]);

/** The state in `json`, every part that is missing or malformed replaced by its default. */
export function readAttackerSearch(json: unknown): AttackerSearch {
  const obj = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const ranges = defaultRanges();
  const given = RangesInput.parse(obj.ranges);
  for (const k of KNOBS) {
    const parsed = RangeInput.safeParse(Object.prototype.hasOwnProperty.call(given, k.path) ? given[k.path] : undefined);
    if (!parsed.success) continue;
    const r = parsed.data;
    const min = Math.max(k.schema.min, Math.min(r.min, r.max));
    const max = Math.min(k.schema.max, Math.max(r.min, r.max));
    if (min <= max) ranges[k.path] = { min, max };
  }
  const elites = ElitesInput.parse(obj.elites)
    .flatMap((e) => {
      const parsed = AttackerElite.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    })
    .slice(0, ELITE_LIMIT);
  return { version: 1, rates: readRates(obj.rates, ATTACKER_OPERATORS, defaultAttackerRates(), ATTACKER_RATE_FLOOR), ranges, elites };
}
