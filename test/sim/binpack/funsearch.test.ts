// FunSearch's Table 1 protocol on the released sets (../shared/data/binpack/SOURCE.md).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateDataset } from '../../../sim/binpack/evaluate.js';
import { compilePackingPolicy } from '../../../sim/binpack/packing-policy.js';
import { baselines } from '../../../sim/baselines/registry.js';
import { loadDataset } from './support/data.js';

// dataset → [mean L1, First Fit mean bins, Best Fit mean bins, FF excess %, BF excess %]
const PUBLISHED: Record<string, [number, number, number, string, string]> = {
  OR1: [49.05, 52.2, 51.9, '6.42', '5.81'],
  OR2: [101.55, 108.1, 107.7, '6.45', '6.06'],
  OR3: [201.2, 212.75, 212.0, '5.74', '5.37'],
  OR4: [400.55, 421.5, 420.35, '5.23', '4.94'],
  Weibull5k: [1987.8, 2071.8, 2067.0, '4.23', '3.98'],
};

const firstFit = compilePackingPolicy(baselines['first-fit']);
const bestFit = compilePackingPolicy(baselines['best-fit']);

for (const [name, [l1, ff, bf, ffExcess, bfExcess]] of Object.entries(PUBLISHED)) {
  test(`given ${name}, when packed online by first-fit and best-fit policies, then mean bins and excess are FunSearch's`, () => {
    const data = loadDataset(name);
    const a = evaluateDataset(firstFit, data);
    const b = evaluateDataset(bestFit, data);
    assert.is(a.meanL1.toFixed(2), l1.toFixed(2));
    assert.is(a.meanBins.toFixed(2), ff.toFixed(2));
    assert.is(b.meanBins.toFixed(2), bf.toFixed(2));
    assert.is((100 * a.excess).toFixed(2), ffExcess);
    assert.is((100 * b.excess).toFixed(2), bfExcess);
    assert.is(a.method, 'indexed');
    assert.is(b.method, 'indexed');
    assert.is(a.reordered, false);
  });
}

test('given every instance file, when loaded, then the L1 bound in the file matches ceil(sum / capacity)', () => {
  for (const name of ['OR1', 'OR2', 'OR3', 'OR4', 'OR5', 'OR6_sorted', 'OR7_sorted', 'OR8_sorted_partial', 'Weibull5k']) {
    const data = loadDataset(name);
    assert.ok(data.instances.length > 0, name);
  }
});

test('given the triplet set OR5, when packed by first-fit-decreasing, then it never beats the proven optimum', () => {
  const data = loadDataset('OR5');
  const r = evaluateDataset(compilePackingPolicy(baselines['first-fit-decreasing']), data);
  assert.is(r.reordered, true);
  r.instances.forEach((inst, i) => assert.ok(inst.bins >= (data.instances[i]!.bestKnown ?? 0), inst.id));
});

test.run();
