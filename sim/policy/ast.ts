// The expression AST: plain JSON-able data, so the evolutionary defender can copy, mutate and store
// trees freely. Positions are not part of a node; the parser returns them in a side table (Spans), so
// two trees are equal exactly when their JSON is equal, wherever their text came from.

/** Binary operators, in the source spelling. */
export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';

/** Built-in functions. */
export type FunctionName =
  | 'min'
  | 'max'
  | 'abs'
  | 'log'
  | 'exp'
  | 'sqrt'
  | 'clamp'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'sign';

export type Expr =
  | { readonly op: 'num'; readonly value: number }
  | { readonly op: 'bool'; readonly value: boolean }
  | { readonly op: 'feature'; readonly name: string }
  | { readonly op: 'neg'; readonly args: readonly [Expr] }
  | { readonly op: 'not'; readonly args: readonly [Expr] }
  | { readonly op: 'if'; readonly args: readonly [Expr, Expr, Expr] }
  | { readonly op: BinaryOp; readonly args: readonly [Expr, Expr] }
  | { readonly op: FunctionName; readonly args: readonly Expr[] };

export type ExprType = 'number' | 'boolean';

/** Half-open character range [start, end) in the source text, 0-based. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Where each node of a parsed tree came from. Trees built by code have no entries. */
export type Spans = WeakMap<Expr, Span>;

export const ARITHMETIC_OPS = ['+', '-', '*', '/', '^'] as const;
export const COMPARISON_OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
export const LOGICAL_OPS = ['and', 'or'] as const;
export const BINARY_OPS: readonly BinaryOp[] = [...ARITHMETIC_OPS, ...COMPARISON_OPS, ...LOGICAL_OPS];

export interface FunctionInfo {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly doc: string;
}

/** Every function takes numbers and returns a number. */
export const FUNCTIONS: Readonly<Record<FunctionName, FunctionInfo>> = {
  min: { minArgs: 1, maxArgs: Infinity, doc: 'smallest of its arguments' },
  max: { minArgs: 1, maxArgs: Infinity, doc: 'largest of its arguments' },
  abs: { minArgs: 1, maxArgs: 1, doc: 'absolute value' },
  log: { minArgs: 1, maxArgs: 1, doc: 'natural logarithm; an argument ≤ 0 is a runtime error' },
  exp: { minArgs: 1, maxArgs: 1, doc: 'e to the power x; overflow is a runtime error' },
  sqrt: { minArgs: 1, maxArgs: 1, doc: 'square root; a negative argument is a runtime error' },
  clamp: { minArgs: 3, maxArgs: 3, doc: 'clamp(x, lo, hi) = min(max(x, lo), hi)' },
  floor: { minArgs: 1, maxArgs: 1, doc: 'largest integer ≤ x' },
  ceil: { minArgs: 1, maxArgs: 1, doc: 'smallest integer ≥ x' },
  round: { minArgs: 1, maxArgs: 1, doc: 'nearest integer, halves rounded up (towards +∞)' },
  sign: { minArgs: 1, maxArgs: 1, doc: '-1, 0 or 1' },
};

export const FUNCTION_NAMES = Object.keys(FUNCTIONS).sort() as FunctionName[];

export const KEYWORDS = ['if', 'then', 'else', 'and', 'or', 'not', 'true', 'false'] as const;

export function isFunctionName(name: string): name is FunctionName {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name);
}

export function isBinaryOp(op: string): op is BinaryOp {
  return (BINARY_OPS as readonly string[]).includes(op);
}

// Constructors: short to write in code and tests, and they always build well-formed nodes.
export const num = (value: number): Expr => ({ op: 'num', value });
export const bool = (value: boolean): Expr => ({ op: 'bool', value });
export const feature = (name: string): Expr => ({ op: 'feature', name });
export const neg = (x: Expr): Expr => ({ op: 'neg', args: [x] });
export const not = (x: Expr): Expr => ({ op: 'not', args: [x] });
export const ifThenElse = (c: Expr, a: Expr, b: Expr): Expr => ({ op: 'if', args: [c, a, b] });
export const binary = (op: BinaryOp, a: Expr, b: Expr): Expr => ({ op, args: [a, b] });
export const call = (fn: FunctionName, ...args: Expr[]): Expr => ({ op: fn, args });

/** The children of a node, in source order. */
export function children(e: Expr): readonly Expr[] {
  return 'args' in e ? e.args : [];
}

/** Every feature name the tree reads, sorted. */
export function featuresOf(e: Expr): string[] {
  const seen = new Set<string>();
  const walk = (x: Expr): void => {
    if (x.op === 'feature') seen.add(x.name);
    for (const c of children(x)) walk(c);
  };
  walk(e);
  return [...seen].sort();
}

/** Nodes in the tree. */
export function sizeOf(e: Expr): number {
  let n = 1;
  for (const c of children(e)) n += sizeOf(c);
  return n;
}

/** Longest path from the root to a leaf, counting nodes. */
export function depthOf(e: Expr): number {
  let d = 0;
  for (const c of children(e)) d = Math.max(d, depthOf(c));
  return d + 1;
}

/**
 * The terms of a top-level sum: `a - b + c` gives a, -b, c (as a neg node). A tree that is not a
 * sum is one term.
 */
export function additiveTerms(e: Expr): Expr[] {
  if (e.op === '+') return [...additiveTerms(e.args[0] as Expr), ...additiveTerms(e.args[1] as Expr)];
  if (e.op === '-') return [...additiveTerms(e.args[0] as Expr), neg(e.args[1] as Expr)];
  return [e];
}

/** The conjuncts of a top-level `and` chain. */
export function conjuncts(e: Expr): Expr[] {
  if (e.op === 'and') return [...conjuncts(e.args[0] as Expr), ...conjuncts(e.args[1] as Expr)];
  return [e];
}
