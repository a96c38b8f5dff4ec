// Data transfers: the transfers on one link share its bandwidth fairly (processor sharing of Mbit/s),
// modelled like a time-shared node with equal weights: every transfer on a link progresses at
// bandwidth × congestion factor / k Mbit/s, so a transfer's finish tag in the link's virtual time is
// V(join) + size in Mbit and the next completion is the smallest live tag. Transfers removed by a node
// failure leave a stale tag that is skipped at the top of the heap.
import { TagHeap } from './tag-heap.js';
import type { EnvironmentState } from './environment.js';
import type { World } from './world.js';

export class LinkState {
  readonly active: Int32Array;
  readonly V: Float64Array;
  readonly lastT: Float64Array;
  readonly version: Int32Array;
  private readonly heaps: TagHeap[];
  /** Link of each task in flight, and its tag: a heap entry is live only when both still match. */
  readonly taskLink: Int32Array;
  readonly taskTag: Float64Array;

  constructor(
    private readonly world: World,
    private readonly env: EnvironmentState,
  ) {
    const L = world.L;
    this.active = new Int32Array(L);
    this.V = new Float64Array(L);
    this.lastT = new Float64Array(L);
    this.version = new Int32Array(L);
    this.heaps = Array.from({ length: L }, () => new TagHeap());
    this.taskLink = new Int32Array(world.T).fill(-1);
    this.taskTag = new Float64Array(world.T);
  }

  private capacity(l: number): number {
    return this.world.linkBandwidth[l] * this.env.linkFactor[l];
  }

  settle(l: number, t: number): void {
    const dt = t - this.lastT[l];
    const k = this.active[l];
    if (dt > 0 && k > 0) this.V[l] += (dt * this.capacity(l)) / k;
    this.lastT[l] = t;
  }

  /** Starts task t's transfer of `megabytes` on link l at time now. */
  join(l: number, task: number, megabytes: number, now: number): void {
    this.settle(l, now);
    const tag = this.V[l] + megabytes * 8;
    this.taskLink[task] = l;
    this.taskTag[task] = tag;
    this.heaps[l].push(tag, task);
    this.active[l]++;
    this.version[l]++;
  }

  /** Abandons task t's transfer (its node failed). */
  leave(task: number, now: number): void {
    const l = this.taskLink[task];
    if (l < 0) return;
    this.settle(l, now);
    this.taskLink[task] = -1;
    this.active[l]--;
    if (this.active[l] === 0) {
      this.V[l] = 0;
      this.heaps[l].clear();
    }
    this.version[l]++;
  }

  /** Changes link l's congestion factor at time now, after settling at the old one. */
  setFactor(l: number, factor: number, now: number): void {
    this.settle(l, now);
    this.env.linkFactor[l] = factor;
    this.version[l]++;
  }

  private dropStale(l: number): TagHeap {
    const h = this.heaps[l];
    while (h.size > 0) {
      const task = h.topVal();
      if (this.taskLink[task] === l && this.taskTag[task] === h.topKey()) break;
      h.pop();
    }
    return h;
  }

  /** Seconds from now until the next transfer on l completes, or -1 when idle. */
  nextFinish(l: number): number {
    const h = this.dropStale(l);
    if (h.size === 0) return -1;
    const rest = h.topKey() - this.V[l];
    return rest <= 0 ? 0 : (rest * this.active[l]) / this.capacity(l);
  }

  /**
   * At the completion event of link l (time now): the transfers that are done — the earliest one by
   * definition, and any other whose remaining data is within 1e-9 of its size.
   */
  finish(l: number, now: number, out: number[]): void {
    this.settle(l, now);
    const h = this.dropStale(l);
    let first = true;
    while (h.size > 0) {
      const task = h.topVal();
      const tag = h.topKey();
      if (!(this.taskLink[task] === l && this.taskTag[task] === tag)) {
        h.pop();
        continue;
      }
      const size = this.world.taskData[task] * 8;
      if (!first && tag - this.V[l] > 1e-9 * size) break;
      first = false;
      h.pop();
      this.taskLink[task] = -1;
      this.active[l]--;
      out.push(task);
    }
    if (this.active[l] === 0) {
      this.V[l] = 0;
      h.clear();
    }
    this.version[l]++;
  }
}
