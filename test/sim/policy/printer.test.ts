import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { parseExpression } from '../../../sim/policy/parser.js';
import { printExpression, printNumber } from '../../../sim/policy/printer.js';
import { binary, call, feature, ifThenElse, neg, not, num } from '../../../sim/policy/ast.js';
import { exprArb } from './support/arbitrary.js';

const canonical = (s: string): string => printExpression(parseExpression(s).expr);

test('given any well-formed tree, when printed and parsed again, then the same tree comes back', () => {
  fc.assert(
    fc.property(exprArb, (e) => {
      assert.equal(parseExpression(printExpression(e)).expr, e);
    }),
    { numRuns: 3000 },
  );
});

test('given any tree, when printed twice through the parser, then the text is stable', () => {
  fc.assert(
    fc.property(exprArb, (e) => {
      const once = printExpression(e);
      assert.is(printExpression(parseExpression(once).expr), once);
    }),
    { numRuns: 500 },
  );
});

test('given any finite number, when printed, then it reads back exactly', () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
      const back = parseExpression(printNumber(v)).expr;
      assert.equal(back, { op: 'num', value: Object.is(v, -0) ? 0 : v });
    }),
  );
  assert.throws(() => printNumber(Infinity), /non-finite/);
});

test('given sloppy source, when printed, then it comes out in canonical form with minimal parentheses', () => {
  assert.is(canonical('(a+(b*c))'), 'a + b * c');
  assert.is(canonical('(a+b)*c'), '(a + b) * c');
  assert.is(canonical('a-(b-c)'), 'a - (b - c)');
  assert.is(canonical('(a-b)-c'), 'a - b - c');
  assert.is(canonical('(2^3)^4'), '(2 ^ 3) ^ 4');
  assert.is(canonical('2^(3^4)'), '2 ^ 3 ^ 4');
  assert.is(canonical('(a<b)==(c<d)'), '(a < b) == (c < d)');
  assert.is(canonical('not(a<b)'), 'not a < b');
  assert.is(canonical('(not a) and b'), 'not a and b');
  assert.is(canonical('not (a and b)'), 'not (a and b)');
  assert.is(canonical('MIN(1,2)'.toLowerCase()), 'min(1, 2)');
  assert.is(canonical('if(a)then(1)else(2)'), 'if a then 1 else 2');
});

test('given trees the parser cannot produce directly, when printed, then parentheses keep them apart', () => {
  assert.is(printExpression(neg(num(3))), '-(3)');
  assert.is(printExpression(neg(num(-3))), '-(-3)');
  assert.is(printExpression(binary('^', num(-3), num(2))), '(-3) ^ 2');
  assert.is(printExpression(binary('^', neg(feature('x')), num(2))), '(-x) ^ 2');
  assert.is(printExpression(binary('*', num(2), ifThenElse(feature('c'), num(1), num(0)))), '2 * (if c then 1 else 0)');
  assert.is(printExpression(binary('<', not(feature('a')), feature('b'))), '(not a) < b');
  assert.is(printExpression(call('max', binary('+', feature('a'), num(1)), num(-2))), 'max(a + 1, -2)');
  assert.is(printExpression(binary('-', feature('a'), num(-2))), 'a - -2');
});

test.run();
