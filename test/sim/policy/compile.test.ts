import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compilePolicy } from '../../../sim/policy/compile.js';
import { PolicyCompileError, PolicyRuntimeError } from '../../../sim/policy/compiled.js';
import { NO_SLA } from '../../../sim/policy/features.js';
import { context, nodeView, simView, taskView } from './support/context.js';

const policy = (score: string, extra: Record<string, unknown> = {}) => compilePolicy({ name: 'p', score, ...extra });
const ctx = (node = nodeView({ spec: { cores: 4, memory: 8 }, freeCores: 2, freeMemory: 4 })) =>
  context(taskView({ cores: 1, memory: 2 }), node, simView({ now: 5 }));

function runtimeError(fn: () => unknown): PolicyRuntimeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PolicyRuntimeError) return err;
    throw err;
  }
  throw new Error('expected a PolicyRuntimeError');
}

function compileError(doc: unknown, options?: Parameters<typeof compilePolicy>[1]): PolicyCompileError {
  try {
    compilePolicy(doc, options);
  } catch (err) {
    if (err instanceof PolicyCompileError) return err;
    throw err;
  }
  throw new Error('expected a PolicyCompileError');
}

test('given a score, when evaluated, then arithmetic, functions and features compute what they say', () => {
  const c = ctx();
  assert.is(policy('node.free_cores_after * 10 + task.memory ^ 2 - 1').score(c), 13);
  assert.is(policy('min(3, node.free_cores, 7) + max(1, 2) + abs(-2) + clamp(9, 0, 1)').score(c), 7);
  assert.is(policy('sqrt(16) + exp(0) + log(1) + floor(2.7) + ceil(2.1) + round(2.5) + sign(-4)').score(c), 4 + 1 + 0 + 2 + 3 + 3 - 1);
  assert.is(policy('if node.free_cores > 1 then 10 else 20').score(c), 10);
  assert.is(policy('now').score(c), 5);
  assert.ok(policy('true', { score: '1', filter: 'node.free_cores >= 2 and (task.cores == 1 or false) and not (1 > 2)' }).filter(c));
});

test('given a division by zero, when the score is evaluated, then it is a PolicyRuntimeError of that expression naming the step', () => {
  const c = ctx(nodeView({ spec: { cores: 4 }, freeCores: 1 }));
  const err = runtimeError(() => policy('1 + task.cores / node.free_cores_after').score(c));
  assert.is(err.expression, 'score');
  assert.is(err.message, "score: division by zero in 'task.cores / node.free_cores_after'");
});

test('given steps that leave the finite numbers, when evaluated, then each is a PolicyRuntimeError, never a NaN score', () => {
  const c = ctx();
  assert.match(runtimeError(() => policy('sqrt(0 - node.free_cores)').score(c)).message, /square root of a negative number in 'sqrt\(0 - node\.free_cores\)' \(argument -2\)/);
  assert.match(runtimeError(() => policy('log(node.free_cores - 2)').score(c)).message, /log of a number ≤ 0/);
  assert.match(runtimeError(() => policy('(0 - node.free_cores) ^ 0.5').score(c)).message, /is not a finite number \(NaN\)/);
  assert.match(runtimeError(() => policy('exp(node.free_cores * 1000)').score(c)).message, /is not a finite number \(Infinity\)/);
  assert.match(runtimeError(() => policy('node.free_cores * 1e308 * 10').score(c)).message, /not a finite number \(Infinity\)/);
  assert.match(runtimeError(() => policy('0 ^ (0 - node.free_cores)').score(c)).message, /not a finite number/);
  const filterErr = runtimeError(() => policy('1', { filter: '1 / (node.free_cores - 2) > 0' }).filter(c));
  assert.is(filterErr.expression, 'filter');
});

