// Online bin packing with a policy: items arrive one at a time; each goes into an open bin that fits it
// or into a new empty bin, whichever the policy scores highest (filter first). Ties go to the lowest
// bin index; bins are numbered in opening order and the empty bin on offer has the next number.
//
// The exact index: when every feature the policy reads is the same for open bins with the same
// remaining capacity (and the score never increases with node.index), all bins with one remaining
// capacity score alike and the lowest-index one wins among them. So it suffices to score one
// representative per distinct remaining capacity: the minimum of a per-capacity heap of bin indices.
//
// The history features (node.same_free_bins …) read counts the context keeps as bins move between
// remaining capacities and items arrive (PackingSim.moveBin, seeItem); bins with one remaining capacity
// read the same counts, so the index still applies.
import { PolicyRuntimeError } from '../policy/compiled.js';
import { rngFor } from '../random.js';
import type { BinpackInstance } from './dataset.js';
import { packingContext, type PackingContext } from './bin-context.js';
import type { PackingPolicy } from './packing-policy.js';

/** Capacities up to this (integer, with integer sizes) use the exact index; larger ones scan. */
export const MAX_INDEXED_CAPACITY = 16_384;
/** Capacities up to this also remember filter and score per (size, remaining capacity) when allowed. */
export const MAX_MEMO_CAPACITY = 1024;

export interface PackOptions {
  /** Score every bin even when the exact index applies (tests compare the two). */
  readonly fullScan?: boolean;
  /** Seed of the stream behind the `random` feature and a random order. */
  readonly seed?: number;
}

export interface PackResult {
  readonly bins: number;
  /** Bin of each item, by its position in the instance. */
  readonly assignment: Int32Array;
  readonly method: 'indexed' | 'scan';
  /** The policy's order differed from the arrival order (an offline packing). */
  readonly reordered: boolean;
}

export function packInstance(policy: PackingPolicy, instance: BinpackInstance, options: PackOptions = {}): PackResult {
  const { capacity, items } = instance;
  const integral = Number.isInteger(capacity) && capacity <= MAX_INDEXED_CAPACITY && items.every((s) => Number.isInteger(s) && s >= 0);
  const ctx = packingContext(capacity, rngFor(options.seed ?? 0, 'binpack-policy'), integral);
  const order = itemOrder(policy, items, ctx);
  const indexed = !options.fullScan && policy.scanReason === null && integral;
  const assignment = new Int32Array(items.length);
  const bins = indexed
    ? packIndexed(policy, capacity, items, order, ctx, assignment)
    : packScan(policy, capacity, items, order, ctx, assignment);
  return { bins, assignment, method: indexed ? 'indexed' : 'scan', reordered: !policy.arrivalOrder };
}

/** Positions of the items in the order the policy places them (stable by arrival). */
function itemOrder(policy: PackingPolicy, items: readonly number[], ctx: PackingContext): Int32Array {
  const order = Int32Array.from(items.keys());
  if (policy.arrivalOrder) return order;
  const keys = new Float64Array(items.length);
  ctx.sim.queueLength = items.length;
  for (let i = 0; i < items.length; i++) {
    ctx.task.set(i, items[i] as number);
    keys[i] = policy.program.orderKey(ctx.task, ctx);
  }
  return order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
}

function noBin(): PolicyRuntimeError {
  return new PolicyRuntimeError('filter: rejected every bin, a new empty one included', 'filter');
}

function packScan(
  policy: PackingPolicy,
  capacity: number,
  items: readonly number[],
  order: Int32Array,
  ctx: PackingContext,
  assignment: Int32Array,
): number {
  const { filter, score } = policy.program;
  const { task, node, sim } = ctx;
  const free: number[] = [];
  const count: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const pos = order[k] as number;
    const size = items[pos] as number;
    task.set(pos, size);
    sim.now = pos;
    sim.queueLength = order.length - k;
    sim.nodeCount = free.length + 1;
    sim.seeItem(size);
    let best = -1;
    let bestScore = -Infinity;
    node.open = true;
    for (let b = 0; b < free.length; b++) {
      const f = free[b] as number;
      if (f < size) continue;
      node.index = b;
      node.freeCores = f;
      node.running = count[b] as number;
      if (!filter(ctx)) continue;
      const s = score(ctx);
      if (best < 0 || s > bestScore) {
        best = b;
        bestScore = s;
      }
    }
    node.index = free.length;
    node.freeCores = capacity;
    node.running = 0;
    node.open = false;
    if (filter(ctx)) {
      const s = score(ctx);
      if (best < 0 || s > bestScore) best = free.length;
    }
    if (best < 0) throw noBin();
    if (best === free.length) {
      free.push(capacity - size);
      count.push(1);
      sim.moveBin(null, capacity - size);
    } else {
      const before = free[best] as number;
      free[best] = before - size;
      count[best] = (count[best] as number) + 1;
      sim.moveBin(before, before - size);
    }
    assignment[pos] = best;
    sim.lastPlacedNode = best;
  }
  return free.length;
}

