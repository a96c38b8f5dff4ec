import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BinpackDataError, l1Bound, looksLikeBinpack, parseBinpackDataset } from '../../../sim/binpack/dataset.js';

const good = () => ({
  name: 'tiny',
  capacity: 10,
  instances: [{ id: 'a', num_items: 3, items: [4, 6, 5], l1_lower_bound: 2, best_known_bins: 2, notes: 'kept' }],
});

function error(json: unknown): string {
  try {
    parseBinpackDataset(json, 'tiny.json');
  } catch (err) {
    assert.instance(err, BinpackDataError);
    const message = (err as Error).message;
    assert.not.match(message, /\n/, 'one line');
    return message;
  }
  throw new Error('expected a BinpackDataError');
}

test('given a valid file, when parsed, then instances carry capacity, items, L1 and the known optimum', () => {
  const d = parseBinpackDataset(good(), 'tiny.json');
  assert.is(d.name, 'tiny');
  assert.equal(d.instances[0], { id: 'a', capacity: 10, items: [4, 6, 5], l1: 2, bestKnown: 2 });
  assert.is(l1Bound([5, 5, 1], 10), 2);
  assert.ok(looksLikeBinpack(good()));
  assert.not.ok(looksLikeBinpack({ id: 's', nodes: [] }));
});

test('given malformed files, when parsed, then one line names the file, the place and the problem', () => {
  assert.is(error({ ...good(), capacity: undefined }), 'tiny.json: capacity: Invalid input: expected number, received undefined');
  assert.is(error({ ...good(), capacity: -1 }), 'tiny.json: capacity: must be greater than 0');
  assert.is(error({ ...good(), instances: [] }), 'tiny.json: instances: Too small: expected array to have >=1 items');
  const bad = good();
  (bad.instances[0] as { items: unknown[] }).items = [4, 'x', 5];
  assert.is(error(bad), 'tiny.json: instances[0].items[1]: Invalid input: expected number, received string');
  const big = good();
  big.instances[0]!.items = [4, 11, 5];
  assert.is(error(big), 'tiny.json: instances[0] (a).items[1]: size 11 is larger than the capacity 10');
  const count = good();
  count.instances[0]!.num_items = 4;
  assert.is(error(count), 'tiny.json: instances[0] (a): num_items says 4 but there are 3 items');
  const bound = good();
  bound.instances[0]!.l1_lower_bound = 3;
  assert.is(error(bound), 'tiny.json: instances[0] (a): l1_lower_bound says 3 but ceil(sum / capacity) is 2');
  assert.match(error([1, 2]), /^tiny\.json: /);
});

test.run();
