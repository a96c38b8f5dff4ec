// The moves evolution makes, built on the offline defender's operators (actors/minds/defender): its tree
// mutations (constant, feature, insert, delete, operator, wrap) with the problem's own feature pool,
// its subtree crossover, its filter and order mutations, and its simplifier and bloat limits. Two moves
// are added:
// - `step`: a constant nudged by a small additive step, which tunes integer thresholds (bin sizes are
//   whole numbers, so a threshold moves in whole steps) where the defender's multiplicative
//   perturbation crawls;
// - `threshold`: a constant compared with a feature (in `<`, `<=`, `>`, `>=`, min, max, clamp) set to a
//   fresh value from the range that feature takes on the problem's instances (or within a factor of 10
//   when the problem knows no range). A threshold's landscape has plateaus and long slopes (bin
//   packing's tight-fit gap improves step by step from 2 to 7): a jump anywhere in the range crosses
//   them in one move.
import { crossover, type ParentParts } from '../../actors/minds/defender/crossover.js';
import { mutateFilter } from '../../actors/minds/defender/filter.js';
import { TREE_OPERATORS, perturbConstant, type TreeMove } from '../../actors/minds/defender/mutate.js';
import { mutateOrder } from '../../actors/minds/defender/order.js';
import { roundSignificant } from '../../actors/minds/defender/simplify.js';
import { pathsWhere, replaceAt, subtreeAt } from '../../actors/minds/defender/tree.js';
import type { Expr } from '../../sim/policy/ast.js';
import { num } from '../../sim/policy/ast.js';
import { printExpression } from '../../sim/policy/printer.js';
import type { Rng } from '../../sim/random.js';
import { pick } from '../../sim/workload/distributions.js';
import type { EvolutionProblem } from './problem.js';

/** The values a feature takes on a problem's instances. */
export interface FeatureRange {
  readonly lo: number;
  readonly hi: number;
  /** Whole numbers only (bin sizes are): a threshold drawn in the range is rounded. */
  readonly integral: boolean;
}

/** A problem that knows some of its features' ranges (bin packing does, from its capacity and items). */
export interface FeatureRanges {
  featureRange(name: string): FeatureRange | null;
}

/** The problem as the moves see it: the ranges are optional (scenario problems give none). */
export type MoveProblem = EvolutionProblem & Partial<FeatureRanges>;

export const EVOLVE_OPERATORS = ['constant', 'step', 'threshold', 'feature', 'insert', 'delete', 'operator', 'wrap', 'crossover', 'order', 'filter'] as const;
export type EvolveOperator = (typeof EVOLVE_OPERATORS)[number];

/** How often each move is drawn: constants first, as in the defender (tuning a good formula is most of the progress). */
export const OPERATOR_WEIGHTS: Readonly<Record<EvolveOperator, number>> = {
  constant: 3,
  step: 2,
  threshold: 1,
  feature: 0.8,
  insert: 0.8,
  delete: 0.7,
  operator: 0.5,
  wrap: 0.8,
  crossover: 1.2,
  order: 0.5,
  filter: 0.5,
};

export interface Move {
  readonly parts: ParentParts;
  readonly detail: string;
}

/** A constant moved by ±1, 2 or 5 units of the digit below its leading one (40 → 39, 41, 45 …; 0.4 → 0.39 …). */
export function stepConstant(e: Expr, rng: Rng): TreeMove | null {
  const paths = pathsWhere(e, (x) => x.op === 'num');
  if (paths.length === 0) return null;
  const path = pick(rng, paths);
  const before = (subtreeAt(e, path) as Extract<Expr, { op: 'num' }>).value;
  const magnitude = Math.abs(before) < 1e-3 ? 1 : Math.pow(10, Math.floor(Math.log10(Math.abs(before))) - 1);
  const unit = Math.max(magnitude, Math.abs(before) >= 1 && Math.abs(before) < 10 ? 1 : magnitude);
  const step = pick(rng, [1, 2, 5]) * unit * (rng.float() < 0.5 ? -1 : 1);
  const after = roundSignificant(before + step, 6);
  return { expr: replaceAt(e, path, num(after)), detail: `constant ${before} → ${after}` };
}

const THRESHOLD_OPS = new Set(['<', '<=', '>', '>=', 'min', 'max', 'clamp']);

/** The range of `e` when it is a feature (or a negated one) whose range the problem knows. */
function rangeOf(e: Expr, problem: MoveProblem): FeatureRange | null {
  if (e.op === 'feature') return problem.featureRange?.(e.name) ?? null;
  if (e.op === 'neg') {
    const r = rangeOf(e.args[0], problem);
    return r === null ? null : { lo: -r.hi, hi: -r.lo, integral: r.integral };
  }
  return null;
}

/**
 * A value in [lo, hi]: uniform half the time, else log-uniform in its distance from one end (a
 * threshold that matters is often close to an end: a near-exact fit is a gap of a few units of 150).
 */