test('given a feature the engine reports as not finite, when read, then it is a PolicyRuntimeError', () => {
  const c = context(taskView(), nodeView(), { ...simView(), tenantShare: () => NaN });
  const p = compilePolicy({ name: 'p', score: '1', order: 'drf' });
  const err = runtimeError(() => p.orderKey(c.task, c));
  assert.is(err.expression, 'order');
  assert.match(err.message, /feature 'tenant\.share' is not a finite number \(NaN\)/);
});

test('given a faulty step on a branch not taken, when evaluated, then nothing fails (if, and, or are lazy)', () => {
  const c = ctx(nodeView({ freeCores: 0 }));
  assert.is(policy('if node.free_cores > 0 then 1 / node.free_cores else 0').score(c), 0);
  assert.is(policy('if false then 1 / 0 else 1').score(c), 1);
  assert.not.ok(policy('1', { filter: 'node.free_cores > 0 and 1 / node.free_cores > 0' }).filter(c));
  assert.ok(policy('1', { filter: 'node.free_cores == 0 or 1 / node.free_cores > 0' }).filter(c));
  // A constant fault is still a runtime fault of that evaluation, not a crash at compile time.
  assert.match(runtimeError(() => policy('1 / 0').score(c)).message, /division by zero in '1 \/ 0'/);
});

test('given named orders, when keys are computed, then each sorts as documented', () => {
  const c = context(taskView(), null, simView({ now: 0, shares: { a: 0.5, b: 0.1 } }));
  const key = (order: unknown, spec: Parameters<typeof taskView>[0], state = {}) =>
    compilePolicy({ name: 'p', score: '1', order }).orderKey(taskView(spec, state), c);
  assert.ok(key('sjf', { cores: 2, length: 100 }) < key('sjf', { cores: 1, length: 300 }));
  assert.ok(key('ljf', { cores: 4 }) < key('ljf', { cores: 2, memory: 100 }), 'more cores first');
  assert.ok(key('largest-first', { cores: 2, memory: 8 }) < key('largest-first', { cores: 2, memory: 4 }), 'then more memory');
  assert.ok(key('edf', { arrival: 10, sla: 5 }) < key('edf', { arrival: 0, sla: 20 }));
  assert.is(key('edf', { arrival: 3 }), 3 + NO_SLA);
  assert.ok(key('priority', { priority: 5 }) < key('priority', { priority: 1 }));
  assert.ok(key('drf', { tenant: 'b' }) < key('drf', { tenant: 'a' }));
  assert.ok(key('fifo', { arrival: 0 }, { readyAt: 1 }) < key('fifo', { arrival: 0 }, { readyAt: 2 }));
  assert.ok(key({ key: 'task.cores', direction: 'desc' }, { cores: 3 }) < key({ key: 'task.cores' }, { cores: 3 }));
});

test('given orders that read run state, when compiled, then dynamicOrder says the queue must be re-sorted every pass', () => {
  const dyn = (order: unknown) => compilePolicy({ name: 'p', score: '1', order }).dynamicOrder;
  assert.is(dyn('fifo'), false);
  assert.is(dyn('sjf'), false);
  assert.is(dyn('edf'), false);
  assert.is(dyn('drf'), true);
  assert.is(dyn('random'), true);
  assert.is(dyn({ key: 'task.slack' }), true);
});

test('given an order key, when computed, then the engine context is borrowed and restored', () => {
  const c = ctx();
  const [task, node] = [c.task, c.node];
  const other = taskView({ cores: 7 });
  assert.is(compilePolicy({ name: 'p', score: '1', order: { key: 'task.cores' } }).orderKey(other, c), 7);
  assert.is(c.task, task);
  assert.is(c.node, node);
});

test('given admit, when present or absent, then it gates on task features only', () => {
  const c = context(taskView({ cores: 8 }), null);
  assert.ok(policy('1').admit(c));
  assert.not.ok(policy('1', { admit: 'task.cores <= 4' }).admit(c));
  assert.match(compileError({ name: 'p', score: '1', admit: 'node.cores > 1' }).message, /^admit: feature 'node\.cores' needs a node/);
});

