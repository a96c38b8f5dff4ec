// Addressing and rewriting expression trees by path (child indices from the root). Trees are plain
// immutable JSON (sim/policy/ast.ts): a rewrite copies the nodes on the path and shares the rest.
import type { Expr, ExprType } from '../../../sim/policy/ast.js';
import { children } from '../../../sim/policy/ast.js';

export type Path = readonly number[];

export function subtreeAt(e: Expr, path: Path): Expr {
  let at = e;
  for (const i of path) at = children(at)[i]!;
  return at;
}

/** `e` with the subtree at `path` replaced by `replacement`. */
export function replaceAt(e: Expr, path: Path, replacement: Expr): Expr {
  if (path.length === 0) return replacement;
  const [i, ...rest] = path as number[];
  const args = [...children(e)];
  args[i!] = replaceAt(args[i!]!, rest, replacement);
  return { ...e, args } as Expr;
}

/** Every path in the tree, in pre-order (the root first). */
export function allPaths(e: Expr): Path[] {
  const out: Path[] = [];
  const walk = (x: Expr, p: number[]) => {
    out.push(p);
    children(x).forEach((c, i) => walk(c, [...p, i]));
  };
  walk(e, []);
  return out;
}

/** The type of a well-formed tree: comparisons, `and`, `or`, `not` and booleans are conditions. */
export function typeOf(e: Expr): ExprType {
  switch (e.op) {
    case 'bool':
    case 'not':
    case 'and':
    case 'or':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '==':
    case '!=':
      return 'boolean';
    case 'if':
      return typeOf(e.args[1]);
    default:
      return 'number';
  }
}

/** Paths whose subtree has type `t` (pre-order). */
export function pathsOfType(e: Expr, t: ExprType): Path[] {
  return allPaths(e).filter((p) => typeOf(subtreeAt(e, p)) === t);
}

/** Paths of subtrees matching `predicate` (pre-order). */
export function pathsWhere(e: Expr, predicate: (x: Expr) => boolean): Path[] {
  return allPaths(e).filter((p) => predicate(subtreeAt(e, p)));
}

/** Structural equality: trees are plain JSON with a fixed key order per node kind. */
export function sameTree(a: Expr, b: Expr): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
