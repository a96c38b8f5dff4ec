// One child from its parents by one operator: the policy-level moves behind the operator names in the
// defender's rates. Each works on the parents' parsed parts (score, filter, order) and returns the
// child's parts and what changed, or null when the operator does not apply to these parents.
import type { Expr } from '../../../sim/policy/ast.js';
import { conjuncts } from '../../../sim/policy/ast.js';
import type { OrderSpec } from '../../../sim/policy/document.js';
import { printExpression } from '../../../sim/policy/printer.js';
import type { Rng } from '../../../sim/random.js';
import { pickWeighted } from '../../../sim/workload/distributions.js';
import { crossover, type ParentParts } from './crossover.js';
import { FEATURE_POOL } from './features.js';
import { allOf, isCapacityConjunct, mutateFilter } from './filter.js';
import { TREE_OPERATORS, mutateConstant, type TreeOperatorName } from './mutate.js';
import { mutateOrder, orderKey } from './order.js';
import type { DefenderOperator } from './search.js';
import { pathsWhere } from './tree.js';

export interface Offspring extends ParentParts {
  details: string[];
}

const hasConstant = (e: Expr) => pathsWhere(e, (x) => x.op === 'num').length > 0;

/**
 * Constants are tuned where they are: in the score (most often), in a filter conjunct that is not a
 * capacity check, or in an order key.
 */
function tuneConstant(a: ParentParts, rng: Rng): Offspring | null {
  const parts = conjuncts(a.filter);
  const tunableFilter = parts.some((p) => !isCapacityConjunct(p) && hasConstant(p));
  const key = typeof a.order === 'string' ? null : orderKey(a.order);
  const weights = [hasConstant(a.score) ? 4 : 0, tunableFilter ? 1 : 0, key !== null && hasConstant(key.key) ? 1 : 0];
  if (weights.every((w) => w === 0)) return null;
  const where = pickWeighted(rng, weights);
  if (where === 0) {
    const move = mutateConstant(a.score, rng, FEATURE_POOL.node)!;
    return { ...a, score: move.expr, details: [`score: ${move.detail}`] };
  }
  if (where === 1) {
    const candidates = parts.map((p, i) => ({ p, i })).filter(({ p }) => !isCapacityConjunct(p) && hasConstant(p));
    const { p, i } = candidates[rng.int(0, candidates.length - 1)]!;
    const move = mutateConstant(p, rng, FEATURE_POOL.node)!;
    return { ...a, filter: allOf(parts.map((q, j) => (j === i ? move.expr : q))), details: [`filter: ${move.detail} in ${printExpression(p)}`] };
  }
  const move = mutateConstant(key!.key, rng, FEATURE_POOL.task)!;
  const order: OrderSpec = { key: printExpression(move.expr), direction: key!.direction };
  return { ...a, order, details: [`order key: ${move.detail}`] };
}

function scoreMove(name: TreeOperatorName) {
  return (a: ParentParts, rng: Rng): Offspring | null => {
    const move = TREE_OPERATORS[name](a.score, rng, FEATURE_POOL.node);
    return move === null ? null : { ...a, score: move.expr, details: [`score: ${move.detail}`] };
  };
}

const MOVES: Record<Exclude<DefenderOperator, 'crossover'>, (a: ParentParts, rng: Rng) => Offspring | null> = {
  'mutate:constant': tuneConstant,
  'mutate:feature': scoreMove('feature'),
  'mutate:insert': scoreMove('insert'),
  'mutate:delete': scoreMove('delete'),
  'mutate:operator': scoreMove('operator'),
  'mutate:wrap': scoreMove('wrap'),
  'mutate:order': (a, rng) => {
    const move = mutateOrder(a.order, rng);
    return move === null ? null : { ...a, order: move.order, details: [move.detail] };
  },
  'mutate:filter': (a, rng) => {
    const move = mutateFilter(a.filter, rng);
    return move === null ? null : { ...a, filter: move.expr, details: [`filter: ${move.detail}`] };
  },
};

/** The child of `a` (and `b`, for crossover) by `operator`, or null when the operator does not apply. */
export function breed(operator: DefenderOperator, a: ParentParts, b: ParentParts | null, rng: Rng): Offspring | null {
  if (operator === 'crossover') return b === null ? null : crossover(a, b, rng);
  return MOVES[operator](a, rng);
}
