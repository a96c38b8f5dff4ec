// The packer's history features (node.same_free_bins, node.same_free_bins_after, node.seen_fit_after):
// the counts the packer keeps incrementally must equal counts taken from scratch after every placement,
// and packing with them must equal a straightforward reference packer that recomputes every feature by
// scanning all bins and all items seen.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { packInstance } from '../../../sim/binpack/pack.js';
import { compilePackingPolicy, type PackingPolicy } from '../../../sim/binpack/packing-policy.js';
import { BinView, ItemView, PackingSim } from '../../../sim/binpack/bin-context.js';
import { l1Bound, type BinpackInstance } from '../../../sim/binpack/dataset.js';
import { compilePolicy } from '../../../sim/policy/compile.js';
import { PolicyCompileError } from '../../../sim/policy/compiled.js';
import { FEATURES, type BinHistoryView } from '../../../sim/policy/features.js';
import { rngFor } from '../../../sim/random.js';
import { binpackSeeds } from '../../../src/evolve/seed-policies.js';

const HISTORY = ['node.same_free_bins', 'node.same_free_bins_after', 'node.seen_fit_after'];
const SUM_OF_SQUARES = '(if node.open == 1 then 2 * node.same_free_bins - 1 else 0) - (if node.free_cores_after == 0 then 0 else 2 * node.same_free_bins_after + 1)';

const instance = (items: number[], capacity: number): BinpackInstance => ({ id: 'x', capacity, items, l1: l1Bound(items, capacity), bestKnown: null });

/** Online packing with every feature recomputed from scratch: all bins scored, counts by scanning. */
function referencePack(policy: PackingPolicy, inst: BinpackInstance): number[] {
  const { filter, score } = policy.program;
  const free: number[] = [];
  const running: number[] = [];
  const seen: number[] = [];
  const history: Omit<BinHistoryView, 'itemsSeen'> = {
    openBinsWithFree: (f) => free.filter((x) => x === f).length,
    itemsSeenAtMost: (s) => seen.filter((x) => x <= s).length,
  };
  const sim = Object.assign(new PackingSim(rngFor(0, 'binpack-policy')), history);
  const task = new ItemView();
  const node = new BinView(inst.capacity);
  const ctx = { task, node, sim };
  const out: number[] = [];
  inst.items.forEach((size, pos) => {
    task.set(pos, size);
    seen.push(size);
    sim.itemsSeen = seen.length;
    sim.now = pos;
    sim.queueLength = inst.items.length - pos;
    sim.nodeCount = free.length + 1;
    let best = -1;
    let bestScore = -Infinity;
    for (let b = 0; b <= free.length; b++) {
      const open = b < free.length;
      const f = open ? (free[b] as number) : inst.capacity;
      if (f < size) continue;
      node.index = b;
      node.freeCores = f;
      node.running = open ? (running[b] as number) : 0;
      node.open = open;
      if (!filter(ctx)) continue;
      const s = score(ctx);
      if (best < 0 || s > bestScore) {
        best = b;
        bestScore = s;
      }
    }
    if (best === free.length) {
      free.push(inst.capacity - size);
      running.push(1);
    } else {
      free[best] = (free[best] as number) - size;
      running[best] = (running[best] as number) + 1;
    }
    sim.lastPlacedNode = best;
    out.push(best);
  });
  return out;
}

const integerInstance = fc.integer({ min: 4, max: 60 }).chain((capacity) =>
  fc.array(fc.integer({ min: 1, max: capacity }), { minLength: 1, maxLength: 120 }).map((items) => instance(items, capacity)),
);
// Halves: sizes that are not whole numbers take the packer's other bookkeeping (a map and a sorted list).
const halvesInstance = fc.integer({ min: 4, max: 30 }).chain((capacity) =>
  fc.array(fc.integer({ min: 1, max: 2 * capacity }), { minLength: 1, maxLength: 80 }).map((twice) => instance(twice.map((t) => t / 2), capacity)),
);

const historyScores = [
  SUM_OF_SQUARES,
  `${SUM_OF_SQUARES} - 0.01 * node.free_cores_after`,
  'node.same_free_bins - node.same_free_bins_after',
  '-node.same_free_bins_after',
  'node.seen_fit_after - node.free_cores_after / node.cores',
  'if node.seen_fit_after == 0 and node.free_cores_after > 0 then -100 - node.free_cores_after else node.same_free_bins - node.free_cores_after',
];

