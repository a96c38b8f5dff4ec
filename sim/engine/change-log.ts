// The list of node changes since the oldest failed decision still in the queue. A queued task whose last
// decision failed without reading anything volatile can only succeed on a node that changed since: the
// others would fail again exactly as before. So a retry looks at the changed nodes only, and a task
// with none is skipped in O(1) — events that cannot help cost nothing per queued task.

export class ChangeLog {
  private nodes = new Int32Array(1024);
  /** Absolute position of nodes[0]. */
  private base = 0;
  private length = 0;
  private readonly mark: Int32Array;
  private markStamp = 0;
  // Memo of the last query: tasks that failed in the same pass share a position.
  private memoFrom = -1;
  private memoTo = -1;
  private memo = new Int32Array(0);
  private memoCount = 0;

  constructor(nodeCount: number) {
    this.mark = new Int32Array(nodeCount);
  }

  /** Position after the last change. */
  get position(): number {
    return this.base + this.length;
  }

  record(n: number): void {
    if (this.length === this.nodes.length) {
      const a = new Int32Array(this.nodes.length * 2);
      a.set(this.nodes);
      this.nodes = a;
    }
    this.nodes[this.length++] = n;
  }

  /**
   * The distinct nodes changed since position `from`, in out (unsorted); returns how many, or -1 when
   * there are more than `limit` (the caller then decides in full).
   */
  changedSince(from: number, out: Int32Array, limit: number): number {
    const to = this.position;
    if (from >= to) return 0;
    if (from === this.memoFrom && to === this.memoTo) {
      if (this.memoCount < 0) return -1;
      out.set(this.memo.subarray(0, this.memoCount));
      return this.memoCount;
    }
    const stamp = ++this.markStamp;
    let k = 0;
    for (let p = Math.max(from, this.base) - this.base; p < this.length; p++) {
      const n = this.nodes[p];
      if (this.mark[n] === stamp) continue;
      this.mark[n] = stamp;
      if (k === limit) {
        k = -1;
        break;
      }
      out[k++] = n;
    }
    this.memoFrom = from;
    this.memoTo = to;
    this.memoCount = k;
    if (k > 0) {
      if (this.memo.length < k) this.memo = new Int32Array(Math.max(k, 2 * this.memo.length));
      this.memo.set(out.subarray(0, k));
    }
    return k;
  }

  /** Forgets changes before `from` (no queued task looks further back). */
  forgetBefore(from: number): void {
    const drop = Math.min(from, this.position) - this.base;
    if (drop <= 0) return;
    this.nodes.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.base += drop;
    this.memoFrom = this.memoTo = -1;
  }
}
