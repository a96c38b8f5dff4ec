// AST → canonical source text: single spaces around binary operators, `f(a, b)` for calls, and
// parentheses only where the grammar needs them. parseExpression(printExpression(e)).expr equals e
// for every well-formed tree (a property test says so).
import type { Expr } from './ast.js';

// Binding strength of each node as an operand; higher binds tighter.
const IF = 0;
const OR = 1;
const AND = 2;
const NOT = 3;
const COMPARE = 4;
const ADD = 5;
const MUL = 6;
const UNARY = 7;
const POW = 8;
const ATOM = 9;

function strength(e: Expr): number {
  switch (e.op) {
    case 'if':
      return IF;
    case 'or':
      return OR;
    case 'and':
      return AND;
    case 'not':
      return NOT;
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '==':
    case '!=':
      return COMPARE;
    case '+':
    case '-':
      return ADD;
    case '*':
    case '/':
      return MUL;
    case 'neg':
      return UNARY;
    case '^':
      return POW;
    case 'num':
      // A negative literal reads like a unary minus.
      return e.value < 0 ? UNARY : ATOM;
    default:
      return ATOM;
  }
}

/** A number in the shortest text that reads back to the same value. */
export function printNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot print the non-finite number ${value}`);
  return Object.is(value, -0) ? '0' : String(value);
}

function wrap(text: string, needed: boolean): string {
  return needed ? `(${text})` : text;
}

export function printExpression(e: Expr): string {
  switch (e.op) {
    case 'num':
      return printNumber(e.value);
    case 'bool':
      return e.value ? 'true' : 'false';
    case 'feature':
      return e.name;
    case 'neg': {
      const x = e.args[0];
      // A literal right after a minus would read back as a negative literal: keep it apart.
      return '-' + wrap(printExpression(x), x.op === 'num' || strength(x) < UNARY);
    }
    case 'not': {
      const x = e.args[0];
      return 'not ' + wrap(printExpression(x), strength(x) < NOT);
    }
    case 'if':
      return `if ${printExpression(e.args[0])} then ${printExpression(e.args[1])} else ${printExpression(e.args[2])}`;
    case '^': {
      const [a, b] = e.args as readonly [Expr, Expr];
      return `${wrap(printExpression(a), strength(a) <= POW)} ^ ${wrap(printExpression(b), strength(b) < UNARY)}`;
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '==':
    case '!=': {
      const [a, b] = e.args as readonly [Expr, Expr];
      return `${wrap(printExpression(a), strength(a) <= COMPARE)} ${e.op} ${wrap(printExpression(b), strength(b) <= COMPARE)}`;
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case 'and':
    case 'or': {
      const [a, b] = e.args as readonly [Expr, Expr];
      const s = strength(e);
      return `${wrap(printExpression(a), strength(a) < s)} ${e.op} ${wrap(printExpression(b), strength(b) <= s)}`;
    }
    default:
      return `${e.op}(${e.args.map(printExpression).join(', ')})`;
  }
}