test('given filter and score, when compiled, then nodeFeatures lists what they read', () => {
  const p = compilePolicy({ name: 'p', order: 'sjf', filter: 'node.free_cores_after >= 0', score: '-node.index + task.cores' });
  assert.equal([...p.nodeFeatures], ['node.free_cores_after', 'node.index', 'task.cores']);
});

test('given a node, when explained, then the score is split into its top-level terms and failing conjuncts are listed', () => {
  const p = compilePolicy({
    name: 'p',
    filter: 'node.free_cores_after >= 0 and node.free_memory_after >= 0 and node.open == 1',
    score: '2 * node.free_cores - node.load + 0.5',
  });
  const c = ctx();
  const ex = p.explain(c);
  assert.equal(ex.terms, [
    { label: '2 * node.free_cores', value: 4 },
    { label: '-node.load', value: -0.5 },
    { label: '0.5', value: 0.5 },
  ]);
  assert.is(ex.score, 4);
  assert.equal(ex.failed, ['node.open == 1']);
  const single = compilePolicy({ name: 'p', score: 'max(node.free_cores, 1)' }).explain(c);
  assert.equal(single, { terms: [{ label: 'max(node.free_cores, 1)', value: 2 }], score: 2, failed: [] });
});

test('given a filtered-out node whose score cannot be computed, when explained, then it says so instead of failing', () => {
  const p = compilePolicy({ name: 'p', filter: 'node.free_cores > 0', score: '1 / node.free_cores' });
  const ex = p.explain(ctx(nodeView({ freeCores: 0 })));
  assert.equal(ex, { terms: [], score: Number.NEGATIVE_INFINITY, failed: ['node.free_cores > 0'] });
  // On a node the filter accepts, a faulty score is the policy's fault.
  const q = compilePolicy({ name: 'p', score: '1 / (node.free_cores - 2)' });
  runtimeError(() => q.explain(ctx()));
});

test('given documents that break the schema, when compiled, then one line names the path without a column', () => {
  assert.is(compileError({ name: 'p' }).message, 'score: Invalid input: expected string, received undefined');
  assert.is(compileError({ name: 'p', score: '1', colour: 'red' }).message, "policy: unknown field 'colour'");
  assert.match(compileError({ name: 'p', score: '1', order: { key: 'task.cores', direction: 'up' } }).message, /^order/);
  assert.match(compileError({ name: 'p', score: '1', nodesToScore: 0 }).message, /^nodesToScore: /);
  assert.match(compileError('not an object').message, /^policy: /);
});

test('given an expression error inside a document, when compiled, then the message names the field and column', () => {
  assert.is(compileError({ name: 'p', score: 'node.fre_cores' }).message, "score: unknown feature 'node.fre_cores' (did you mean node.free_cores?) (at column 1)");
  assert.is(compileError({ name: 'p', score: '1', filter: 'a &&' }).message, "filter: '&&' is not an operator: write 'and' (at column 3)");
  assert.match(compileError({ name: 'p', score: '1', order: { key: 'node.cores' } }).message, /^order\.key: feature 'node\.cores' needs a node/);
  assert.is(compileError({ name: 'p', score: '1', filter: '1' }).position, 0);
});

test('given the bin-packing domain, when a policy reads scheduling-only features or admits, then it does not compile', () => {
  const bp = { domain: 'binpack' as const };
  assert.match(compileError({ name: 'p', score: '-node.price' }, bp).message, /^score: feature 'node\.price' has no meaning in bin packing/);
  assert.is(compileError({ name: 'p', score: '1', admit: 'true' }, bp).message, 'admit: bin packing cannot reject items: leave admit out');
  assert.is(compileError({ name: 'p', score: '1', order: 'drf' }, bp).message, "order: 'drf' orders by tenant.share, which has no meaning in bin packing");
  assert.is(compilePolicy({ name: 'p', score: '-node.free_cores_after', order: 'largest-first' }, bp).domain, 'binpack');
});

test.run();
