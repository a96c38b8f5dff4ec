// An exact index of candidate nodes. Nodes with the same static spec (a World group) and the same
// placement state (free cores, free memory, running, waiting, open) are indistinguishable to a policy
// except through node.index and node.latest_finish_est (kept out of the key: it would split nearly every
// bucket); they share a bucket. For a decision the engine evaluates only the lowest
// index node of each bucket: when that evaluation read nothing that differs inside a bucket
// (see views.ts READ_* flags), every member would get the same filter result and score, and ties go to
// the lowest index — so the representative is exactly what a full scan would pick from that bucket.
// Buckets keep their members in lazy min-heaps (stale entries are skipped when they reach the top).
import { TagHeap } from './tag-heap.js';
import type { NodeState } from './node-state.js';
import type { World } from './world.js';

interface Bucket {
  readonly heap: TagHeap;
  live: number;
  /** Position in the active list, -1 when empty. */
  pos: number;
}

export class CandidateIndex {
  private readonly bucketOf: Int32Array;
  private readonly stamp: Int32Array;
  private readonly buckets: Bucket[] = [];
  private readonly byKey = new Map<string, number>();
  private active: Int32Array;
  private activeCount = 0;

  constructor(
    private readonly world: World,
    private readonly nodes: NodeState,
  ) {
    const N = world.N;
    this.bucketOf = new Int32Array(N).fill(-1);
    this.stamp = new Int32Array(N);
    this.active = new Int32Array(16);
    for (let n = 0; n < N; n++) this.update(n);
  }

  /** Active (non-empty) buckets: a decision costs about this many evaluations. */
  get size(): number {
    return this.activeCount;
  }

  private keyOf(n: number): string {
    const s = this.nodes;
    return `${this.world.nodeGroup[n]}|${s.freeCores[n]}|${s.freeMemory[n]}|${s.running[n]}|${s.waiting[n]}|${s.open[n]}`;
  }

  /** Re-files node n after any change of its placement state or of its up/down status. */
  update(n: number): void {
    const old = this.bucketOf[n];
    const b = this.nodes.isUp(n) ? this.bucketFor(this.keyOf(n)) : -1;
    if (b === old) return;
    if (old >= 0) {
      const ob = this.buckets[old];
      if (--ob.live === 0) this.deactivate(old);
    }
    this.bucketOf[n] = b;
    const st = ++this.stamp[n];
    if (b >= 0) {
      const nb = this.buckets[b];
      nb.heap.push(n, st);
      if (nb.live++ === 0) this.activate(b);
      if (nb.heap.size > 2 * nb.live + 32) nb.heap.retain((node, s) => this.bucketOf[node] === b && this.stamp[node] === s);
    }
  }

  /** Writes the lowest-index node of every non-empty bucket into out (ascending); returns how many. */
  representatives(out: Int32Array): number {
    const k = this.activeCount;
    for (let i = 0; i < k; i++) {
      const b = this.active[i];
      const h = this.buckets[b].heap;
      while (true) {
        const node = h.topKey();
        if (this.bucketOf[node] === b && this.stamp[node] === h.topVal()) break;
        h.pop();
      }
      out[i] = h.topKey();
    }
    out.subarray(0, k).sort();
    return k;
  }

  private bucketFor(key: string): number {
    let b = this.byKey.get(key);
    if (b === undefined) {
      b = this.buckets.length;
      this.buckets.push({ heap: new TagHeap(), live: 0, pos: -1 });
      this.byKey.set(key, b);
    }
    return b;
  }

  private activate(b: number): void {
    if (this.activeCount === this.active.length) {
      const a = new Int32Array(this.active.length * 2);
      a.set(this.active);
      this.active = a;
    }
    this.buckets[b].pos = this.activeCount;
    this.active[this.activeCount++] = b;
  }

  private deactivate(b: number): void {
    const pos = this.buckets[b].pos;
    const last = this.active[--this.activeCount];
    this.active[pos] = last;
    this.buckets[last].pos = pos;
    this.buckets[b].pos = -1;
    // An empty bucket's heap holds only stale entries.
    this.buckets[b].heap.clear();
  }
}
