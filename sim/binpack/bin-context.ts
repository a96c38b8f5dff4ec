// The DecisionContext a bin-packing policy reads: the same features as scheduling, with a bin as the
// node (capacity = cores, remaining capacity = free cores) and an item as the task (size = cores).
// One mutable object of each kind is reused for every evaluation, as the engine does.
import type { DecisionContext, NodeView, SimView, TaskView } from '../decision-context.js';
import type { NodeSpec, TaskSpec } from '../scenario.js';
import type { Rng } from '../random.js';
import type { BinHistoryView } from '../policy/features.js';

export class BinView implements NodeView {
  readonly spec: NodeSpec;
  index = 0;
  freeCores = 0;
  readonly freeMemory = 0;
  /** Items in the bin. */
  running = 0;
  readonly queued = 0;
  open = true;
  readonly up = true;
  readonly price = 0;
  readonly energyUsed = 0;
  readonly observedUptime = 1;

  constructor(capacity: number) {
    this.spec = {
      id: 'bin',
      kind: 'host',
      zone: 'default',
      cores: capacity,
      mips: 1000,
      memory: 0,
      mode: 'space-shared',
      powerIdle: 0,
      powerPeak: 0,
      pricePerHour: 0,
      reliability: 1,
      latency: {},
    };
  }
}

export class ItemView implements TaskView {
  readonly spec: TaskSpec = {
    id: 'item',
    arrival: 0,
    cores: 1,
    length: 1,
    memory: 0,
    priority: 3,
    deps: [],
    utilisation: 1,
    dataSize: 0,
    tenant: 'default',
  };
  index = 0;
  readonly lengthMI = 1;
  readonly fixedDuration = 0;
  readyAt = 0;
  readonly attempts = 0;

  /** Makes this view the item at `position` with `size`. */
  set(position: number, size: number): void {
    this.spec.cores = size;
    this.spec.arrival = position;
    this.index = position;
    this.readyAt = position;
  }
}

export class PackingSim implements SimView, BinHistoryView {
  now = 0;
  queueLength = 0;
  lastPlacedNode = -1;
  nodeCount = 1;
  itemsSeen = 0;
  /** Integer sizes and capacity: counts per remaining capacity and a Fenwick tree over item sizes. */
  private readonly binsByFree: Int32Array | null;
  private readonly sizeTree: Int32Array | null;
  /** Otherwise: counts keyed by remaining capacity, and the sizes seen, sorted. */
  private readonly binsByFreeMap = new Map<number, number>();
  private readonly sortedSizes: number[] = [];

  /** `integral`: capacity and every size are integers, so counts can live in arrays of capacity + 1. */
  constructor(
    private readonly rng: Rng,
    private readonly capacity = 0,
    integral = false,
  ) {
    this.binsByFree = integral ? new Int32Array(capacity + 1) : null;
    this.sizeTree = integral ? new Int32Array(capacity + 2) : null;
  }
  tenantShare(): number {
    return 0;
  }
  latency(): number {
    return 0;
  }
  transferTime(): number {
    return 0;
  }
  random(): number {
    return this.rng.float();
  }

  openBinsWithFree(free: number): number {
    if (this.binsByFree !== null) return Number.isInteger(free) && free >= 0 && free <= this.capacity ? (this.binsByFree[free] as number) : 0;
    return this.binsByFreeMap.get(free) ?? 0;
  }

  itemsSeenAtMost(size: number): number {
    if (this.sizeTree !== null) {
      if (size < 0) return 0;
      // Fenwick prefix sum over sizes 0 … min(floor(size), capacity), stored 1-based.
      let i = Math.min(Math.floor(size), this.capacity) + 1;
      let sum = 0;
      while (i > 0) {
        sum += this.sizeTree[i] as number;
        i -= i & -i;
      }
      return sum;
    }
    return upperBound(this.sortedSizes, size);
  }

  /** The item of `size` is about to be placed: it counts as seen from now on. */
  seeItem(size: number): void {
    this.itemsSeen++;
    if (this.sizeTree !== null) {
      for (let i = Math.min(Math.max(size, 0), this.capacity) + 1; i < this.sizeTree.length; i += i & -i) this.sizeTree[i]!++;
      return;
    }
    this.sortedSizes.splice(upperBound(this.sortedSizes, size), 0, size);
  }

  /** A bin's remaining capacity went from `before` (null: it was the empty bin on offer) to `after`. */
  moveBin(before: number | null, after: number): void {
    if (this.binsByFree !== null) {
      if (before !== null) this.binsByFree[before]!--;
      this.binsByFree[after]!++;
      return;
    }
    if (before !== null) {
      const n = (this.binsByFreeMap.get(before) ?? 0) - 1;
      if (n === 0) this.binsByFreeMap.delete(before);
      else this.binsByFreeMap.set(before, n);
    }
    this.binsByFreeMap.set(after, (this.binsByFreeMap.get(after) ?? 0) + 1);
  }
}

/** Number of elements of the sorted `xs` that are at most `v`. */
function upperBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface PackingContext extends DecisionContext {
  task: ItemView;
  node: BinView;
  sim: PackingSim;
}

/** `integral`: the capacity and every item size are integers (the counts then live in arrays). */
export function packingContext(capacity: number, rng: Rng, integral = false): PackingContext {
  return { task: new ItemView(), node: new BinView(capacity), sim: new PackingSim(rng, capacity, integral) };
}
