// Checked AST → a tree of closures (never eval or new Function). Every arithmetic step that can leave
// the finite numbers checks its result, so a division by zero or a NaN is a PolicyRuntimeError at the
// step that caused it, naming that sub-expression. Sub-trees that read no feature are folded to
// constants once, unless evaluating them fails (then the failure stays where it would happen).
import type { DecisionContext } from '../decision-context.js';
import type { Expr } from './ast.js';
import { children } from './ast.js';
import { PolicyRuntimeError } from './compiled.js';
import { featureDef } from './features.js';
import { printExpression } from './printer.js';

export type NumberFn = (ctx: DecisionContext) => number;
export type BooleanFn = (ctx: DecisionContext) => boolean;
type AnyFn = NumberFn | BooleanFn;

export type ExpressionKind = PolicyRuntimeError['expression'];

/** Compiles a tree that checkExpression accepted. `field` names it in runtime errors. */
export function compileNumber(expr: Expr, kind: ExpressionKind, field: string = kind): NumberFn {
  return new ClosureCompiler(kind, field).build(expr) as NumberFn;
}

export function compileBoolean(expr: Expr, kind: ExpressionKind, field: string = kind): BooleanFn {
  return new ClosureCompiler(kind, field).build(expr) as BooleanFn;
}

// A context for folding constants: any feature read would be a bug, so every access throws.
const NO_CONTEXT = new Proxy({} as DecisionContext, {
  get() {
    throw new Error('constant folding read the context');
  },
});

function readsFeature(e: Expr): boolean {
  return e.op === 'feature' || children(e).some(readsFeature);
}

class ClosureCompiler {
  constructor(
    private readonly kind: ExpressionKind,
    private readonly field: string,
  ) {}

  private error(message: string): PolicyRuntimeError {
    return new PolicyRuntimeError(`${this.field}: ${message}`, this.kind);
  }

  private notFinite(e: Expr, value: number): PolicyRuntimeError {
    return this.error(`'${printExpression(e)}' is not a finite number (${value})`);
  }

  build(e: Expr): AnyFn {
    const fn = this.buildRaw(e);
    if (e.op === 'num' || e.op === 'bool' || readsFeature(e)) return fn;
    try {
      const value = fn(NO_CONTEXT);
      return typeof value === 'number' ? () => value : () => value;
    } catch (err) {
      if (err instanceof PolicyRuntimeError) return fn;
      throw err;
    }
  }

  private num(e: Expr): NumberFn {
    return this.build(e) as NumberFn;
  }

  private bool(e: Expr): BooleanFn {
    return this.build(e) as BooleanFn;
  }

