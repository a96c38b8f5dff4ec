// The bin-packing evolution problem: its feature pool and seeds are valid bin-packing policies on the exact
// index, and the sum-of-squares seed (hand-written, from Csirik et al. 2006) is far ahead of best fit on
// fresh Weibull training instances (never a test set).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BINPACK_FEATURES, binpackFitness, binpackProblem } from '../../src/evolve/binpack-problem.js';
import { compilePackingPolicy } from '../../sim/binpack/packing-policy.js';
import { BINPACK_TRACK_DEFS } from '../../src/suites/binpack.js';

test('given the bin-packing feature pool, when each feature is a score, then it compiles for bins and packs on the exact index', () => {
  for (const name of BINPACK_FEATURES) {
    const p = compilePackingPolicy({ name: 'f', score: `-${name}` });
    assert.is(p.scanReason, null, name);
  }
  for (const name of ['node.same_free_bins', 'node.same_free_bins_after', 'node.seen_fit_after']) assert.ok(BINPACK_FEATURES.includes(name), name);
});

test('given the OR and Weibull problems, when their seeds are checked, then every seed is valid and best fit, first fit and sum-of-squares are among them', () => {
  for (const track of ['or', 'weibull'] as const) {
    const problem = binpackProblem(track, { seed: 1, train: 1, validate: 1 });
    for (const s of problem.seeds) assert.is(problem.check(s), null, s.name);
    const names = problem.seeds.map((s) => s.name);
    for (const n of ['best-fit', 'first-fit', 'sum-of-squares']) assert.ok(names.includes(n), n);
  }
});

test('given fresh Weibull training instances, when the sum-of-squares seed and best fit are scored, then sum-of-squares leaves under a third of best fit\'s excess', () => {
  const problem = binpackProblem('weibull', { seed: 9, train: 1, validate: 1 });
  const seed = (name: string) => problem.seeds.find((s) => s.name === name)!;
  const data = BINPACK_TRACK_DEFS.weibull.instances(9, 'train', 4);
  const ss = -binpackFitness(seed('sum-of-squares'), data).value;
  const bf = -binpackFitness(seed('best-fit'), data).value;
  assert.ok(bf > 3, `best fit ${bf} %`);
  assert.ok(ss < bf / 3, `sum of squares ${ss} % against best fit ${bf} %`);
});

test.run();
