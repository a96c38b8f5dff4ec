import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseExpression, MAX_NESTING, MAX_SOURCE_LENGTH } from '../../../sim/policy/parser.js';
import { SyntaxProblem } from '../../../sim/policy/lexer.js';
import { show } from './support/show.js';
import type { Expr } from '../../../sim/policy/ast.js';

const parse = (s: string): string => show(parseExpression(s).expr);

function problem(source: string): SyntaxProblem {
  try {
    parseExpression(source);
  } catch (err) {
    if (err instanceof SyntaxProblem) return err;
    throw err;
  }
  throw new Error(`expected '${source}' not to parse`);
}

function rejects(source: string, message: RegExp, position: number): void {
  const p = problem(source);
  assert.match(p.message, message, `message for '${source}'`);
  assert.is(p.position, position, `position for '${source}': ${p.message}`);
}

test('given arithmetic, when parsed, then * and / bind tighter than + and -, all left-associative', () => {
  assert.is(parse('1 + 2 * 3'), '(+ 1 (* 2 3))');
  assert.is(parse('1 - 2 - 3'), '(- (- 1 2) 3)');
  assert.is(parse('8 / 4 / 2'), '(/ (/ 8 4) 2)');
  assert.is(parse('(1 + 2) * 3'), '(* (+ 1 2) 3)');
  assert.is(parse('a * b + c / d'), '(+ (* a b) (/ c d))');
});

test('given ^, when parsed, then it is right-associative and binds tighter than unary minus', () => {
  assert.is(parse('2 ^ 3 ^ 2'), '(^ 2 (^ 3 2))');
  assert.is(parse('-x ^ 2'), '(neg (^ x 2))');
  assert.is(parse('-3 ^ 2'), '(neg (^ 3 2))');
  assert.is(parse('2 ^ -3'), '(^ 2 -3)');
  assert.is(parse('2 * x ^ 2'), '(* 2 (^ x 2))');
  assert.is(parse('(-3) ^ 2'), '(^ -3 2)');
});

test('given a minus before a number literal, when parsed, then it is a negative literal; before anything else a negation', () => {
  assert.is(parse('-3'), '-3');
  assert.is(parse('a - -3'), '(- a -3)');
  assert.is(parse('-(3)'), '(neg 3)');
  assert.is(parse('--x'), '(neg (neg x))');
  assert.is(parse('-node.cores * 2'), '(* (neg node.cores) 2)');
});

test('given logic, when parsed, then not > comparison-free and > or, and comparisons sit between logic and arithmetic', () => {
  assert.is(parse('a < b and c > d or e == f'), '(or (and (< a b) (> c d)) (== e f))');
  assert.is(parse('not a < b'), '(not (< a b))');
  assert.is(parse('not not true'), '(not (not true))');
  assert.is(parse('a + 1 >= b * 2'), '(>= (+ a 1) (* b 2))');
  assert.is(parse('a or b and c'), '(or a (and b c))');
});

test('given if-then-else, when parsed, then each branch extends as far as it can and if may nest', () => {
  assert.is(parse('if a > 0 then 1 else 2 + 3'), '(if (> a 0) 1 (+ 2 3))');
  assert.is(parse('if a then if b then 1 else 2 else 3'), '(if a (if b 1 2) 3)');
  assert.is(parse('1 + (if c then 2 else 3)'), '(+ 1 (if c 2 3))');
});

test('given calls, dotted names, literals and numbers in every notation, when parsed, then they are read exactly', () => {
  assert.is(parse('min(a, b, 3)'), '(min a b 3)');
  assert.is(parse('clamp(x, 0, 1)'), '(clamp x 0 1)');
  assert.is(parse('node.free_cores_after'), 'node.free_cores_after');
  assert.is(parse('true or false'), '(or true false)');
  assert.equal(parseExpression('1.5e-7').expr, { op: 'num', value: 1.5e-7 });
  assert.equal(parseExpression('.5').expr, { op: 'num', value: 0.5 });
  assert.equal(parseExpression('2E+3').expr, { op: 'num', value: 2000 });
});