  private buildRaw(e: Expr): AnyFn {
    const args = children(e);
    switch (e.op) {
      case 'num': {
        const v = e.value;
        return () => v;
      }
      case 'bool': {
        const v = e.value;
        return () => v;
      }
      case 'feature': {
        const get = featureDef(e.name)!.get;
        const name = e.name;
        return (c) => {
          const v = get(c);
          if (v - v !== 0) throw this.error(`feature '${name}' is not a finite number (${v})`);
          return v;
        };
      }
      case 'neg': {
        const a = this.num(args[0] as Expr);
        return (c) => -a(c);
      }
      case 'not': {
        const a = this.bool(args[0] as Expr);
        return (c) => !a(c);
      }
      case 'if': {
        const cond = this.bool(args[0] as Expr);
        const a = this.build(args[1] as Expr);
        const b = this.build(args[2] as Expr);
        return ((c: DecisionContext) => (cond(c) ? a(c) : b(c))) as AnyFn;
      }
      case '+': {
        const [a, b] = this.pair(args);
        return (c) => {
          const r = a(c) + b(c);
          if (r - r !== 0) throw this.notFinite(e, r);
          return r;
        };
      }
      case '-': {
        const [a, b] = this.pair(args);
        return (c) => {
          const r = a(c) - b(c);
          if (r - r !== 0) throw this.notFinite(e, r);
          return r;
        };
      }
      case '*': {
        const [a, b] = this.pair(args);
        return (c) => {
          const r = a(c) * b(c);
          if (r - r !== 0) throw this.notFinite(e, r);
          return r;
        };
      }
      case '/': {
        const [a, b] = this.pair(args);
        return (c) => {
          const d = b(c);
          if (d === 0) throw this.error(`division by zero in '${printExpression(e)}'`);
          const r = a(c) / d;
          if (r - r !== 0) throw this.notFinite(e, r);
          return r;
        };
      }
      case '^': {
        const [a, b] = this.pair(args);
        return (c) => {
          const r = Math.pow(a(c), b(c));
          if (r - r !== 0) throw this.notFinite(e, r);
          return r;
        };
      }
      case '<': {
        const [a, b] = this.pair(args);
        return (c) => a(c) < b(c);
      }
      case '<=': {
        const [a, b] = this.pair(args);
        return (c) => a(c) <= b(c);
      }
      case '>': {
        const [a, b] = this.pair(args);
        return (c) => a(c) > b(c);
      }
      case '>=': {
        const [a, b] = this.pair(args);
        return (c) => a(c) >= b(c);
      }
      case '==': {
        const a = this.build(args[0] as Expr);
        const b = this.build(args[1] as Expr);
        return (c) => a(c) === b(c);
      }
      case '!=': {
        const a = this.build(args[0] as Expr);
        const b = this.build(args[1] as Expr);
        return (c) => a(c) !== b(c);
      }
      case 'and': {
        const a = this.bool(args[0] as Expr);
        const b = this.bool(args[1] as Expr);
        return (c) => a(c) && b(c);
      }
      case 'or': {
        const a = this.bool(args[0] as Expr);
        const b = this.bool(args[1] as Expr);
        return (c) => a(c) || b(c);
      }
      case 'min':
      case 'max':
        return this.extremum(e.op, args);
      case 'abs': {
        const a = this.num(args[0] as Expr);
        return (c) => Math.abs(a(c));
      }
      case 'log': {
        const a = this.num(args[0] as Expr);
        return (c) => {
          const x = a(c);
          if (x <= 0) throw this.error(`log of a number ≤ 0 in '${printExpression(e)}' (argument ${x})`);
          return Math.log(x);
        };
      }
      case 'exp': {
        const a = this.num(args[0] as Expr);
        return (c) => {
          const r = Math.exp(a(c));
          if (r - r !== 0) throw this.notFinite(e, r);
          return r;
        };
      }
      case 'sqrt': {
        const a = this.num(args[0] as Expr);
        return (c) => {
          const x = a(c);
          if (x < 0) throw this.error(`square root of a negative number in '${printExpression(e)}' (argument ${x})`);
          return Math.sqrt(x);
        };
      }
      case 'clamp': {
        const x = this.num(args[0] as Expr);
        const lo = this.num(args[1] as Expr);
        const hi = this.num(args[2] as Expr);
        return (c) => Math.min(Math.max(x(c), lo(c)), hi(c));
      }
      case 'floor': {
        const a = this.num(args[0] as Expr);
        return (c) => Math.floor(a(c));
      }
      case 'ceil': {
        const a = this.num(args[0] as Expr);
        return (c) => Math.ceil(a(c));
      }
      case 'round': {
        const a = this.num(args[0] as Expr);
        return (c) => Math.round(a(c));
      }
      case 'sign': {
        const a = this.num(args[0] as Expr);
        return (c) => Math.sign(a(c));
      }
    }
  }

  private pair(args: readonly Expr[]): [NumberFn, NumberFn] {
    return [this.num(args[0] as Expr), this.num(args[1] as Expr)];
  }

  private extremum(op: 'min' | 'max', args: readonly Expr[]): NumberFn {
    const fns = args.map((a) => this.num(a));
    const pick = op === 'min' ? Math.min : Math.max;
    if (fns.length === 1) return fns[0] as NumberFn;
    if (fns.length === 2) {
      const [a, b] = fns as [NumberFn, NumberFn];
      return (c) => pick(a(c), b(c));
    }
    return (c) => {
      let r = (fns[0] as NumberFn)(c);
      for (let i = 1; i < fns.length; i++) r = pick(r, (fns[i] as NumberFn)(c));
      return r;
    };
  }
}