export function drawInRange(r: FeatureRange, rng: Rng): number {
  const width = r.hi - r.lo;
  let v: number;
  if (rng.float() < 0.5) v = r.lo + width * rng.float();
  else {
    const d = Math.exp(rng.float() * Math.log1p(width)) - 1;
    v = rng.float() < 0.5 ? r.lo + d : r.hi - d;
  }
  return r.integral ? Math.round(v) : roundSignificant(v, 3);
}

/**
 * A comparison's constant set anew: from the compared feature's range when the problem knows it, else
 * log-uniformly within a factor of 10 of the old value (same sign), so the move stays generic.
 */
export function resetThreshold(e: Expr, rng: Rng, problem: MoveProblem): TreeMove | null {
  const sites: { path: readonly number[]; range: FeatureRange | null }[] = [];
  for (const path of pathsWhere(e, (x) => THRESHOLD_OPS.has(x.op))) {
    const node = subtreeAt(e, path) as Extract<Expr, { args: readonly Expr[] }>;
    const consts = node.args.flatMap((a, i) => (a.op === 'num' ? [i] : []));
    if (consts.length === 0 || consts.length === node.args.length) continue;
    const others = node.args.filter((a) => a.op !== 'num');
    const range = others.length === 1 ? rangeOf(others[0]!, problem) : null;
    for (const i of consts) sites.push({ path: [...path, i], range: range !== null && range.hi > range.lo ? range : null });
  }
  if (sites.length === 0) return null;
  const site = pick(rng, sites);
  const before = (subtreeAt(e, site.path) as Extract<Expr, { op: 'num' }>).value;
  let after: number;
  if (site.range !== null) after = drawInRange(site.range, rng);
  else {
    const magnitude = (before === 0 ? 1 : Math.abs(before)) * Math.pow(10, 2 * rng.float() - 1);
    after = roundSignificant((before < 0 || (before === 0 && rng.float() < 0.5) ? -1 : 1) * magnitude, 3);
  }
  if (after === before) return null;
  return { expr: replaceAt(e, site.path, num(after)), detail: `threshold ${before} → ${after}` };
}

/** Every constant of the tree nudged at once (a small joint move), for constant tuning. */
export function jitterConstants(e: Expr, rng: Rng): TreeMove | null {
  const paths = pathsWhere(e, (x) => x.op === 'num');
  if (paths.length === 0) return null;
  let out = e;
  for (const p of paths) {
    if (rng.float() < 0.5) continue;
    const v = (subtreeAt(out, p) as Extract<Expr, { op: 'num' }>).value;
    out = replaceAt(out, p, num(perturbConstant(v, rng)));
  }
  return out === e ? null : { expr: out, detail: 'constants jittered' };
}

export function applicableOperators(problem: EvolutionProblem): EvolveOperator[] {
  return EVOLVE_OPERATORS.filter((op) => (op !== 'order' || problem.evolveOrder) && (op !== 'filter' || problem.evolveFilter));
}

/** One child of `a` (and `b` for crossover), or null when the move does not apply. */
export function makeChild(op: EvolveOperator, a: ParentParts, b: ParentParts | null, rng: Rng, problem: MoveProblem): Move | null {
  const score = (m: TreeMove | null): Move | null => (m === null ? null : { parts: { ...a, score: m.expr }, detail: `score: ${m.detail}` });
  switch (op) {
    case 'constant': {
      const m = TREE_OPERATORS.constant(a.score, rng, problem.features.node);
      return m !== null ? score(m) : problem.evolveFilter ? makeChild('filter', a, b, rng, problem) : null;
    }
    case 'step':
      return score(stepConstant(a.score, rng));
    case 'threshold':
      return score(resetThreshold(a.score, rng, problem));
    case 'feature':
    case 'insert':
    case 'delete':
    case 'operator':
    case 'wrap':
      return score(TREE_OPERATORS[op](a.score, rng, problem.features.node));
    case 'crossover': {
      if (b === null) return null;
      const c = crossover(a, b, rng);
      const parts: ParentParts = problem.evolveOrder && problem.evolveFilter ? c : { ...a, score: c.score };
      return { parts, detail: c.details.join('; ') || 'crossover (no change)' };
    }
    case 'order': {
      const m = mutateOrder(a.order, rng);
      return m === null ? null : { parts: { ...a, order: m.order }, detail: m.detail };
    }
    case 'filter': {
      const m = mutateFilter(a.filter, rng);
      return m === null ? null : { parts: { ...a, filter: m.expr }, detail: `filter: ${m.detail}` };
    }
    default: {
      const never: never = op;
      throw new Error(`unknown operator ${String(never)}`);
    }
  }
}

export function describeParts(p: ParentParts): string {
  return `${typeof p.order === 'string' ? p.order : `${p.order.key} ${p.order.direction}`} | ${printExpression(p.filter)} | ${printExpression(p.score)}`;
}
