// A small growable min-heap of (key: double, value: int) pairs, ties broken by value, used for the
// finish tags of processor-sharing servers (nodes, links) and for the node sets of index buckets.
// Entries are never removed from the middle: owners delete lazily by checking validity at the top.

export class TagHeap {
  private keys: Float64Array;
  private vals: Int32Array;
  size = 0;

  constructor(capacity = 4) {
    this.keys = new Float64Array(capacity);
    this.vals = new Int32Array(capacity);
  }

  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.keys.length * 2);
      k.set(this.keys);
      const v = new Int32Array(this.vals.length * 2);
      v.set(this.vals);
      this.keys = k;
      this.vals = v;
    }
    const K = this.keys;
    const V = this.vals;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (K[p] < key || (K[p] === key && V[p] <= val)) break;
      K[i] = K[p];
      V[i] = V[p];
      i = p;
    }
    K[i] = key;
    V[i] = val;
  }

  topKey(): number {
    return this.keys[0];
  }

  topVal(): number {
    return this.vals[0];
  }

  pop(): void {
    const last = --this.size;
    if (last <= 0) return;
    const K = this.keys;
    const V = this.vals;
    const key = K[last];
    const val = V[last];
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      const d = c + 1;
      if (d < last && (K[d] < K[c] || (K[d] === K[c] && V[d] < V[c]))) c = d;
      if (key < K[c] || (key === K[c] && val <= V[c])) break;
      K[i] = K[c];
      V[i] = V[c];
      i = c;
    }
    K[i] = key;
    V[i] = val;
  }

  clear(): void {
    this.size = 0;
  }

  /** Keeps only the entries `keep` accepts, then restores the heap order (for compaction). */
  retain(keep: (key: number, val: number) => boolean): void {
    let w = 0;
    for (let r = 0; r < this.size; r++) {
      if (keep(this.keys[r], this.vals[r])) {
        this.keys[w] = this.keys[r];
        this.vals[w] = this.vals[r];
        w++;
      }
    }
    this.size = w;
    for (let i = (w >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(start: number): void {
    const K = this.keys;
    const V = this.vals;
    const n = this.size;
    const key = K[start];
    const val = V[start];
    let i = start;
    while (2 * i + 1 < n) {
      let c = 2 * i + 1;
      const d = c + 1;
      if (d < n && (K[d] < K[c] || (K[d] === K[c] && V[d] < V[c]))) c = d;
      if (key < K[c] || (key === K[c] && val <= V[c])) break;
      K[i] = K[c];
      V[i] = V[c];
      i = c;
    }
    K[i] = key;
    V[i] = val;
  }
}
