// The evolver of the offline minds: every M iterations it adapts how each side searches, from what
// worked since its last change (projections/search-state.ts gathers the evidence per epoch).
//
// Operator rates (both roles). Each operator gets a credit in [0, 1]:
//   defender: the share of match points its children scored, (points + P·m̄) / (matches + P);
//   attacker: the mean attacker reward of the scenarios it helped make, (Σ reward + P·r̄) / (n + P);
// shrunk towards the epoch's overall mean (m̄, r̄) with P = 4 pseudo-observations, so an operator seen
// once does not swing the rates and one never seen keeps its rate. Then
//   rate ← rate × clamp(exp(η · (credit − mean credit)), ½, 2),   η = 4,
// renormalised with a floor (every operator keeps at least the floor, so none dies out). Bounded: one
// change at most halves or doubles a rate before renormalising.
//
// Generator ranges (attacker). The rewarded scenarios of the epoch are ranked by reward; for each knob,
// the values of the top quarter (3 at least) give a target interval, widened by 5 % of the schema's
// range on each side. The range moves 30 % of the way towards it, stays inside the schema's bounds and
// keeps at least a quarter of its default width, so the search narrows on what pays without losing
// the ability to explore.
//
// Deterministic: operators and knobs are walked in sorted order; no evidence, no change (null).
import type { EventData } from '../../events/catalogue.js';
import { attackerSearch, defenderSearch, evolverEvidence, type OperatorEvidence, type SearchState } from '../../projections/search-state.js';
import { parseParams } from '../../sim/workload/params.js';
import { KNOBS, readKnob, type Range } from './attacker/knobs.js';
import { ATTACKER_OPERATORS, ATTACKER_RATE_FLOOR, readAttackerSearch } from './attacker/search.js';
import { DEFENDER_OPERATORS, DEFENDER_RATE_FLOOR, readDefenderSearch } from './defender/search.js';
import { normaliseRates, sortedRecord, type Rates } from './rates.js';

type Json = EventData<'OperatorsEvolved'>['after'];

export const PSEUDO_OBSERVATIONS = 4;
export const LEARNING_RATE = 4;
export const MAX_FACTOR = 2;
export const RANGE_STEP = 0.3;
export const TOP_SHARE = 0.25;
export const MIN_TOP = 3;

export interface OperatorSettings {
  rates: Rates;
  /** Attacker only. */
  ranges?: Record<string, Range>;
}

/** What OperatorsEvolved records (without the role). */
export interface OperatorsChange {
  before: Json;
  after: Json;
  evidence: Json;
}

interface Credit {
  n: number;
  sum: number;
}

