// The exact index must give the same packing as scoring every bin, for any policy it accepts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { BinaryOp, Expr } from '../../../sim/policy/ast.js';
import { printExpression } from '../../../sim/policy/printer.js';
import { FEATURES } from '../../../sim/policy/features.js';
import { PolicyRuntimeError } from '../../../sim/policy/compiled.js';
import { compilePackingPolicy, type PackingPolicy } from '../../../sim/binpack/packing-policy.js';
import { packInstance, type PackResult } from '../../../sim/binpack/pack.js';
import { l1Bound, type BinpackInstance } from '../../../sim/binpack/dataset.js';
import { baselineNames, baselines } from '../../../sim/baselines/registry.js';

const BIN_FEATURES = FEATURES.filter((f) => f.binpack !== undefined && f.binpack.kind !== 'random').map((f) => f.name);

const numLeaf: fc.Arbitrary<Expr> = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map((value): Expr => ({ op: 'num', value })),
  fc.constantFrom(0.5, 0.001, 2.5, 100).map((value): Expr => ({ op: 'num', value })),
  fc.constantFrom(...BIN_FEATURES).map((name): Expr => ({ op: 'feature', name })),
  fc.constantFrom('node.free_cores_after', 'node.index', 'node.free_cores', 'task.cores').map((name): Expr => ({ op: 'feature', name })),
);

const typed = fc.letrec<{ num: Expr; bool: Expr }>((tie) => ({
  num: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'typed' },
    numLeaf,
    tie('num').map((a): Expr => ({ op: 'neg', args: [a] })),
    fc.tuple(fc.constantFrom<BinaryOp>('+', '-', '*', '/', '+', '-', '*'), tie('num'), tie('num')).map(([op, a, b]): Expr => ({ op, args: [a, b] })),
    fc.tuple(fc.constantFrom<'min' | 'max'>('min', 'max'), tie('num'), tie('num')).map(([op, a, b]): Expr => ({ op, args: [a, b] })),
    fc.tuple(fc.constantFrom<'abs' | 'sqrt' | 'log' | 'floor'>('abs', 'sqrt', 'log', 'floor'), tie('num')).map(([op, a]): Expr => ({ op, args: [a] })),
    fc.tuple(tie('bool'), tie('num'), tie('num')).map(([c, a, b]): Expr => ({ op: 'if', args: [c, a, b] })),
  ),
  bool: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'typed' },
    fc.tuple(fc.constantFrom<BinaryOp>('<', '<=', '>', '>=', '==', '!='), tie('num'), tie('num')).map(([op, a, b]): Expr => ({ op, args: [a, b] })),
    fc.tuple(fc.constantFrom<BinaryOp>('and', 'or'), tie('bool'), tie('bool')).map(([op, a, b]): Expr => ({ op, args: [a, b] })),
    tie('bool').map((a): Expr => ({ op: 'not', args: [a] })),
  ),
}));

const instanceArb: fc.Arbitrary<BinpackInstance> = fc.integer({ min: 4, max: 60 }).chain((capacity) =>
  fc.array(fc.integer({ min: 1, max: capacity }), { minLength: 1, maxLength: 80 }).map(
    (items): BinpackInstance => ({ id: 'r', capacity, items, l1: l1Bound(items, capacity), bestKnown: null }),
  ),
);

type Outcome = { ok: true; result: PackResult } | { ok: false };

function outcome(policy: PackingPolicy, inst: BinpackInstance, fullScan: boolean): Outcome {
  try {
    return { ok: true, result: packInstance(policy, inst, { fullScan }) };
  } catch (err) {
    if (err instanceof PolicyRuntimeError) return { ok: false };
    throw err;
  }
}

function sameAnswer(policy: PackingPolicy, inst: BinpackInstance): boolean {
  const fast = outcome(policy, inst, false);
  const slow = outcome(policy, inst, true);
  assert.is(fast.ok, slow.ok, 'both fail or neither');
  if (fast.ok && slow.ok) {
    assert.is(slow.result.method, 'scan');
    assert.equal([...fast.result.assignment], [...slow.result.assignment]);
    return fast.result.method === 'indexed';
  }
  return false;
}

test('given every baseline that runs on bins, when packed by index and by full scan, then the packings are identical', () => {
  const runnable = baselineNames.filter((name) => {
    try {
      compilePackingPolicy(baselines[name]);
      return true;
    } catch {
      return false;
    }
  });
  assert.ok(runnable.length >= 10, runnable.join(', '));
  const policies = runnable.map((name) => compilePackingPolicy(baselines[name]));
  fc.assert(fc.property(instanceArb, (inst) => policies.forEach((p) => sameAnswer(p, inst))), { numRuns: 150 });
});

test('given random well-typed policies over bin features, when packed by index and by full scan, then the packings are identical', () => {
  let indexed = 0;
  let memoized = 0;
  const policyArb = fc.tuple(typed.num, fc.option(typed.bool, { freq: 3, nil: undefined }));
  fc.assert(
    fc.property(policyArb, instanceArb, ([score, filter], inst) => {
      const policy = compilePackingPolicy({ name: 'random', score: printExpression(score), filter: filter === undefined ? 'true' : printExpression(filter) });
      if (sameAnswer(policy, inst)) {
        indexed++;
        if (policy.memoizable) memoized++;
      }
    }),
    { numRuns: 1500 },
  );
  // The property must actually exercise the index, not only the fallback.
  assert.ok(indexed > 300, `only ${indexed} runs used the index`);
  assert.ok(memoized > 100, `only ${memoized} runs remembered scores per (size, capacity)`);
});

test.run();
