// The OR track's training and validation mix: every size gets about the same number of items, each size
// from its own fresh seeds (never a test seed), and the fitness shows every size beside the mean.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { binpackFitness, binpackProblem } from '../../src/evolve/binpack-problem.js';
import { equalItemCounts, orMixInstances } from '../../src/evolve/binpack-size-mix.js';
import { isTestSeed } from '../../src/suites/seeds.js';

test('given 640 instances, when they are dealt by items, then they sum to 640 and every size gets within one instance of the same items', () => {
  const counts = equalItemCounts(640);
  assert.equal(counts, [348, 167, 83, 42]);
  const items = counts.map((c, i) => c * [120, 250, 500, 1000][i]!);
  const share = items.reduce((a, b) => a + b, 0) / 4;
  for (const [i, n] of items.entries()) assert.ok(Math.abs(n - share) <= [120, 250, 500, 1000][i]!, `size ${i}: ${n} items against ${share}`);
});

test('given fewer instances than sizes, when they are dealt, then every size still gets one', () => {
  assert.equal(equalItemCounts(1), [1, 1, 1, 1]);
  assert.equal(equalItemCounts(16), [9, 4, 2, 1]);
});

test('given a run seed, when training and validation mixes are drawn, then they repeat, differ from each other, come in ascending sizes and use no test seed', () => {
  const a = orMixInstances(3, 'train', 16);
  const b = orMixInstances(3, 'train', 16);
  const v = orMixInstances(3, 'validate', 16);
  assert.equal(a, b);
  assert.equal(a.instances.map((i) => i.items.length), [...Array(9).fill(120), ...Array(4).fill(250), 500, 500, 1000]);
  const ids = new Set(a.instances.map((i) => i.id));
  assert.is(ids.size, 16);
  for (const inst of v.instances) assert.not.ok(ids.has(inst.id), inst.id);
  for (const inst of [...a.instances, ...v.instances]) {
    const seed = Number(/-s(\d+)$/.exec(inst.id)![1]);
    assert.not.ok(isTestSeed(seed), inst.id);
    assert.is(inst.capacity, 150);
    assert.ok(inst.items.every((s) => Number.isInteger(s) && s >= 20 && s <= 100));
  }
});

test('given the OR problem, when a policy is scored, then the fitness is minus the mean over sizes and the summary names every size', () => {
  const problem = binpackProblem('or', { seed: 2, train: 8, validate: 8 });
  assert.equal(problem.description.trainPerSize, { 120: 4, 250: 2, 500: 1, 1000: 1 });
  const bestFit = problem.seeds.find((s) => s.name === 'best-fit')!;
  const f = problem.train(bestFit);
  const perSize = [120, 250, 500, 1000].map((n) => f.detail[`excess${n}`]!);
  assert.ok(Math.abs(-f.value - perSize.reduce((a, b) => a + b, 0) / 4) < 1e-12);
  for (const [i, n] of [120, 250, 500, 1000].entries()) assert.ok(f.summary.includes(`${n}: ${perSize[i]!.toFixed(2)}`), f.summary);
});

test('given one instance size (Weibull), when a policy is scored, then the summary is the excess alone', () => {
  const problem = binpackProblem('weibull', { seed: 2, train: 1, validate: 1 });
  const f = binpackFitness(problem.seeds[0]!, { name: 'w', capacity: 100, instances: [{ id: 'x', capacity: 100, items: [60, 50, 40], l1: 2, bestKnown: null }] });
  assert.is(f.summary, 'excess 0.000 %');
});

test.run();
