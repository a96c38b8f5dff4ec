// fast-check generators of well-formed trees (any shape, not necessarily well-typed).
import fc from 'fast-check';
import type { BinaryOp, Expr, FunctionName } from '../../../../sim/policy/ast.js';
import { BINARY_OPS, FUNCTIONS, FUNCTION_NAMES } from '../../../../sim/policy/ast.js';
import { FEATURE_NAMES } from '../../../../sim/policy/features.js';

const finiteNumber = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
).filter((v) => !Object.is(v, -0));

export const leafArb: fc.Arbitrary<Expr> = fc.oneof(
  finiteNumber.map((value): Expr => ({ op: 'num', value })),
  fc.boolean().map((value): Expr => ({ op: 'bool', value })),
  fc.constantFrom(...FEATURE_NAMES).map((name): Expr => ({ op: 'feature', name })),
);

export const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { maxDepth: 6, depthIdentifier: 'expr' },
    leafArb,
    fc.tuple(fc.constantFrom<'neg' | 'not'>('neg', 'not'), tie('expr')).map(([op, a]): Expr => ({ op, args: [a] })),
    fc.tuple(fc.constantFrom<BinaryOp>(...BINARY_OPS), tie('expr'), tie('expr')).map(([op, a, b]): Expr => ({ op, args: [a, b] })),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]): Expr => ({ op: 'if', args: [c, a, b] })),
    fc.constantFrom<FunctionName>(...FUNCTION_NAMES).chain((fn) => {
      const info = FUNCTIONS[fn];
      return fc
        .array(tie('expr'), { minLength: info.minArgs, maxLength: Math.min(info.maxArgs, 4) })
        .map((args): Expr => ({ op: fn, args }));
    }),
  ),
})).expr;
