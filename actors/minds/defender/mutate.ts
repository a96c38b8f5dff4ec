// Mutations of one expression tree (a score, a filter, an order key). Each returns the new tree and a
// short description of the move, or null when the move does not apply to this tree (the caller then
// tries another). Types are kept by construction: a number-typed sub-tree is only ever replaced by a
// number-typed one, so a mutated tree type-checks whenever its parent did.
import type { BinaryOp, Expr, FunctionName } from '../../../sim/policy/ast.js';
import { additiveTerms, binary, call, feature, ifThenElse, num } from '../../../sim/policy/ast.js';
import { printExpression } from '../../../sim/policy/printer.js';
import type { Rng } from '../../../sim/random.js';
import { normal, pick } from '../../../sim/workload/distributions.js';
import { roundSignificant } from './simplify.js';
import { pathsOfType, pathsWhere, replaceAt, subtreeAt, type Path } from './tree.js';

export interface TreeMove {
  expr: Expr;
  /** What the move did, e.g. `0.5 → 0.62`. */
  detail: string;
}

/** A tree operator: `features` are the names valid where the tree is used. */
export type TreeOperator = (e: Expr, rng: Rng, features: readonly string[]) => TreeMove | null;

const show = (e: Expr) => printExpression(e);

/** A log-uniform magnitude in [10^lo, 10^hi) with a random sign. */
function randomWeight(rng: Rng, lo = -3, hi = 0): number {
  const magnitude = Math.pow(10, lo + (hi - lo) * rng.float());
  return roundSignificant(rng.float() < 0.5 ? -magnitude : magnitude, 3);
}

/** A new constant near `v`: mostly a log-normal scale (keeps the sign), sometimes a shift or a sign flip. */
export function perturbConstant(v: number, rng: Rng): number {
  const u = rng.float();
  let next: number;
  if (v === 0) next = 0.5 * normal(rng);
  else if (u < 0.75) next = v * Math.exp(0.35 * normal(rng));
  else if (u < 0.93) next = v + 0.25 * Math.max(1, Math.abs(v)) * normal(rng);
  else next = -v;
  next = roundSignificant(next, 4);
  return next === v ? roundSignificant(v * 1.1 + (v === 0 ? 0.1 : 0), 4) : next;
}

/** A weighted term over a feature: `w * f`, or `w * f / (1 + abs(f))` (scale-free) half the time. */
export function weightedTerm(rng: Rng, features: readonly string[]): Expr {
  const f = feature(pick(rng, features));
  const w = num(randomWeight(rng));
  if (rng.float() < 0.5) return binary('*', w, f);
  return binary('*', w, binary('/', f, binary('+', num(1), call('abs', f))));
}

/** A sum of terms, left-associated; a negated term or one with a negative weight is written as a subtraction. */
export function sumOf(terms: readonly Expr[]): Expr {
  let out = terms[0]!;
  for (const t of terms.slice(1)) {
    if (t.op === 'neg') out = binary('-', out, t.args[0]);
    else if (t.op === '*' && t.args[0].op === 'num' && t.args[0].value < 0) out = binary('-', out, binary('*', num(-t.args[0].value), t.args[1]));
    else out = binary('+', out, t);
  }
  return out;
}

export const mutateConstant: TreeOperator = (e, rng) => {
  const paths = pathsWhere(e, (x) => x.op === 'num');
  if (paths.length === 0) return null;
  const path = pick(rng, paths);
  const before = subtreeAt(e, path) as Extract<Expr, { op: 'num' }>;
  const after = perturbConstant(before.value, rng);
  return { expr: replaceAt(e, path, num(after)), detail: `constant ${show(before)} → ${show(num(after))}` };
};

export const mutateFeature: TreeOperator = (e, rng, features) => {
  const paths = pathsWhere(e, (x) => x.op === 'feature');
  if (paths.length === 0) return null;
  const path = pick(rng, paths);
  const before = subtreeAt(e, path) as Extract<Expr, { op: 'feature' }>;
  const choices = features.filter((f) => f !== before.name);
  if (choices.length === 0) return null;
  const after = pick(rng, choices);
  return { expr: replaceAt(e, path, feature(after)), detail: `feature ${before.name} → ${after}` };
};

