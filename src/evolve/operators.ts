// The moves evolution makes, built on the offline defender's operators (actors/minds/defender): its tree
// mutations (constant, feature, insert, delete, operator, wrap) with the problem's own feature pool,
// its subtree crossover, its filter and order mutations, and its simplifier and bloat limits. One move
// is added: `step`, a constant nudged by a small additive step, which tunes integer thresholds (bin
// sizes are whole numbers, so a threshold moves in whole steps) where the defender's multiplicative
// perturbation crawls.
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

export const EVOLVE_OPERATORS = ['constant', 'step', 'feature', 'insert', 'delete', 'operator', 'wrap', 'crossover', 'order', 'filter'] as const;
export type EvolveOperator = (typeof EVOLVE_OPERATORS)[number];

/** How often each move is drawn: constants first, as in the defender (tuning a good formula is most of the progress). */
export const OPERATOR_WEIGHTS: Readonly<Record<EvolveOperator, number>> = {
  constant: 3,
  step: 2,
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
export function makeChild(op: EvolveOperator, a: ParentParts, b: ParentParts | null, rng: Rng, problem: EvolutionProblem): Move | null {
  const score = (m: TreeMove | null): Move | null => (m === null ? null : { parts: { ...a, score: m.expr }, detail: `score: ${m.detail}` });
  switch (op) {
    case 'constant': {
      const m = TREE_OPERATORS.constant(a.score, rng, problem.features.node);
      return m !== null ? score(m) : problem.evolveFilter ? makeChild('filter', a, b, rng, problem) : null;
    }
    case 'step':
      return score(stepConstant(a.score, rng));
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
