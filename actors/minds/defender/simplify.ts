// Bloat control for evolved expressions: constant sub-trees are folded (with the policy language's own
// closures, so the value is exactly what the engine would compute), neutral operations are removed, and
// trees larger or deeper than the limits are refused. A policy stays readable and its constants stay
// where numeric search can tune them.
import type { Expr } from '../../../sim/policy/ast.js';
import { bool, children, depthOf, num, sizeOf } from '../../../sim/policy/ast.js';
import { compileBoolean, compileNumber } from '../../../sim/policy/closure.js';
import { PolicyRuntimeError } from '../../../sim/policy/compiled.js';
import type { DecisionContext } from '../../../sim/decision-context.js';
import { typeOf } from './tree.js';

/** Largest trees (nodes) and deepest nesting a child may have, per expression. */
export const LIMITS = { score: 48, filter: 32, order: 24, depth: 12 } as const;

/** A number with at most `digits` significant digits (keeps printed policies short). */
export function roundSignificant(x: number, digits = 4): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const r = Number(x.toPrecision(digits));
  return Object.is(r, -0) ? 0 : r;
}

const NO_CONTEXT = new Proxy({} as DecisionContext, {
  get() {
    throw new Error('a constant sub-tree read the context');
  },
});

function readsFeature(e: Expr): boolean {
  return e.op === 'feature' || children(e).some(readsFeature);
}

/** The value of a feature-free tree, or undefined when evaluating it is a runtime error. */
function constantValue(e: Expr): number | boolean | undefined {
  try {
    return typeOf(e) === 'boolean' ? compileBoolean(e, 'score')(NO_CONTEXT) : compileNumber(e, 'score')(NO_CONTEXT);
  } catch (err) {
    if (err instanceof PolicyRuntimeError) return undefined;
    throw err;
  }
}

const isNum = (e: Expr, v: number) => e.op === 'num' && e.value === v;

/** `e` with constant sub-trees folded and neutral operations (x + 0, x × 1, −−x, …) removed. */
export function simplify(e: Expr): Expr {
  const args = children(e).map(simplify);
  const node = (args.length === 0 ? e : { ...e, args }) as Expr;
  if (node.op !== 'num' && node.op !== 'bool' && !readsFeature(node)) {
    const v = constantValue(node);
    if (typeof v === 'boolean') return bool(v);
    if (typeof v === 'number' && Number.isFinite(v)) return num(roundSignificant(v, 12));
    return node;
  }
  const [a, b] = args as [Expr, Expr];
  switch (node.op) {
    case '+':
      if (isNum(b, 0)) return a;
      if (isNum(a, 0)) return b;
      return node;
    case '-':
      return isNum(b, 0) ? a : node;
    case '*':
      if (isNum(b, 1)) return a;
      if (isNum(a, 1)) return b;
      return node;
    case '/':
    case '^':
      return isNum(b, 1) ? a : node;
    case 'neg':
      if (a.op === 'neg') return a.args[0];
      if (a.op === 'num') return num(-a.value);
      return node;
    case 'not':
      return a.op === 'not' ? a.args[0] : node;
    case 'if':
      if (a.op === 'bool') return a.value ? args[1]! : args[2]!;
      return node;
    case 'min':
    case 'max':
      return args.length === 1 ? a : node;
    default:
      return node;
  }
}

/** Why a tree breaks the limits for `field`, or null when it keeps them. */
export function bloatProblem(e: Expr, field: 'score' | 'filter' | 'order'): string | null {
  const size = sizeOf(e);
  if (size > LIMITS[field]) return `${field} has ${size} nodes (the limit is ${LIMITS[field]})`;
  const depth = depthOf(e);
  if (depth > LIMITS.depth) return `${field} is nested ${depth} deep (the limit is ${LIMITS.depth})`;
  return null;
}
