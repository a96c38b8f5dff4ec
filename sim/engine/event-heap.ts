// The engine's pending events: a binary min-heap over parallel typed arrays, so a million pending
// events cost a few tens of MB and no per-event object. Events are ordered by (time, kind, sequence):
// the sequence number is assigned at push, which makes the order of same-time, same-kind events the
// order in which they were scheduled — deterministic, independent of heap internals.

/** Kinds fit in 4 bits; sequence numbers below 2^40 keep kind·2^40 + seq an exact double. */
const KIND_SHIFT = 2 ** 40;

export class EventHeap {
  private time: Float64Array;
  private rank: Float64Array;
  private a: Int32Array;
  private b: Int32Array;
  private count = 0;
  private nextSeq = 0;

  constructor(capacity = 1024) {
    const c = Math.max(16, capacity);
    this.time = new Float64Array(c);
    this.rank = new Float64Array(c);
    this.a = new Int32Array(c);
    this.b = new Int32Array(c);
  }

  get size(): number {
    return this.count;
  }

  /** Schedules an event of `kind` (0–15) at `time` with two integer payloads. */
  push(time: number, kind: number, a: number, b: number): void {
    if (this.count === this.time.length) this.grow();
    const rank = kind * KIND_SHIFT + this.nextSeq++;
    // Sift up with a hole: move parents down until the new event's slot is found.
    let i = this.count++;
    const { time: T, rank: R, a: A, b: B } = this;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = T[p];
      if (pt < time || (pt === time && R[p] < rank)) break;
      T[i] = pt;
      R[i] = R[p];
      A[i] = A[p];
      B[i] = B[p];
      i = p;
    }
    T[i] = time;
    R[i] = rank;
    A[i] = a;
    B[i] = b;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.count > 0 ? this.time[0] : Infinity;
  }

  // The popped event is copied here so that pop() allocates nothing.
  poppedTime = 0;
  poppedKind = 0;
  poppedA = 0;
  poppedB = 0;

  /** Removes the earliest event into popped*; false when empty. */
  pop(): boolean {
    if (this.count === 0) return false;
    const { time: T, rank: R, a: A, b: B } = this;
    this.poppedTime = T[0];
    this.poppedKind = Math.floor(R[0] / KIND_SHIFT);
    this.poppedA = A[0];
    this.poppedB = B[0];
    const last = --this.count;
    if (last === 0) return true;
    const t = T[last];
    const r = R[last];
    const a = A[last];
    const b = B[last];
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      const d = c + 1;
      if (d < last && (T[d] < T[c] || (T[d] === T[c] && R[d] < R[c]))) c = d;
      if (t < T[c] || (t === T[c] && r < R[c])) break;
      T[i] = T[c];
      R[i] = R[c];
      A[i] = A[c];
      B[i] = B[c];
      i = c;
    }
    T[i] = t;
    R[i] = r;
    A[i] = a;
    B[i] = b;
    return true;
  }

  private grow(): void {
    const c = this.time.length * 2;
    const grow64 = (x: Float64Array) => {
      const y = new Float64Array(c);
      y.set(x);
      return y;
    };
    const grow32 = (x: Int32Array) => {
      const y = new Int32Array(c);
      y.set(x);
      return y;
    };
    this.time = grow64(this.time);
    this.rank = grow64(this.rank);
    this.a = grow32(this.a);
    this.b = grow32(this.b);
  }
}

export { KIND_SHIFT };
