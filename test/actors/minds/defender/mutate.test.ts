import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { breed } from '../../../../actors/minds/defender/breed.js';
import { FEATURE_POOL } from '../../../../actors/minds/defender/features.js';
import { isCapacityConjunct, mutateFilter } from '../../../../actors/minds/defender/filter.js';
import { TREE_OPERATORS } from '../../../../actors/minds/defender/mutate.js';
import { mutateOrder } from '../../../../actors/minds/defender/order.js';
import { DEFENDER_OPERATORS } from '../../../../actors/minds/defender/search.js';
import { LIMITS, bloatProblem, simplify } from '../../../../actors/minds/defender/simplify.js';
import { crossover } from '../../../../actors/minds/defender/crossover.js';
import { conjuncts, sizeOf } from '../../../../sim/policy/ast.js';
import { compilePolicy } from '../../../../sim/policy/compile.js';
import { parseExpression } from '../../../../sim/policy/parser.js';
import { printExpression } from '../../../../sim/policy/printer.js';
import { checkExpression } from '../../../../sim/policy/check.js';
import { baselines, baselineNames } from '../../../../sim/baselines/index.js';
import { rngFor } from '../../../../sim/random.js';

const parts = (name: string) => {
  const p = compilePolicy(baselines[name]!);
  return { score: p.expressions.score.expr, filter: p.expressions.filter.expr, order: p.document.order };
};
const names = [...baselineNames].sort();

test('given any baseline, tree operator and seed, when mutating the score, then the result type-checks as a score', () => {
  fc.assert(
    fc.property(fc.constantFrom(...names), fc.constantFrom(...Object.keys(TREE_OPERATORS)), fc.nat(), (name, op, seed) => {
      const score = parts(name).score;
      const move = TREE_OPERATORS[op as keyof typeof TREE_OPERATORS](score, rngFor(seed, 't'), FEATURE_POOL.node);
      if (move === null) return;
      checkExpression(simplify(move.expr), { field: 'score', expected: 'number', nodeAllowed: true });
      assert.type(move.detail, 'string');
    }),
    { numRuns: 400 },
  );
});

test('given any two baselines and any operator, when breeding, then the child policy compiles', () => {
  fc.assert(
    fc.property(fc.constantFrom(...names), fc.constantFrom(...names), fc.constantFrom(...DEFENDER_OPERATORS), fc.nat(), (x, y, op, seed) => {
      const child = breed(op, parts(x), parts(y), rngFor(seed, 't'));
      if (child === null) return;
      compilePolicy({ name: 'c', order: child.order, filter: printExpression(simplify(child.filter)), score: printExpression(simplify(child.score)) });
    }),
    { numRuns: 400 },
  );
});

test('given a capacity filter, when mutating it many times, then capacity conjuncts survive except for the rare deliberate drop', () => {
  const filter = parts('first-fit').filter;
  let dropped = 0;
  for (let seed = 0; seed < 400; seed++) {
    const move = mutateFilter(filter, rngFor(seed, 't'))!;
    const kept = conjuncts(move.expr).filter(isCapacityConjunct).length;
    if (kept < 2) {
      dropped += 1;
      assert.match(move.detail, /dropped capacity conjunct/);
    }
  }
  assert.ok(dropped > 0 && dropped < 40, `dropped ${dropped} of 400`);
});

test('given an order, when mutating it, then the result is a valid order (named, or a key over task features only)', () => {
  for (let seed = 0; seed < 200; seed++) {
    const move = mutateOrder(seed % 2 === 0 ? 'fifo' : { key: 'task.work + 2 * task.priority', direction: 'asc' }, rngFor(seed, 't'));
    if (move === null) continue;
    compilePolicy({ name: 'o', order: move.order, score: '1' });
  }
});

test('given constant sub-trees and neutral operations, when simplifying, then they are folded away and the meaning is kept', () => {
  const e = parseExpression('(2 * 3 + 0) * node.free_cores + 0 - -(-node.load) * 1 + log(exp(0))').expr;
  assert.is(printExpression(simplify(e)), '6 * node.free_cores - node.load');
  const ifConst = parseExpression('if 1 < 2 then node.load else node.price').expr;
  assert.is(printExpression(simplify(ifConst)), 'node.load');
  // A constant that fails at run time stays, so the failure happens where it would have.
  assert.is(printExpression(simplify(parseExpression('node.load + log(1 - 1)').expr)), 'node.load + log(0)');
});

test('given trees beyond the limits, when checking bloat, then they are refused with the reason', () => {
  const big = parseExpression(Array.from({ length: 30 }, (_, i) => `${i} * node.load`).join(' + ')).expr;
  assert.ok(sizeOf(big) > LIMITS.score);
  assert.match(bloatProblem(big, 'score')!, /nodes/);
  assert.is(bloatProblem(parseExpression('node.load').expr, 'score'), null);
});

test('given two parents, when crossing over, then the child mixes a sub-tree of the second into the first', () => {
  const a = parts('best-fit');
  const b = parts('cost-greedy');
  let mixed = 0;
  for (let seed = 0; seed < 50; seed++) {
    const child = crossover(a, b, rngFor(seed, 't'));
    if (printExpression(child.score).includes('node.cost_est')) mixed += 1;
  }
  assert.ok(mixed > 10);
});

test.run();
