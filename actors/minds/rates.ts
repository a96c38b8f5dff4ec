// Operator rates: how often each search operator is chosen. Rates are plain JSON dictionaries from
// operator name to a weight; every decision walks them in sorted key order, so the choice never
// depends on the order a dictionary was built in.
import { z } from 'zod';
import type { Rng } from '../../sim/random.js';

export type Rates = Record<string, number>;

/** The names of `rates` that are in `allowed` (all when absent) and positive, sorted. */
function candidates(rates: Rates, allowed?: readonly string[]): string[] {
  return Object.keys(rates)
    .sort()
    .filter((k) => (allowed === undefined || allowed.includes(k)) && Number.isFinite(rates[k]) && rates[k]! > 0);
}

/** An operator drawn with probability proportional to its rate, among `allowed` (default: all). */
export function pickByRates(rng: Rng, rates: Rates, allowed?: readonly string[]): string {
  const names = candidates(rates, allowed);
  if (names.length === 0) {
    // Nothing usable: fall back to a uniform choice among the allowed names.
    const pool = [...(allowed ?? Object.keys(rates))].sort();
    if (pool.length === 0) throw new Error('no operator to choose from');
    return pool[rng.int(0, pool.length - 1)]!;
  }
  const total = names.reduce((s, k) => s + rates[k]!, 0);
  let r = rng.float() * total;
  for (const k of names) {
    r -= rates[k]!;
    if (r < 0) return k;
  }
  return names[names.length - 1]!;
}

/**
 * Rates normalised to sum to 1 with every operator at `floor` at least: the proportional shares
 * w / Σw, with any share below the floor raised to it and the others scaled down to make room
 * (repeated until none is below). Idempotent: rates that already sum to 1 with none below the floor
 * come back unchanged. Missing, negative or non-finite weights count as 0; all-zero weights give
 * equal rates. Keys come out sorted; values are rounded to 1e-9 so the JSON is short and stable.
 */
export function normaliseRates(weights: Rates, names: readonly string[], floor: number): Rates {
  const sorted = [...new Set(names)].sort();
  const n = sorted.length;
  if (n === 0) return {};
  const f = Math.min(Math.max(0, floor), 1 / n);
  const w = sorted.map((k) => {
    const v = Object.prototype.hasOwnProperty.call(weights, k) ? weights[k]! : 0;
    return Number.isFinite(v) && v > 0 ? v : 0;
  });
  const total = w.reduce((s, x) => s + x, 0);
  const share = w.map((x) => (total > 0 ? x / total : 1 / n));
  const fixed = new Array<boolean>(n).fill(false);
  let q = share;
  for (;;) {
    const room = 1 - f * fixed.filter(Boolean).length;
    const free = share.reduce((s, x, i) => s + (fixed[i] ? 0 : x), 0);
    const freeCount = fixed.filter((x) => !x).length;
    q = share.map((x, i) => (fixed[i] ? f : free > 0 ? (x / free) * room : room / freeCount));
    const below = q.map((x, i) => !fixed[i] && x < f);
    if (!below.some(Boolean)) break;
    below.forEach((b, i) => {
      if (b) fixed[i] = true;
    });
  }
  const out: Rates = {};
  sorted.forEach((k, i) => {
    out[k] = Math.round(q[i]! * 1e9) / 1e9;
  });
  return out;
}

/** A dictionary with its keys in sorted order (JSON.stringify then prints it the same every time). */
export function sortedRecord<V>(dict: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(dict).sort()) out[k] = dict[k]!;
  return out;
}

const RatesInput = z.record(z.string(), z.unknown()).catch({});

/** Rates over exactly the known operators: given ones where valid, defaults elsewhere, renormalised. */
export function readRates(input: unknown, names: readonly string[], defaults: Rates, floor: number): Rates {
  const given = RatesInput.parse(input);
  const merged: Rates = {};
  for (const name of [...names].sort()) {
    const v = Object.prototype.hasOwnProperty.call(given, name) ? given[name] : undefined;
    merged[name] = typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : (defaults[name] ?? 0);
  }
  return normaliseRates(merged, names, floor);
}
