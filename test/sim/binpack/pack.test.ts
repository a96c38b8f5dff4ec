import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packInstance } from '../../../sim/binpack/pack.js';
import { compilePackingPolicy } from '../../../sim/binpack/packing-policy.js';
import { l1Bound, type BinpackInstance } from '../../../sim/binpack/dataset.js';
import { baselines } from '../../../sim/baselines/registry.js';
import { PolicyRuntimeError } from '../../../sim/policy/compiled.js';

const instance = (items: number[], capacity = 10): BinpackInstance => ({ id: 'x', capacity, items, l1: l1Bound(items, capacity), bestKnown: null });
const pack = (name: string, items: number[], capacity = 10) => packInstance(compilePackingPolicy(baselines[name]), instance(items, capacity));

test('given a small instance, when packed online, then first-fit, best-fit and worst-fit place items as the textbook does', () => {
  const items = [2, 5, 4, 7, 1, 3, 8];
  assert.equal([...pack('first-fit', items).assignment], [0, 0, 1, 2, 0, 1, 3]);
  // best-fit: 4 → bin 0 has 3 left (no), new; 1 → tightest is bin 0 (3 left → 2).
  assert.equal([...pack('best-fit', items).assignment], [0, 0, 1, 2, 0, 2, 3]);
  // worst-fit in this model: the empty bin on offer always has the most room.
  assert.equal([...pack('worst-fit', items).assignment], [0, 1, 2, 3, 4, 5, 6]);
});

test('given an order other than arrival, when packed, then items are placed in that order (offline) and reported so', () => {
  const r = pack('first-fit-decreasing', [2, 5, 4, 7, 1, 3, 8]);
  assert.is(r.reordered, true);
  assert.is(r.bins, 3);
  // 8 → b0, 7 → b1, 5 → b2, 4 → b2, 3 → b1, 2 → b0, 1 → b2; reported by arrival position.
  assert.equal([...r.assignment], [0, 2, 2, 1, 2, 1, 0]);
  assert.is(pack('first-fit', [2, 5, 4, 7, 1, 3, 8]).bins, 4);
});

test('given ties, when packed, then the lowest bin index wins and the empty bin only wins outright', () => {
  const equal = compilePackingPolicy({ name: 'flat', score: '0' });
  assert.equal([...packInstance(equal, instance([3, 3, 3, 3])).assignment], [0, 0, 0, 1]);
  const newOnly = compilePackingPolicy({ name: 'new', score: '1 - node.open' });
  assert.equal([...packInstance(newOnly, instance([1, 1, 1])).assignment], [0, 1, 2]);
});

test('given a filter that rejects every bin, when packing, then it is a recorded policy failure', () => {
  const never = compilePackingPolicy({ name: 'never', filter: 'node.open == 1', score: '0' });
  assert.throws(() => packInstance(never, instance([1])), (e: unknown) => e instanceof PolicyRuntimeError && /rejected every bin/.test((e as Error).message));
  const faulty = compilePackingPolicy({ name: 'div', score: '1 / (node.free_cores - 10)' });
  assert.throws(() => packInstance(faulty, instance([1])), (e: unknown) => e instanceof PolicyRuntimeError && (e as PolicyRuntimeError).expression === 'score');
});

test('given the random baseline, when packed twice with one seed, then it repeats; another seed may differ', () => {
  const p = compilePackingPolicy(baselines.random);
  const items = Array.from({ length: 60 }, (_, i) => 1 + ((i * 7) % 9));
  const a = packInstance(p, instance(items), { seed: 1 });
  assert.equal(a.assignment, packInstance(p, instance(items), { seed: 1 }).assignment);
  assert.not.equal(a.assignment, packInstance(p, instance(items), { seed: 2 }).assignment);
  assert.is(a.method, 'scan');
});

test('given policies, when planned, then the exact index is used only when every bin with one free capacity scores alike', () => {
  const reason = (score: string, filter = 'true') => compilePackingPolicy({ name: 'p', score, filter }).scanReason;
  assert.is(reason('-node.free_cores_after'), null);
  assert.is(reason('-node.index'), null);
  assert.is(reason('node.open * 100 - node.free_cores_after + sim.node_count + now'), null);
  assert.is(reason('node.index'), 'the score may increase with node.index');
  assert.is(reason('-node.running'), 'the score reads node.running');
  assert.is(reason('-node.rr_distance'), 'the score reads node.rr_distance');
  assert.is(reason('random'), 'the score reads random');
  assert.is(reason('0', 'node.index < 3'), 'the filter reads node.index');
  const memo = (score: string) => compilePackingPolicy({ name: 'p', score }).memoizable;
  assert.is(memo('-(node.free_cores_after ^ 2) / task.cores + node.open'), true);
  assert.is(memo('-node.index'), false);
  assert.is(memo('-node.free_cores_after + now'), false);
  assert.is(memo('-node.free_cores_after + task.arrival'), false);
  const fractional = compilePackingPolicy(baselines['best-fit']);
  assert.is(packInstance(fractional, instance([0.5, 0.25], 1)).method, 'scan');
});

test.run();
