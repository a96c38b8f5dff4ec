// A policy compiled for bin packing, with the plan the packer follows: the exact index (one
// representative bin per distinct remaining capacity) when that is provably the same answer as
// scoring every bin, else a full scan, and why.
import type { PolicyDocument } from '../policy/document.js';
import { compilePolicy, type PolicyProgram } from '../policy/compile.js';
import { featureDef } from '../policy/features.js';
import { monotonicityIn } from '../policy/monotonicity.js';

export interface PackingPolicy {
  readonly program: PolicyProgram;
  /** Null when the exact index applies; else why every bin must be scored. */
  readonly scanReason: string | null;
  /** The order key is the arrival order itself, so the items need no sorting. */
  readonly arrivalOrder: boolean;
  /**
   * Filter and score are functions of (item size, remaining capacity, open) alone, so their values
   * can be remembered across items: the packer then evaluates each such triple once.
   */
  readonly memoizable: boolean;
  /**
   * Filter and score are functions of (item size, remaining capacity, open) and of the number of open
   * bins with this bin's gap before and after the item: the packer remembers their values while those
   * two counts stay the same.
   */
  readonly memoizableWithCounts: boolean;
}

// Features whose value is the same for every open bin with the same remaining capacity.
// (history: counts over the open bins and the items so far, read at this bin's remaining capacity.)
const SAME_PER_CAPACITY: ReadonlySet<string> = new Set(['task', 'run', 'constant', 'free', 'open', 'history']);
const ARRIVAL_KEYS: ReadonlySet<string> = new Set(['task.ready', 'task.arrival', 'task.index']);
// Features that depend on nothing but the item size, the bin's remaining capacity and whether it is open.
const SIZE_AND_CAPACITY_ONLY: ReadonlySet<string> = new Set(['constant', 'free', 'open']);
const ITEM_SIZE_FEATURES: ReadonlySet<string> = new Set(['task.cores', 'task.memory']);
// History features that read only the open-bin counts at the gap before and after the item.
const GAP_COUNT_FEATURES: ReadonlySet<string> = new Set(['node.same_free_bins', 'node.same_free_bins_after']);

/** Compiles `doc` for bin packing (bin features only) and plans how to pack with it. */
export function compilePackingPolicy(doc: unknown | PolicyDocument): PackingPolicy {
  const program = compilePolicy(doc, { domain: 'binpack' });
  const { filter, score, order } = program.expressions;
  const arrivalOrder = !program.orderDescending && order.expr.op === 'feature' && ARRIVAL_KEYS.has(order.expr.name);
  const reason = scanReason(filter.features, score.features, score.expr);
  const memoizable =
    reason === null &&
    [...filter.features, ...score.features].every((name) => ITEM_SIZE_FEATURES.has(name) || SIZE_AND_CAPACITY_ONLY.has(featureDef(name)!.binpack!.kind));
  const memoizableWithCounts =
    reason === null &&
    [...filter.features, ...score.features].every(
      (name) => ITEM_SIZE_FEATURES.has(name) || GAP_COUNT_FEATURES.has(name) || SIZE_AND_CAPACITY_ONLY.has(featureDef(name)!.binpack!.kind),
    );
  return { program, scanReason: reason, arrivalOrder, memoizable, memoizableWithCounts };
}

function scanReason(
  filterFeatures: readonly string[],
  scoreFeatures: readonly string[],
  scoreExpr: PolicyProgram['expressions']['score']['expr'],
): string | null {
  for (const name of filterFeatures) {
    const kind = featureDef(name)!.binpack!.kind;
    if (!SAME_PER_CAPACITY.has(kind)) return `the filter reads ${name}`;
  }
  for (const name of scoreFeatures) {
    const kind = featureDef(name)!.binpack!.kind;
    if (SAME_PER_CAPACITY.has(kind)) continue;
    if (kind === 'index') {
      const m = monotonicityIn(name, scoreExpr);
      if (m === 'dec' || m === 'const') continue;
      return 'the score may increase with node.index';
    }
    return `the score reads ${name}`;
  }
  return null;
}