test('given a parsed tree, when its spans are read, then every node knows where its text is', () => {
  const { expr, spans } = parseExpression('1 + max(a, 2)');
  assert.equal(spans.get(expr), { start: 0, end: 13 });
  if (expr.op !== '+') throw new Error('expected +');
  assert.equal(spans.get(expr.args[1]), { start: 4, end: 13 });
  const call = expr.args[1] as { args: readonly Expr[] };
  assert.equal(spans.get(call.args[0] as Expr), { start: 8, end: 9 });
});

test('given characters from other languages, when parsed, then the error says what to write instead', () => {
  rejects('a && b', /'&&' is not an operator: write 'and'/, 2);
  rejects('a || b', /write 'or'/, 2);
  rejects('a = 1', /write '==' to compare/, 2);
  rejects('!a', /write 'not'/, 0);
  rejects('2 ** 3', /write '\^' for a power/, 2);
  rejects('5 % 2', /no remainder/, 2);
  rejects('a $ b', /unexpected character '\$'/, 2);
});

test('given malformed numbers and names, when parsed, then the error names them', () => {
  rejects('1.2.3', /malformed number '1\.2\.3'/, 0);
  rejects('x + 1e', /malformed number '1e'/, 4);
  rejects('2x', /malformed number '2x'/, 0);
  rejects('1e999', /too large/, 0);
  rejects('node.', /malformed name 'node\.'/, 0);
});

test('given incomplete or surplus input, when parsed, then the error points at the place', () => {
  rejects('', /empty expression/, 0);
  rejects('   ', /empty expression/, 0);
  rejects('1 +', /expected an expression, found the end of the expression/, 3);
  rejects('(1 + )', /expected an expression, found '\)'/, 5);
  rejects('1 2', /unexpected '2' after a complete expression/, 2);
  rejects('(1 + 2', /expected '\)' to close the '\(' at column 1, found the end/, 6);
  rejects('1 + 2)', /a '\)' without its '\('/, 5);
  rejects('+1', /unary '\+' is not supported/, 0);
  rejects('then', /expected an expression, found 'then'/, 0);
});

test('given grammar mistakes, when parsed, then each has its own message and position', () => {
  rejects('a < b < c', /comparisons do not chain/, 6);
  rejects('1 + if a then 1 else 2', /'if' inside an operator needs parentheses/, 4);
  rejects('1 < not a', /'not' inside an operator needs parentheses/, 4);
  rejects('if a 1 else 2', /'if' needs 'then'.*found '1'/, 5);
  rejects('if a then 1', /needs 'else'.*found the end/, 11);
  rejects('min + 1', /'min' is a function: call it as min\(…\)/, 0);
  rejects('1 + mx(1, 2)', /unknown function 'mx' \(did you mean max\?\)/, 4);
  rejects('node.cores(1)', /unknown function 'node\.cores'/, 0);
  rejects('clamp(1, 2)', /clamp\(\) takes 3 arguments, got 2/, 0);
  rejects('abs()', /abs\(\) takes 1 argument, got 0/, 0);
  rejects('x * min()', /min\(\) takes at least 1 argument, got 0/, 4);
  rejects('min(1 2)', /expected ',' or '\)' in the arguments of min\(\), found '2'/, 6);
});

test('given oversized input, when parsed, then it is refused before any deep work', () => {
  rejects('1+'.repeat(MAX_SOURCE_LENGTH) + '1', /expression too long/, 0);
  rejects('('.repeat(MAX_NESTING + 1) + '1' + ')'.repeat(MAX_NESTING + 1), /nested too deeply/, MAX_NESTING);
  rejects('-'.repeat(MAX_NESTING + 1) + 'x', /nested too deeply/, MAX_NESTING - 1);
  // Long flat sums are fine: only nesting is bounded.
  assert.ok(parseExpression('x + '.repeat(2000) + 'x'));
});

test.run();