/** Rates moved towards operators with higher credit; see the header. `credits` by operator name. */
export function evolveRates(rates: Rates, credits: Record<string, Credit>, names: readonly string[], floor: number): { rates: Rates; credit: Record<string, number> } {
  const sorted = [...names].sort();
  const totalN = sorted.reduce((s, k) => s + (credits[k]?.n ?? 0), 0);
  const totalSum = sorted.reduce((s, k) => s + (credits[k]?.sum ?? 0), 0);
  const prior = totalN > 0 ? totalSum / totalN : 0;
  const credit: Record<string, number> = {};
  for (const k of sorted) {
    const c = credits[k] ?? { n: 0, sum: 0 };
    credit[k] = (c.sum + PSEUDO_OBSERVATIONS * prior) / (c.n + PSEUDO_OBSERVATIONS);
  }
  const mean = sorted.reduce((s, k) => s + credit[k]!, 0) / Math.max(1, sorted.length);
  const weights: Rates = {};
  for (const k of sorted) {
    const factor = Math.min(MAX_FACTOR, Math.max(1 / MAX_FACTOR, Math.exp(LEARNING_RATE * (credit[k]! - mean))));
    weights[k] = (rates[k] ?? 0) * factor;
  }
  const rounded: Record<string, number> = {};
  for (const k of sorted) rounded[k] = Math.round(credit[k]! * 1e6) / 1e6;
  return { rates: normaliseRates(weights, sorted, floor), credit: rounded };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Generator ranges moved towards the knob values of the best-rewarded samples; see the header. */
export function evolveRanges(
  ranges: Record<string, Range>,
  samples: readonly { scenarioId: string; reward: number; params: unknown }[],
): { ranges: Record<string, Range>; targets: Record<string, Range>; top: string[] } | null {
  const parsed = samples.flatMap((s) => {
    try {
      return [{ scenarioId: s.scenarioId, reward: s.reward, params: parseParams(s.params) }];
    } catch {
      return [];
    }
  });
  if (parsed.length < MIN_TOP) return null;
  const ranked = parsed.sort((a, b) => b.reward - a.reward || (a.scenarioId < b.scenarioId ? -1 : 1));
  const top = ranked.slice(0, Math.max(MIN_TOP, Math.ceil(TOP_SHARE * ranked.length)));
  const out: Record<string, Range> = {};
  const targets: Record<string, Range> = {};
  for (const k of KNOBS) {
    const current = ranges[k.path] ?? k.search;
    const values = top.map((s) => readKnob(s.params, k.path)).filter((v): v is number => v !== undefined);
    if (values.length === 0) {
      out[k.path] = current;
      continue;
    }
    const span = k.schema.max - k.schema.min;
    const target = { min: Math.max(k.schema.min, Math.min(...values) - 0.05 * span), max: Math.min(k.schema.max, Math.max(...values) + 0.05 * span) };
    targets[k.path] = { min: round4(target.min), max: round4(target.max) };
    let min = current.min + RANGE_STEP * (target.min - current.min);
    let max = current.max + RANGE_STEP * (target.max - current.max);
    const minWidth = 0.25 * (k.search.max - k.search.min);
    if (max - min < minWidth) {
      const centre = (min + max) / 2;
      min = centre - minWidth / 2;
      max = centre + minWidth / 2;
      if (min < k.schema.min) [min, max] = [k.schema.min, k.schema.min + minWidth];
      if (max > k.schema.max) [min, max] = [k.schema.max - minWidth, k.schema.max];
    }
    out[k.path] = { min: round4(Math.max(k.schema.min, min)), max: round4(Math.min(k.schema.max, max)) };
  }
  return { ranges: sortedRecord(out), targets: sortedRecord(targets), top: top.map((s) => s.scenarioId) };
}

/** The change of `settings` the evidence calls for, or null when there is no evidence yet. */
export function evolveSettings(role: 'attacker' | 'defender', settings: OperatorSettings, evidence: OperatorEvidence): OperatorsChange | null {
  if (evidence.role !== role) throw new Error(`evidence for ${evidence.role} given to evolve the ${role}`);
  const credits: Record<string, Credit> = {};
  const tallies: Record<string, Json> = {};
  if (evidence.role === 'defender') {
    for (const op of Object.keys(evidence.operators).sort()) {
      const t = evidence.operators[op]!;
      credits[op] = { n: t.matches, sum: t.points };
      tallies[op] = { ...t };
    }
  } else {
    for (const op of Object.keys(evidence.operators).sort()) {
      const t = evidence.operators[op]!;
      credits[op] = { n: t.rewarded, sum: t.rewardSum };
      tallies[op] = { ...t };
    }
  }
  const names = role === 'attacker' ? ATTACKER_OPERATORS : DEFENDER_OPERATORS;
  const observed = names.reduce((s, k) => s + (credits[k]?.n ?? 0), 0);
  const ranged = evidence.role === 'attacker' && settings.ranges !== undefined ? evolveRanges(settings.ranges, evidence.samples) : null;
  if (observed === 0 && ranged === null) return null;
  const floor = role === 'attacker' ? ATTACKER_RATE_FLOOR : DEFENDER_RATE_FLOOR;
  const { rates, credit } = observed === 0 ? { rates: settings.rates, credit: {} } : evolveRates(settings.rates, credits, names, floor);

  const before: Record<string, Json> = { rates: settings.rates };
  const after: Record<string, Json> = { rates };
  const record: Record<string, Json> = { epoch: evidence.epoch, operators: sortedRecord(tallies), credit };
  if (role === 'attacker' && settings.ranges !== undefined) {
    before.ranges = settings.ranges as unknown as Json;
    after.ranges = (ranged?.ranges ?? settings.ranges) as unknown as Json;
    if (ranged !== null) {
      record.top = ranged.top;
      record.targets = ranged.targets as unknown as Json;
    }
  }
  return { before, after, evidence: record };
}

/**
 * The controller's entry point: the role's current settings from the run's search state, changed as
 * `evidence` (evolverEvidence of the same state) calls for; null when there is nothing to learn from.
 */
export function evolveOperators(role: 'attacker' | 'defender', state: SearchState, runId: string, evidence: OperatorEvidence = evolverEvidence(state, runId, role)): OperatorsChange | null {
  if (role === 'attacker') {
    const search = readAttackerSearch(attackerSearch(state, runId, { elites: 0 }));
    return evolveSettings(role, { rates: search.rates, ranges: search.ranges }, evidence);
  }
  const search = readDefenderSearch(defenderSearch(state, runId, { only: [] }));
  return evolveSettings(role, { rates: search.rates }, evidence);
}
