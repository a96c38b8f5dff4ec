// Subtree crossover between two parent policies: the child is the first parent with one number-typed
// sub-tree of its score replaced by a number-typed sub-tree of the second parent's score; sometimes it
// also takes the second parent's queue order or filter whole. Types match by construction.
import type { Expr } from '../../../sim/policy/ast.js';
import type { OrderSpec } from '../../../sim/policy/document.js';
import { printExpression } from '../../../sim/policy/printer.js';
import type { Rng } from '../../../sim/random.js';
import { pick } from '../../../sim/workload/distributions.js';
import { showOrder } from './order.js';
import { pathsOfType, replaceAt, sameTree, subtreeAt } from './tree.js';

export interface ParentParts {
  score: Expr;
  filter: Expr;
  order: OrderSpec;
}

export interface CrossoverResult extends ParentParts {
  details: string[];
}

export function crossover(a: ParentParts, b: ParentParts, rng: Rng): CrossoverResult {
  const details: string[] = [];
  const at = pick(rng, pathsOfType(a.score, 'number'));
  const donor = subtreeAt(b.score, pick(rng, pathsOfType(b.score, 'number')));
  const replaced = subtreeAt(a.score, at);
  const score = replaceAt(a.score, at, donor);
  if (!sameTree(replaced, donor)) details.push(`score: ${printExpression(replaced)} ← ${printExpression(donor)}`);
  let order = a.order;
  let filter = a.filter;
  if (rng.float() < 0.25 && JSON.stringify(a.order) !== JSON.stringify(b.order)) {
    order = b.order;
    details.push(`order ← ${showOrder(b.order)}`);
  }
  if (rng.float() < 0.25 && !sameTree(a.filter, b.filter)) {
    filter = b.filter;
    details.push(`filter ← ${printExpression(b.filter)}`);
  }
  return { score, filter, order, details };
}
