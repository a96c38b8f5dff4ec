// Which queued tasks are known to fail now, in O(1) per task.
//
// A decision is a deterministic function of what it reads: node state (which only changes with a
// change-log entry), the environment (price and congestion events invalidate everything), run-wide
// volatile values (a decision that read them is never memoised), and the task's own fields. So when a
// task fails at log position p having read task fields M (its "mask", views.ts TASK_*), every task with
// the same values on M would fail at p too. Such a (mask, values) pair is a key, interned as an integer.
//
// The memo also counts queued tasks per key. A queued task whose last failure was not volatile is
// filed under that failure's key; the others (fresh, volatile, the explained task) are `unknown`. When
// every key with queued tasks has failed at the current position, each of those tasks fails: the pass
// skips them in O(1), and stops early once nothing unknown is left.
import type { TaskState } from './task-state.js';
import { taskKey } from './views.js';
import type { World } from './world.js';

export class FailureMemo {
  private readonly ids = new Map<string, number>();
  private failedPos = new Float64Array(64).fill(-1);
  private count = new Int32Array(64);
  private keyMask = new Int32Array(64);
  private keys = 0;
  private readonly masks: number[] = [];
  /** Keys with queued tasks, and how many of them failed at coveredPos. */
  private live = 0;
  private covered = 0;
  private coveredPos = -1;
  /** Key each queued task is filed under, -1 when unknown. */
  readonly own: Int32Array;
  private unknown = 0;

  constructor(
    private readonly world: World,
    private readonly tasks: TaskState,
  ) {
    this.own = new Int32Array(world.T).fill(-1);
  }

  /** The key of task t's fields in `mask`. */
  intern(mask: number, t: number): number {
    const s = taskKey(this.world, this.tasks, mask, t);
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.keys++;
      if (id === this.failedPos.length) this.grow();
      this.ids.set(s, id);
      this.keyMask[id] = mask;
      if (!this.masks.includes(mask)) this.masks.push(mask);
    }
    return id;
  }

  maskOf(id: number): number {
    return this.keyMask[id];
  }

  /** A key that failed at position pos and matches task t, or -1. */
  lookup(t: number, pos: number): number {
    for (const mask of this.masks) {
      const id = this.ids.get(taskKey(this.world, this.tasks, mask, t));
      if (id !== undefined && this.failedPos[id] === pos) return id;
    }
    return -1;
  }

  failedAt(id: number): number {
    return this.failedPos[id];
  }

  /** Tasks with key id fail at position pos. */
  markFailed(id: number, pos: number): void {
    this.sync(pos);
    if (this.failedPos[id] === pos) return;
    this.failedPos[id] = pos;
    if (this.count[id] > 0) this.covered++;
  }

  /** Every key with queued tasks failed at pos. */
  allKeysFailed(pos: number): boolean {
    this.sync(pos);
    return this.covered === this.live;
  }

  /** Queued tasks filed under no key (fresh, volatile failures, the explained task). */
  get unknownCount(): number {
    return this.unknown;
  }

  /**
   * The oldest position at which a key with queued tasks failed (Infinity when none): no filed task
   * needs the change log from before it.
   */
  oldestLiveFailure(): number {
    let oldest = Infinity;
    if (this.live === 0) return oldest;
    for (let id = 0; id < this.keys; id++) if (this.count[id] > 0 && this.failedPos[id] < oldest) oldest = this.failedPos[id];
    return oldest;
  }

  enqueue(t: number): void {
    this.own[t] = -1;
    this.unknown++;
  }

  dequeue(t: number): void {
    this.file(t, -1, -1);
    this.unknown--;
  }

  /** Files queued task t under key id (-1: unknown). */
  file(t: number, id: number, pos: number): void {
    const old = this.own[t];
    if (old === id) return;
    if (pos >= 0) this.sync(pos);
    if (old < 0) this.unknown--;
    else if (--this.count[old] === 0) {
      this.live--;
      if (this.failedPos[old] === this.coveredPos) this.covered--;
    }
    if (id < 0) this.unknown++;
    else if (this.count[id]++ === 0) {
      this.live++;
      if (this.failedPos[id] === this.coveredPos) this.covered++;
    }
    this.own[t] = id;
  }

  /** The environment changed: no failure stands; every queued task is unknown again. */
  invalidate(queue: Int32Array, length: number): void {
    for (let i = 0; i < length; i++) this.file(queue[i], -1, -1);
    this.failedPos.fill(-1);
    this.coveredPos = -1;
    this.covered = 0;
  }

  private sync(pos: number): void {
    if (this.coveredPos !== pos) {
      this.coveredPos = pos;
      this.covered = 0;
    }
  }

  private grow(): void {
    const n = this.failedPos.length * 2;
    const f = new Float64Array(n).fill(-1);
    f.set(this.failedPos);
    this.failedPos = f;
    const c = new Int32Array(n);
    c.set(this.count);
    this.count = c;
    const m = new Int32Array(n);
    m.set(this.keyMask);
    this.keyMask = m;
  }
}
