// A fully parenthesised prefix rendering of a tree, so tests can state precedence plainly.
import type { Expr } from '../../../../sim/policy/ast.js';

export function show(e: Expr): string {
  switch (e.op) {
    case 'num':
      return String(e.value);
    case 'bool':
      return String(e.value);
    case 'feature':
      return e.name;
    default:
      return `(${e.op} ${e.args.map(show).join(' ')})`;
  }
}