test('given policies reading the history features, when packed on random instances, then the packer equals the reference packer, by index and by full scan', () => {
  const policies = historyScores.map((score) => compilePackingPolicy({ name: 'h', score }));
  for (const p of policies) {
    assert.is(p.scanReason, null, 'bins with one remaining capacity read one value: the exact index applies');
    assert.is(p.memoizable, false, 'the counts change from item to item: no plain memo across items');
  }
  // Those reading only the open-bin counts are remembered while the counts at their two gaps stay put.
  assert.equal(
    policies.map((p) => p.memoizableWithCounts),
    historyScores.map((s) => !s.includes('seen_fit_after')),
  );
  fc.assert(
    fc.property(fc.oneof(integerInstance, halvesInstance), (inst) => {
      for (const p of policies) {
        const expected = referencePack(p, inst);
        const fast = packInstance(p, inst);
        const slow = packInstance(p, inst, { fullScan: true });
        assert.equal([...fast.assignment], expected);
        assert.equal([...slow.assignment], expected);
        assert.is(fast.method, inst.items.every(Number.isInteger) ? 'indexed' : 'scan');
      }
    }),
    { numRuns: 200 },
  );
});

test('given the bin-packing seed policies, when packed on random instances, then the packer equals the reference packer', () => {
  const policies = binpackSeeds('or').map((s) => compilePackingPolicy(s));
  fc.assert(
    fc.property(integerInstance, (inst) => {
      for (const p of policies) assert.equal([...packInstance(p, inst).assignment], referencePack(p, inst));
    }),
    { numRuns: 60 },
  );
});

test('given random placements, when the packer records them, then every count equals a count from scratch after each placement', () => {
  const step = fc.record({ size: fc.integer({ min: 0, max: 20 }), bin: fc.nat() });
  for (const integral of [true, false]) {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const capacity = 20;
        const sim = new PackingSim(rngFor(0, 'x'), capacity, integral);
        const free: number[] = [];
        const seen: number[] = [];
        for (const { size, bin } of steps) {
          sim.seeItem(size);
          seen.push(size);
          const fitting = free.map((f, b) => (f >= size ? b : -1)).filter((b) => b >= 0);
          // Into one of the open bins that fit, or a new one.
          const b = bin % (fitting.length + 1) < fitting.length ? (fitting[bin % (fitting.length + 1)] as number) : free.length;
          if (b === free.length) {
            free.push(capacity - size);
            sim.moveBin(null, capacity - size);
          } else {
            sim.moveBin(free[b] as number, (free[b] as number) - size);
            free[b] = (free[b] as number) - size;
          }
          assert.is(sim.itemsSeen, seen.length);
          for (let g = -1; g <= capacity + 1; g++) {
            assert.is(sim.openBinsWithFree(g), free.filter((f) => f === g).length, `bins with ${g} free`);
            assert.is(sim.itemsSeenAtMost(g), seen.filter((s) => s <= g).length, `items of at most ${g}`);
          }
          assert.is(sim.itemsSeenAtMost(2.5), seen.filter((s) => s <= 2.5).length);
        }
      }),
      { numRuns: 150 },
    );
  }
});

test('given a small instance, when packed by the sum-of-squares rule, then the bins follow the rule as worked by hand', () => {
  // Capacity 10, items 3 3 4 3. Item 1 (3): bin 0 has gap 7 (N(7) = 1); SS: open bin 0 → 2·1 − 1 − (2·N(4) + 1) = 0,
  // new bin → −(2·N(7) + 1) = −3: bin 0 (gap 4). Item 2 (4): bin 0 gap 4 → 6 leaves 0: 2·1 − 1 = 1; new bin −1: bin 0 (full).
  // Item 3 (3): only the new bin: bin 1.
  const p = compilePackingPolicy({ name: 'ss', score: SUM_OF_SQUARES });
  assert.equal([...packInstance(p, instance([3, 3, 4, 3], 10)).assignment], [0, 0, 0, 1]);
  // Capacity 10, items 8 5 3 3: gaps 2 (bin 0) and 5 (bin 1) after two items. The first 3 would leave a second
  // gap 2 in bin 1 (1 − (2·1 + 1) = −2), so SS opens bin 2 (−(2·0 + 1) = −1); the second 3 goes to bin 2 (7 → 4:
  // 1 − 1 = 0) where best fit would take bin 1.
  assert.equal([...packInstance(p, instance([8, 5, 3, 3], 10)).assignment], [0, 1, 2, 2]);
  assert.equal([...packInstance(compilePackingPolicy({ name: 'bf', score: '-node.free_cores_after' }), instance([8, 5, 3, 3], 10)).assignment], [0, 1, 1, 2]);
});

test('given a feature that means something in bin packing only, when compiled for scheduling, then it is a compile error naming it', () => {
  for (const name of HISTORY) {
    const def = FEATURES.find((f) => f.name === name)!;
    assert.is(def.scheduling, false);
    assert.ok(def.binpack !== undefined && def.binpack.kind === 'history');
    assert.throws(
      () => compilePolicy({ name: 'p', score: `-${name}` }),
      (e: unknown) => e instanceof PolicyCompileError && e.message.includes(`feature '${name}' has meaning only in bin packing`),
    );
    compilePackingPolicy({ name: 'p', score: `-${name}` });
  }
  // Every other feature keeps its scheduling meaning.
  for (const f of FEATURES.filter((x) => !HISTORY.includes(x.name))) assert.is(f.scheduling, undefined, f.name);
});

test.run();
