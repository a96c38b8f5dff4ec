// The named `binpack` suite evaluated: every policy on every test set (excess over the L1 bound, mean
// bins), and FunSearch's Table 1 beside it: first fit and best fit as published and as measured,
// FunSearch as published, and AURORA's champions (the `or` track champion in the OR columns, the
// `weibull` track champion in the Weibull columns, as FunSearch used one heuristic per family).
import type { BinpackDataset } from '../../sim/binpack/dataset.js';
import { evaluateDataset } from '../../sim/binpack/evaluate.js';
import { compilePackingPolicy } from '../../sim/binpack/packing-policy.js';
import { PolicyCompileError, PolicyRuntimeError } from '../../sim/policy/compiled.js';
import type { BinpackTestSet, PublishedRow } from '../suites/binpack.js';
import type { BinpackSuiteDef } from '../suites/registry.js';
import type { EvalPolicy, PolicySource } from './choices.js';
import { mean } from './stats.js';

export interface BinpackSetInfo {
  readonly name: string;
  readonly track: string;
  readonly source: string;
  readonly instances: number;
  readonly items: number;
  readonly meanL1: number;
  readonly published: PublishedRow;
  readonly sameInstancesAsPublished: boolean;
}

export interface BinpackCell {
  readonly set: string;
  /** Percent (0.68 is 0.68 %). */
  readonly excessPercent: number | null;
  readonly meanBins: number | null;
  readonly bins: readonly number[];
  readonly error: string | null;
}

export interface BinpackRow {
  readonly label: string;
  readonly source: PolicySource;
  readonly champion: EvalPolicy['champion'] | null;
  /** Set when the policy does not compile for bin packing; then there are no cells. */
  readonly error: string | null;
  readonly cells: readonly BinpackCell[];
}

export interface FunSearchRow {
  readonly label: string;
  /** Per set, percent; null where there is no figure. */
  readonly values: readonly (number | null)[];
  readonly note: string;
}

export interface BinpackSuiteReport {
  readonly kind: 'binpack-suite';
  readonly suite: { readonly name: string; readonly version: number; readonly description: string; readonly split: string };
  readonly protocol: string;
  readonly sets: readonly BinpackSetInfo[];
  readonly policies: readonly BinpackRow[];
  /** FunSearch's Table 1 with AURORA's row, columns in `sets` order. */
  readonly funSearchTable: readonly FunSearchRow[];
  readonly notApplicable: readonly string[];
  readonly failed: boolean;
}

export const BINPACK_PROTOCOL =
  'FunSearch (Nature 2024): items arrive in order, each goes into an open bin that fits or a new one, ties to the lowest bin; excess = (mean bins − mean L1 bound) / mean L1 bound';

export function evaluateBinpackSuite(suite: BinpackSuiteDef, dataDir: string, policies: readonly EvalPolicy[], seed = 0): BinpackSuiteReport {
  const loaded: { def: BinpackTestSet; data: BinpackDataset }[] = suite.testSets.map((def) => ({ def, data: def.load(dataDir) }));
  const sets: BinpackSetInfo[] = loaded.map(({ def, data }) => ({
    name: def.name,
    track: def.track,
    source: def.source,
    instances: data.instances.length,
    items: data.instances.reduce((s, i) => s + i.items.length, 0),
    meanL1: mean(data.instances.map((i) => i.l1)),
    published: def.published,
    sameInstancesAsPublished: def.sameInstancesAsPublished,
  }));
  const rows: BinpackRow[] = [];
  const skipped: string[] = [];
  for (const p of policies) {
    let compiled;
    try {
      compiled = compilePackingPolicy(p.document);
    } catch (err) {
      if (!(err instanceof PolicyCompileError)) throw err;
      if (p.optional) skipped.push(p.label);
      else rows.push({ label: p.label, source: p.source, champion: p.champion ?? null, error: err.message, cells: [] });
      continue;
    }
    const cells = loaded.map(({ def, data }): BinpackCell => {
      try {
        const r = evaluateDataset(compiled, data, { seed });
        return { set: def.name, excessPercent: 100 * r.excess, meanBins: r.meanBins, bins: r.instances.map((i) => i.bins), error: null };
      } catch (err) {
        if (err instanceof PolicyRuntimeError) return { set: def.name, excessPercent: null, meanBins: null, bins: [], error: err.message };
        throw err;
      }
    });
    rows.push({ label: p.label, source: p.source, champion: p.champion ?? null, error: null, cells });
  }
  const failed = rows.some((r) => r.error !== null || r.cells.some((c) => c.error !== null));
  return {
    kind: 'binpack-suite',
    suite: { name: suite.name, version: suite.version, description: suite.description, split: suite.split },
    protocol: BINPACK_PROTOCOL,
    sets,
    policies: rows,
    funSearchTable: funSearchTable(sets, rows),
    notApplicable: skipped,
    failed,
  };
}

function measuredRow(rows: readonly BinpackRow[], label: string): (number | null)[] | null {
  const row = rows.find((r) => r.label === label && r.error === null);
  return row === undefined ? null : row.cells.map((c) => c.excessPercent);
}

function funSearchTable(sets: readonly BinpackSetInfo[], rows: readonly BinpackRow[]): FunSearchRow[] {
  const out: FunSearchRow[] = [];
  const published = (k: keyof PublishedRow) => sets.map((s) => s.published[k]);
  const generatedNote = 'Weibull 10k and 100k are generated here from fixed seeds (FunSearch did not release theirs): same recipe, other instances';
  out.push({ label: 'First Fit (published)', values: published('firstFit'), note: 'FunSearch, Table 1' });
  const ff = measuredRow(rows, 'first-fit');
  if (ff !== null) out.push({ label: 'First Fit (measured)', values: ff, note: generatedNote });
  out.push({ label: 'Best Fit (published)', values: published('bestFit'), note: 'FunSearch, Table 1' });
  const bf = measuredRow(rows, 'best-fit');
  if (bf !== null) out.push({ label: 'Best Fit (measured)', values: bf, note: generatedNote });
  out.push({ label: 'FunSearch (published)', values: published('funSearch'), note: 'FunSearch, Table 1: one heuristic for OR, one for Weibull' });
  // AURORA: per column, the champion evolved for that column's track.
  const champions = rows.filter((r) => r.champion && r.error === null);
  if (champions.length > 0) {
    const values = sets.map((s, i) => {
      const c = champions.find((r) => r.champion!.track === s.track) ?? (champions.length === 1 ? champions[0] : undefined);
      return c === undefined ? null : (c.cells[i]?.excessPercent ?? null);
    });
    const note = champions.map((c) => `${c.label} on the ${c.champion!.track ?? 'whole'} track`).join(', ');
    out.push({ label: 'AURORA (measured)', values, note: `champions: ${note}` });
  }
  return out;
}
