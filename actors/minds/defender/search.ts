// The offline defender's search state, as plain JSON carried in every request (workers are
// stateless); projections/search-state.ts folds it from the run's events:
// - rates: how often each operator is chosen (adapted by the evolver, never below a floor);
// - islands: policy id → island (its lineage root), for the policies the fold has seen proposed.
// Reading is lenient: a missing or malformed part takes its default, so `{}` is a valid state.
import { z } from 'zod';
import { normaliseRates, readRates, type Rates } from '../rates.js';

/** The operators of the offline defender, sorted. */
export const DEFENDER_OPERATORS = [
  'crossover',
  'mutate:constant',
  'mutate:delete',
  'mutate:feature',
  'mutate:filter',
  'mutate:insert',
  'mutate:operator',
  'mutate:order',
  'mutate:wrap',
] as const;
export type DefenderOperator = (typeof DEFENDER_OPERATORS)[number];

export const DEFENDER_RATE_FLOOR = 0.02;

// Constants first: tuning the weights of a good formula is how most progress is made.
const DEFAULT_WEIGHTS: Rates = {
  crossover: 1.2,
  'mutate:constant': 3,
  'mutate:delete': 0.8,
  'mutate:feature': 1,
  'mutate:filter': 0.6,
  'mutate:insert': 1,
  'mutate:operator': 0.6,
  'mutate:order': 0.6,
  'mutate:wrap': 0.6,
};

export function defaultDefenderRates(): Rates {
  return normaliseRates(DEFAULT_WEIGHTS, DEFENDER_OPERATORS, DEFENDER_RATE_FLOOR);
}

export interface DefenderSearch {
  version: 1;
  rates: Rates;
  islands: Record<string, string>;
}

export function defaultDefenderSearch(): DefenderSearch {
  return { version: 1, rates: defaultDefenderRates(), islands: {} };
}

const IslandsInput = z.record(z.string(), z.unknown()).catch({});

export function readDefenderSearch(json: unknown): DefenderSearch {
  const obj = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  const given = IslandsInput.parse(obj.islands);
  const islands: Record<string, string> = {};
  for (const k of Object.keys(given).sort()) {
    const island = given[k];
    if (typeof island !== 'string' || island.length === 0) continue;
    // A policy id is just an id, even `__proto__`: define it rather than assign it.
    Object.defineProperty(islands, k, { value: island, enumerable: true, writable: true, configurable: true });
  }
  return {
    version: 1,
    rates: readRates(obj.rates, DEFENDER_OPERATORS, defaultDefenderRates(), DEFENDER_RATE_FLOOR),
    islands,
  };
}