export const insertTerm: TreeOperator = (e, rng, features) => {
  const term = weightedTerm(rng, features);
  return { expr: sumOf([...additiveTerms(e), term]), detail: `added term ${show(term)}` };
};

export const deleteSubtree: TreeOperator = (e, rng) => {
  const terms = additiveTerms(e);
  if (terms.length > 1) {
    const i = rng.int(0, terms.length - 1);
    return { expr: sumOf(terms.filter((_, j) => j !== i)), detail: `removed term ${show(terms[i]!)}` };
  }
  // One term: hoist a number-typed child of an inner node into its place.
  const inner = pathsOfType(e, 'number').filter((p) => {
    const x = subtreeAt(e, p);
    return 'args' in x && x.args.length > 0;
  });
  if (inner.length === 0) return null;
  const path: Path = pick(rng, inner);
  const node = subtreeAt(e, path);
  const kids = pathsOfType(node, 'number').filter((p) => p.length === 1);
  if (kids.length === 0) return null;
  const kid = subtreeAt(node, pick(rng, kids));
  return { expr: replaceAt(e, path, kid), detail: `replaced ${show(node)} by ${show(kid)}` };
};

const SWAPS: Readonly<Record<string, readonly string[]>> = {
  '+': ['-'],
  '-': ['+'],
  '*': ['/'],
  '/': ['*'],
  min: ['max'],
  max: ['min'],
  '<': ['<=', '>', '>='],
  '<=': ['<', '>', '>='],
  '>': ['>=', '<', '<='],
  '>=': ['>', '<', '<='],
  '==': ['!='],
  '!=': ['=='],
  and: ['or'],
  or: ['and'],
  floor: ['ceil', 'round'],
  ceil: ['floor', 'round'],
  round: ['floor', 'ceil'],
};

export const swapOperator: TreeOperator = (e, rng) => {
  const paths = pathsWhere(e, (x) => Object.prototype.hasOwnProperty.call(SWAPS, x.op));
  if (paths.length === 0) return null;
  const path = pick(rng, paths);
  const before = subtreeAt(e, path) as Extract<Expr, { args: readonly Expr[] }>;
  const op = pick(rng, SWAPS[before.op]!) as BinaryOp | FunctionName;
  const after = { op, args: before.args } as Expr;
  return { expr: replaceAt(e, path, after), detail: `operator ${before.op} → ${op} in ${show(after)}` };
};

/** A condition over a feature: `f >= c` or `f <= c` with a constant of a plausible scale. */
export function randomCondition(rng: Rng, features: readonly string[]): Expr {
  const f = feature(pick(rng, features));
  const c = num(roundSignificant(Math.pow(10, -1 + 2.5 * rng.float()) * (rng.float() < 0.15 ? -1 : 1), 3));
  return binary(rng.float() < 0.5 ? '>=' : '<=', f, c);
}

export const wrapSubtree: TreeOperator = (e, rng, features) => {
  const paths = pathsOfType(e, 'number');
  if (paths.length === 0) return null;
  const path = pick(rng, paths);
  const x = subtreeAt(e, path);
  const u = rng.float();
  let wrapped: Expr;
  if (u < 0.35) wrapped = call('min', x, num(randomWeight(rng, -1, 2)));
  else if (u < 0.7) wrapped = call('max', x, num(randomWeight(rng, -1, 2)));
  else wrapped = ifThenElse(randomCondition(rng, features), x, binary('*', num(randomWeight(rng, -1, 0.5)), x));
  return { expr: replaceAt(e, path, wrapped), detail: `wrapped ${show(x)} as ${show(wrapped)}` };
};

export const TREE_OPERATORS = {
  constant: mutateConstant,
  feature: mutateFeature,
  insert: insertTerm,
  delete: deleteSubtree,
  operator: swapOperator,
  wrap: wrapSubtree,
} as const satisfies Record<string, TreeOperator>;

export type TreeOperatorName = keyof typeof TREE_OPERATORS;
