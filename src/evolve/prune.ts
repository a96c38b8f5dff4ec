// Bloat the defender's simplifier leaves: a power with exponent 0, and top-level terms of the score
// that read no node feature. The score only ranks the nodes for one task at a time, so a term that is
// the same for every node (a constant, a task or run feature) changes no decision; dropping it keeps an
// evolved policy readable and its constants where they matter.
import { sumOf } from '../../actors/minds/defender/mutate.js';
import { simplify } from '../../actors/minds/defender/simplify.js';
import type { Expr } from '../../sim/policy/ast.js';
import { additiveTerms, children, featuresOf, num } from '../../sim/policy/ast.js';
import { featureDef } from '../../sim/policy/features.js';

function withoutZeroPowers(e: Expr): Expr {
  const args = children(e).map(withoutZeroPowers);
  const node = (args.length === 0 ? e : { ...e, args }) as Expr;
  if (node.op === '^' && node.args[1].op === 'num' && node.args[1].value === 0) return num(1);
  return node;
}

const readsNode = (e: Expr) => featuresOf(e).some((f) => featureDef(f)?.needsNode === true);

/** The score with zero powers folded and node-independent top-level terms dropped (at least one term stays). */
export function pruneScore(score: Expr): Expr {
  const e = simplify(withoutZeroPowers(score));
  const terms = additiveTerms(e);
  if (terms.length < 2) return e;
  const kept = terms.filter(readsNode);
  if (kept.length === terms.length || kept.length === 0) return e;
  return simplify(sumOf(kept));
}
