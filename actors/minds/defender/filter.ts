// Mutations of a policy's hard filter, a conjunction of conditions. Capacity conjuncts (those reading
// free cores or memory, e.g. `node.free_cores_after >= 0`) are kept by every move except the
// deliberate, rare `drop capacity`, since a filter that stops checking capacity usually just queues or
// oversubscribes.
import type { Expr } from '../../../sim/policy/ast.js';
import { binary, bool, conjuncts, featuresOf } from '../../../sim/policy/ast.js';
import type { Rng } from '../../../sim/random.js';
import { pick } from '../../../sim/workload/distributions.js';
import { CAPACITY_FEATURES, FEATURE_POOL } from './features.js';
import { mutateConstant, randomCondition, type TreeMove } from './mutate.js';
import { printExpression } from '../../../sim/policy/printer.js';

export function isCapacityConjunct(e: Expr): boolean {
  return featuresOf(e).some((f) => CAPACITY_FEATURES.has(f));
}

/** A conjunction of `parts` (`true` when empty), left-associated. */
export function allOf(parts: readonly Expr[]): Expr {
  const real = parts.filter((p) => !(p.op === 'bool' && p.value === true));
  if (real.length === 0) return bool(true);
  let out = real[0]!;
  for (const p of real.slice(1)) out = binary('and', out, p);
  return out;
}

export function mutateFilter(filter: Expr, rng: Rng): TreeMove | null {
  const parts = conjuncts(filter).filter((p) => !(p.op === 'bool' && p.value === true));
  const free = parts.map((p, i) => ({ p, i })).filter(({ p }) => !isCapacityConjunct(p));
  const capacity = parts.map((p, i) => ({ p, i })).filter(({ p }) => isCapacityConjunct(p));
  const u = rng.float();
  if (u < 0.05 && capacity.length > 0) {
    const { p, i } = pick(rng, capacity);
    return { expr: allOf(parts.filter((_, j) => j !== i)), detail: `dropped capacity conjunct ${printExpression(p)}` };
  }
  if (u < 0.3 && free.length > 0) {
    const { p, i } = pick(rng, free);
    return { expr: allOf(parts.filter((_, j) => j !== i)), detail: `dropped conjunct ${printExpression(p)}` };
  }
  if (u < 0.6 && free.length > 0) {
    const { p, i } = pick(rng, free);
    const move = mutateConstant(p, rng, FEATURE_POOL.node);
    if (move !== null) {
      const next = parts.map((q, j) => (j === i ? move.expr : q));
      return { expr: allOf(next), detail: `in conjunct ${printExpression(p)}: ${move.detail}` };
    }
  }
  const added = randomCondition(rng, FEATURE_POOL.node);
  return { expr: allOf([...parts, added]), detail: `added conjunct ${printExpression(added)}` };
}