function packIndexed(
  policy: PackingPolicy,
  capacity: number,
  items: readonly number[],
  order: Int32Array,
  ctx: PackingContext,
  assignment: Int32Array,
): number {
  const { filter, score } = policy.program;
  const { task, node, sim } = ctx;
  // heaps[f]: min-heap of the indices of open bins with remaining capacity f.
  const heaps: number[][] = Array.from({ length: capacity + 1 }, () => []);
  const width = capacity + 2;
  const counted = !policy.memoizable && policy.memoizableWithCounts;
  const memo = (policy.memoizable || counted) && capacity <= MAX_MEMO_CAPACITY ? newMemo(width * (capacity + 1), counted) : null;
  // gapVersion[g] changes whenever the number of open bins with remaining capacity g does: a remembered
  // value that read the counts at g and g − size stays valid while both versions are the ones stamped.
  const gapVersion = counted ? new Uint32Array(capacity + 1) : null;
  const count: number[] = [];
  let bins = 0;
  for (let k = 0; k < order.length; k++) {
    const pos = order[k] as number;
    const size = items[pos] as number;
    task.set(pos, size);
    sim.now = pos;
    sim.queueLength = order.length - k;
    sim.nodeCount = bins + 1;
    sim.seeItem(size);
    let best = -1;
    let bestFree = -1;
    let bestScore = -Infinity;
    node.open = true;
    const row = memo === null ? 0 : size * width;
    for (let f = size; f <= capacity; f++) {
      const heap = heaps[f] as number[];
      if (heap.length === 0) continue;
      const b = heap[0] as number;
      let s: number;
      if (memo !== null && memo.state[row + f] !== UNKNOWN && fresh(memo, gapVersion, row + f, f, f - size)) {
        if (memo.state[row + f] === REJECTED) continue;
        s = memo.score[row + f] as number;
      } else {
        node.index = b;
        node.freeCores = f;
        node.running = count[b] as number;
        const pass = filter(ctx);
        s = pass ? score(ctx) : 0;
        if (memo !== null) remember(memo, row + f, pass, s, gapVersion, f, f - size);
        if (!pass) continue;
      }
      if (best < 0 || s > bestScore || (s === bestScore && b < best)) {
        best = b;
        bestFree = f;
        bestScore = s;
      }
    }
    // The empty bin on offer: column capacity + 1 of the memo (open = 0).
    const empty = row + capacity + 1;
    let pass: boolean;
    let s = 0;
    if (memo !== null && memo.state[empty] !== UNKNOWN && fresh(memo, gapVersion, empty, capacity, capacity - size)) {
      pass = memo.state[empty] === ACCEPTED;
      s = memo.score[empty] as number;
    } else {
      node.index = bins;
      node.freeCores = capacity;
      node.running = 0;
      node.open = false;
      pass = filter(ctx);
      if (pass) s = score(ctx);
      if (memo !== null) remember(memo, empty, pass, s, gapVersion, capacity, capacity - size);
    }
    if (pass && (best < 0 || s > bestScore)) {
      best = bins;
      bestFree = capacity;
    }
    if (best < 0) throw noBin();
    if (best === bins) {
      bins++;
      count.push(1);
      sim.moveBin(null, bestFree - size);
    } else {
      popMin(heaps[bestFree] as number[]);
      count[best] = (count[best] as number) + 1;
      sim.moveBin(bestFree, bestFree - size);
      if (gapVersion !== null) gapVersion[bestFree]!++;
    }
    if (gapVersion !== null) gapVersion[bestFree - size]!++;
    push(heaps[bestFree - size] as number[], best);
    assignment[pos] = best;
    sim.lastPlacedNode = best;
  }
  return bins;
}

const UNKNOWN = 0;
const ACCEPTED = 1;
const REJECTED = 2;

interface Memo {
  /** Per (size, remaining capacity) cell: UNKNOWN, ACCEPTED or REJECTED by the filter. */
  readonly state: Uint8Array;
  readonly score: Float64Array;
  /** With counts: the versions of the counts at the gap before and after when the cell was computed. */
  readonly before: Uint32Array | null;
  readonly after: Uint32Array | null;
}

function newMemo(cells: number, counted: boolean): Memo {
  return {
    state: new Uint8Array(cells),
    score: new Float64Array(cells),
    before: counted ? new Uint32Array(cells) : null,
    after: counted ? new Uint32Array(cells) : null,
  };
}

/** The remembered cell still holds: no counts read, or the counts at both gaps unchanged since. */
function fresh(memo: Memo, gapVersion: Uint32Array | null, cell: number, gap: number, gapAfter: number): boolean {
  if (gapVersion === null) return true;
  return memo.before![cell] === gapVersion[gap] && memo.after![cell] === gapVersion[gapAfter];
}

function remember(memo: Memo, cell: number, pass: boolean, score: number, gapVersion: Uint32Array | null, gap: number, gapAfter: number): void {
  memo.state[cell] = pass ? ACCEPTED : REJECTED;
  memo.score[cell] = score;
  if (gapVersion !== null) {
    memo.before![cell] = gapVersion[gap] as number;
    memo.after![cell] = gapVersion[gapAfter] as number;
  }
}

function push(heap: number[], v: number): void {
  let i = heap.length;
  heap.push(v);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent] as number;
    if (p <= v) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = v;
}

function popMin(heap: number[]): void {
  const last = heap.pop() as number;
  const n = heap.length;
  if (n === 0) return;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && (heap[r] as number) < (heap[l] as number) ? r : l;
    if ((heap[c] as number) >= last) break;
    heap[i] = heap[c] as number;
    i = c;
  }
  heap[i] = last;
}
