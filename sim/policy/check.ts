// The type checker: every expression is a number or a boolean (a condition), features exist and are
// valid where they are read (no node in order and admit; only bin features in bin packing), and trees
// built by code (the evolver's mutations) are well-formed. The first problem found is reported with
// the position of the offending node.
import type { Expr, ExprType, Spans } from './ast.js';
import { FUNCTIONS, children, depthOf, isBinaryOp, isFunctionName, sizeOf } from './ast.js';
import { PolicyCompileError } from './compiled.js';
import { FEATURE_NAMES, featureDef } from './features.js';
import { printExpression } from './printer.js';
import { didYouMean } from './suggest.js';

/** Where a policy runs: scheduling scenarios (every feature) or online bin packing (bin features only). */
export type PolicyDomain = 'scheduling' | 'binpack';

/** Limits for trees that did not come from the parser (which has its own). */
export const MAX_TREE_NODES = 5000;
export const MAX_TREE_DEPTH = 500;

export interface CheckOptions {
  /** Field name for messages: score, filter, admit, order.key. */
  readonly field: string;
  readonly expected: ExprType;
  /** Node features are allowed (filter and score), or only task and run features (order and admit). */
  readonly nodeAllowed: boolean;
  readonly domain?: PolicyDomain;
  readonly spans?: Spans;
}

export interface Checked {
  /** Feature names the expression reads, sorted. */
  readonly features: string[];
}

const describe = (t: ExprType): string => (t === 'number' ? 'a number' : 'a condition (true/false)');

export function checkExpression(expr: Expr, options: CheckOptions): Checked {
  const { field, spans } = options;
  const fail = (message: string, at: Expr): never => {
    throw new PolicyCompileError(message, field, spans?.get(at)?.start ?? 0);
  };
  if (spans === undefined) {
    if (sizeOf(expr) > MAX_TREE_NODES) fail(`expression too large (the limit is ${MAX_TREE_NODES} nodes)`, expr);
    if (depthOf(expr) > MAX_TREE_DEPTH) fail(`expression nested too deeply (the limit is ${MAX_TREE_DEPTH})`, expr);
  }
  const features = new Set<string>();

  const expect = (e: Expr, want: ExprType, role: string): void => {
    const got = infer(e);
    if (got !== want) fail(`${role} must be ${describe(want)}, but it is ${describe(got)}: ${printExpression(e)}`, e);
  };

  const infer = (e: Expr): ExprType => {
    const args = children(e);
    switch (e.op) {
      case 'num':
        if (typeof e.value !== 'number' || !Number.isFinite(e.value)) fail(`malformed tree: a number must be finite, got ${String(e.value)}`, e);
        return 'number';
      case 'bool':
        if (typeof e.value !== 'boolean') fail('malformed tree: a boolean literal must be true or false', e);
        return 'boolean';
      case 'feature': {
        const def = featureDef(e.name);
        if (def === undefined) return fail(`unknown feature '${e.name}'${didYouMean(e.name, FEATURE_NAMES)}`, e);
        if (def.needsNode && !options.nodeAllowed) {
          fail(`feature '${e.name}' needs a node, but ${field} sees only the task (use it in filter or score)`, e);
        }
        if (options.domain === 'binpack' && def.binpack === undefined) fail(`feature '${e.name}' has no meaning in bin packing`, e);
        if (options.domain !== 'binpack' && def.scheduling === false) fail(`feature '${e.name}' has meaning only in bin packing`, e);
        features.add(e.name);
        return 'number';
      }
      case 'neg':
        arity(e, 1);
        expect(args[0] as Expr, 'number', "the operand of unary '-'");
        return 'number';
      case 'not':
        arity(e, 1);
        expect(args[0] as Expr, 'boolean', "the operand of 'not'");
        return 'boolean';
      case 'if': {
        arity(e, 3);
        expect(args[0] as Expr, 'boolean', 'the condition of if');
        const a = infer(args[1] as Expr);
        const b = infer(args[2] as Expr);
        if (a !== b) fail(`the branches of if … then … else must have one type, but 'then' gives ${describe(a)} and 'else' gives ${describe(b)}`, e);
        return a;
      }
      case '+':
      case '-':
      case '*':
      case '/':
      case '^':
        arity(e, 2);
        expect(args[0] as Expr, 'number', `the left operand of '${e.op}'`);
        expect(args[1] as Expr, 'number', `the right operand of '${e.op}'`);
        return 'number';
      case '<':
      case '<=':
      case '>':
      case '>=':
        arity(e, 2);
        expect(args[0] as Expr, 'number', `the left operand of '${e.op}'`);
        expect(args[1] as Expr, 'number', `the right operand of '${e.op}'`);
        return 'boolean';
      case '==':
      case '!=': {
        arity(e, 2);
        const a = infer(args[0] as Expr);
        const b = infer(args[1] as Expr);
        if (a !== b) fail(`'${e.op}' compares two numbers or two conditions, not ${describe(a)} with ${describe(b)}`, e);
        return 'boolean';
      }
      case 'and':
      case 'or':
        arity(e, 2);
        expect(args[0] as Expr, 'boolean', `the left operand of '${e.op}'`);
        expect(args[1] as Expr, 'boolean', `the right operand of '${e.op}'`);
        return 'boolean';
      default: {
        const op = (e as { op: unknown }).op;
        if (typeof op !== 'string' || !isFunctionName(op)) return fail(`malformed tree: unknown operator '${String(op)}'`, e);
        const info = FUNCTIONS[op];
        if (!Array.isArray(args) || args.length < info.minArgs || args.length > info.maxArgs) {
          fail(`${op}() takes ${info.minArgs === info.maxArgs ? info.minArgs : `at least ${info.minArgs}`} argument(s), got ${args.length}`, e);
        }
        args.forEach((a, i) => expect(a, 'number', `argument ${i + 1} of ${op}()`));
        return 'number';
      }
    }
  };

  const arity = (e: Expr, n: number): void => {
    const args = (e as { args?: unknown }).args;
    if (!Array.isArray(args) || args.length !== n) {
      const what = isBinaryOp(e.op) ? `'${e.op}'` : e.op;
      fail(`malformed tree: ${what} takes ${n} operand(s)`, e);
    }
  };

  const got = infer(expr);
  if (got !== options.expected) {
    const hint = options.expected === 'boolean' ? ', such as node.free_cores_after >= 0' : '';
    fail(`expected ${describe(options.expected)}${hint}, but this expression is ${describe(got)}`, expr);
  }
  return { features: [...features].sort() };
}
