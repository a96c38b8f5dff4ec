// Mutations of a policy's queue order: switch to another named discipline, flip the direction of a
// key, or change the key expression itself (task features only: the order sees no node).
import type { Expr } from '../../../sim/policy/ast.js';
import { NamedOrder, type OrderSpec } from '../../../sim/policy/document.js';
import { NAMED_ORDERS } from '../../../sim/policy/named-orders.js';
import { parseExpression } from '../../../sim/policy/parser.js';
import { printExpression } from '../../../sim/policy/printer.js';
import type { Rng } from '../../../sim/random.js';
import { pick } from '../../../sim/workload/distributions.js';
import { FEATURE_POOL } from './features.js';
import { TREE_OPERATORS, type TreeMove } from './mutate.js';
import { simplify } from './simplify.js';

export interface OrderMove {
  order: OrderSpec;
  detail: string;
}

/** The order as a key expression and a direction (a named order is spelt out). */
export function orderKey(order: OrderSpec): { key: Expr; direction: 'asc' | 'desc' } {
  if (typeof order === 'string') {
    const named = NAMED_ORDERS[order];
    return { key: parseExpression(named.key).expr, direction: named.direction };
  }
  return { key: parseExpression(order.key).expr, direction: order.direction };
}

export function showOrder(order: OrderSpec): string {
  return typeof order === 'string' ? order : `${order.key} ${order.direction}`;
}

// `random` orders are left out: a queue shuffled afresh every pass is rarely what search wants.
const NAMED = NamedOrder.options.filter((o) => o !== 'random');

export function mutateOrder(order: OrderSpec, rng: Rng): OrderMove | null {
  const u = rng.float();
  if (u < 0.4) {
    const next = pick(rng, NAMED.filter((o) => o !== order));
    return { order: next, detail: `order ${showOrder(order)} → ${next}` };
  }
  const { key, direction } = orderKey(order);
  if (u < 0.6) {
    const next: OrderSpec = { key: printExpression(key), direction: direction === 'asc' ? 'desc' : 'asc' };
    return { order: next, detail: `order direction ${direction} → ${next.direction}` };
  }
  const ops = [TREE_OPERATORS.constant, TREE_OPERATORS.feature, TREE_OPERATORS.insert, TREE_OPERATORS.delete];
  let move: TreeMove | null = null;
  for (let tries = 0; tries < 4 && move === null; tries++) move = pick(rng, ops)(key, rng, FEATURE_POOL.task);
  if (move === null) return null;
  const next: OrderSpec = { key: printExpression(simplify(move.expr)), direction };
  return { order: next, detail: `order key: ${move.detail}` };
}
