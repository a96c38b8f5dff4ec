import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkExpression, MAX_TREE_DEPTH, type CheckOptions } from '../../../sim/policy/check.js';
import { parseExpression } from '../../../sim/policy/parser.js';
import { PolicyCompileError } from '../../../sim/policy/compiled.js';
import { binary, feature, num, type Expr } from '../../../sim/policy/ast.js';

const score: CheckOptions = { field: 'score', expected: 'number', nodeAllowed: true };
const filter: CheckOptions = { field: 'filter', expected: 'boolean', nodeAllowed: true };
const order: CheckOptions = { field: 'order.key', expected: 'number', nodeAllowed: false };

function check(source: string, options: CheckOptions): string[] {
  const { expr, spans } = parseExpression(source);
  return checkExpression(expr, { ...options, spans }).features;
}

function rejects(source: string, options: CheckOptions, message: RegExp, column: number): void {
  try {
    check(source, options);
  } catch (err) {
    assert.instance(err, PolicyCompileError);
    const e = err as PolicyCompileError;
    assert.match(e.message, message);
    assert.is(e.position + 1, column, e.message);
    assert.ok(e.message.startsWith(`${options.field}: `), e.message);
    assert.ok(e.message.endsWith(`(at column ${column})`), e.message);
    return;
  }
  assert.unreachable(`'${source}' should not type-check`);
}

test('given well-typed expressions, when checked, then the features they read come back sorted', () => {
  assert.equal(check('-(node.free_cores_after) + task.cores * 0', score), ['node.free_cores_after', 'task.cores']);
  assert.equal(check('node.free_cores_after >= 0 and not (node.open == 0)', filter), ['node.free_cores_after', 'node.open']);
  assert.equal(check('if task.has_sla == 1 then task.deadline else now + 1', order), ['now', 'task.deadline', 'task.has_sla']);
  assert.equal(check('(1 < 2) == (3 > 4)', filter), []);
});

test('given a misspelt feature, when checked, then the error names it, suggests the right one and points at it', () => {
  rejects('-1 * (node.fre_cores)', score, /unknown feature 'node\.fre_cores' \(did you mean node\.free_cores\?\)/, 7);
  rejects('task.core + 1', score, /did you mean task\.cores\?/, 1);
  rejects('1 + zzzz_qqq', score, /unknown feature 'zzzz_qqq' \(at column 5\)$/, 5);
});

test('given operands of the wrong type, when checked, then the error says which operand and what it is', () => {
  rejects('1 + (2 < 3)', score, /the right operand of '\+' must be a number, but it is a condition/, 6);
  rejects('node.open and true', filter, /the left operand of 'and' must be a condition \(true\/false\), but it is a number/, 1);
  rejects('not 1', filter, /the operand of 'not' must be a condition/, 5);
  rejects('-(1 < 2)', score, /the operand of unary '-' must be a number/, 3);
  rejects('if 1 then 2 else 3', score, /the condition of if must be a condition/, 4);
  rejects('if true then 1 else false', score, /branches of if … then … else must have one type/, 1);
  rejects('min(1, true)', score, /argument 2 of min\(\) must be a number/, 8);
  rejects('1 == true', filter, /'==' compares two numbers or two conditions/, 1);
});

test('given the wrong kind of result, when checked, then the error says what the field needs', () => {
  rejects('node.free_cores', filter, /filter: expected a condition \(true\/false\), such as node\.free_cores_after >= 0, but this expression is a number/, 1);
  rejects('1 < 2', score, /expected a number, but this expression is a condition/, 1);
});

test('given a node feature where only the task is seen, when checked, then it is refused', () => {
  rejects('task.cores + node.cores', order, /feature 'node\.cores' needs a node, but order\.key sees only the task/, 14);
  assert.equal(check('task.cores + random + now + tenant.share', order), ['now', 'random', 'task.cores', 'tenant.share']);
});

test('given a bin-packing policy, when it reads a feature bins do not have, then it is refused', () => {
  const binpack: CheckOptions = { ...score, domain: 'binpack' };
  rejects('-node.latency', binpack, /feature 'node\.latency' has no meaning in bin packing/, 2);
  assert.equal(check('-node.free_cores_after', binpack), ['node.free_cores_after']);
});

test('given a tree built by code, when malformed, then the checker refuses it instead of compiling nonsense', () => {
  const bad = (e: unknown, message: RegExp): void => {
    assert.throws(() => checkExpression(e as Expr, score), message);
  };
  bad({ op: 'num', value: Infinity }, /a number must be finite/);
  bad({ op: 'num', value: NaN }, /a number must be finite/);
  bad({ op: '%', args: [num(1), num(2)] }, /unknown operator '%'/);
  bad({ op: '+', args: [num(1)] }, /'\+' takes 2 operand/);
  bad({ op: 'clamp', args: [num(1)] }, /clamp\(\) takes 3 argument/);
  let deep: Expr = feature('now');
  for (let i = 0; i < MAX_TREE_DEPTH; i++) deep = binary('+', deep, num(1));
  bad(deep, /nested too deeply/);
});

test.run();
