// How a score changes with one feature when every other feature is held fixed. The bin packer uses it
// for node.index: if the score never increases with the index, the lowest-index bin among bins in the
// same state scores best, so scoring one representative per state is exact (first-fit is `-node.index`).
// The analysis is conservative: 'unknown' whenever it cannot prove a direction.
import type { Expr } from './ast.js';
import { children } from './ast.js';

/** const: does not read the feature; inc/dec: never decreases/increases with it. */
export type Monotonicity = 'const' | 'inc' | 'dec' | 'unknown';

const flip = (m: Monotonicity): Monotonicity => (m === 'inc' ? 'dec' : m === 'dec' ? 'inc' : m);

function combine(ms: Monotonicity[]): Monotonicity {
  let out: Monotonicity = 'const';
  for (const m of ms) {
    if (m === 'unknown') return 'unknown';
    if (m === 'const') continue;
    if (out === 'const') out = m;
    else if (out !== m) return 'unknown';
  }
  return out;
}

/** The value of a literal constant (possibly negated), or undefined. */
function literal(e: Expr): number | undefined {
  if (e.op === 'num') return e.value;
  if (e.op === 'neg') {
    const v = literal(e.args[0]);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

/** Scaling by a literal keeps (positive), flips (negative) or removes (zero) a direction. */
function scaled(m: Monotonicity, k: number): Monotonicity {
  if (k > 0) return m;
  if (k < 0) return flip(m);
  return m === 'unknown' ? 'unknown' : 'const';
}

export function monotonicityIn(featureName: string, e: Expr): Monotonicity {
  const of = (x: Expr): Monotonicity => monotonicityIn(featureName, x);
  const args = children(e);
  switch (e.op) {
    case 'num':
    case 'bool':
      return 'const';
    case 'feature':
      return e.name === featureName ? 'inc' : 'const';
    case 'neg':
      return flip(of(args[0] as Expr));
    case '+':
      return combine([of(args[0] as Expr), of(args[1] as Expr)]);
    case '-':
      return combine([of(args[0] as Expr), flip(of(args[1] as Expr))]);
    case '*': {
      const [a, b] = [of(args[0] as Expr), of(args[1] as Expr)];
      if (a === 'const' && b === 'const') return 'const';
      const ka = literal(args[0] as Expr);
      if (ka !== undefined) return scaled(b, ka);
      const kb = literal(args[1] as Expr);
      if (kb !== undefined) return scaled(a, kb);
      return 'unknown';
    }
    case '/': {
      const [a, b] = [of(args[0] as Expr), of(args[1] as Expr)];
      if (a === 'const' && b === 'const') return 'const';
      const kb = literal(args[1] as Expr);
      if (kb !== undefined && kb !== 0) return scaled(a, kb);
      return 'unknown';
    }
    case 'min':
    case 'max':
      return combine(args.map(of));
    case 'clamp': {
      const [x, lo, hi] = args.map(of) as [Monotonicity, Monotonicity, Monotonicity];
      return lo === 'const' && hi === 'const' ? x : combine([x, lo, hi]);
    }
    // Non-decreasing functions keep the direction of their argument.
    case 'exp':
    case 'log':
    case 'sqrt':
    case 'floor':
    case 'ceil':
    case 'round':
    case 'sign':
      return of(args[0] as Expr);
    case 'if': {
      // With a condition that does not read the feature, every candidate takes the same branch.
      if (of(args[0] as Expr) !== 'const') return 'unknown';
      return combine([of(args[1] as Expr), of(args[2] as Expr)]);
    }
    default:
      // abs, ^, comparisons and logic: constant only when nothing below reads the feature.
      return args.every((a) => of(a) === 'const') ? 'const' : 'unknown';
  }
}
