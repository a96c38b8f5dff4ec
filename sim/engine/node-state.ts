// The live state of every node and its accounting. Power, busy cores and the processor-sharing rate
// are constant between two changes of a node, so energy, core-seconds and executed work are
// integrated exactly by settling a node (adding rate × elapsed time) before every change.
//
// Execution models:
// - time-shared: running tasks share the cores in proportion to the cores each asks for, never more
//   than asked. All running tasks on a node progress at the same "virtual" rate
//   g = mips × min(1, cores / Σasked) (tag units per second; a task's own speed is g × utilisation),
//   so each task gets a fixed finish tag V(start) + work/utilisation in the node's virtual time V and
//   the next completion is simply the smallest tag: O(log k) per change, exact, no per-task updates.
// - space-shared: a task holds its cores while it runs, at mips × utilisation; the rest wait in a
//   strict FIFO (no overtaking) — see space-shared handling in engine.ts.
import { TagHeap } from './tag-heap.js';
import type { EnvironmentState } from './environment.js';
import type { World } from './world.js';

export class NodeState {
  // Placement view (what policies see).
  readonly freeCores: Int32Array;
  readonly freeMemory: Float64Array;
  readonly running: Int32Array;
  /** Placed but not yet running: on a link, in latency, or in a space-shared FIFO. */
  readonly waiting: Int32Array;
  /** running + waiting: the node is open while this is above 0. */
  readonly placed: Int32Array;
  readonly open: Uint8Array;
  /** Failure windows in force (overlaps nest). */
  readonly downDepth: Int32Array;
  /** Out of energy: down for good. */
  readonly dead: Uint8Array;
  readonly everOpened: Uint8Array;
  /**
   * Latest estimated finish (TaskState.finishEst) of the tasks placed here, 0 when none: raised at each
   * placement, recomputed over the node's list when a task leaves (node.latest_finish_est).
   */
  readonly latestFinishEst: Float64Array;
  nodesUsed = 0;

  // Accounting, integrated piecewise.
  readonly lastT: Float64Array;
  readonly busy: Float64Array; // cores in use × utilisation
  readonly power: Float64Array;
  readonly energy: Float64Array;
  readonly busyCoreSeconds: Float64Array;
  /** MI executed (Σ over cores). */
  readonly work: Float64Array;
  readonly openSince: Float64Array;
  /** Zone price integral at opening. */
  readonly openIntegral: Float64Array;
  readonly cost: Float64Array;
  readonly downSince: Float64Array;
  readonly downTotal: Float64Array;
  openCoreSeconds = 0;
  /** Open intervals per node, kept only for traces. */
  readonly intervals: number[][] | null;
  readonly downIntervals: number[][] | null;

  // Time-shared processor sharing.
  readonly psV: Float64Array;
  readonly psAsked: Int32Array;
  readonly psUtil: Float64Array; // Σ cores × utilisation of running tasks
  readonly psVersion: Int32Array;
  private readonly psHeaps: (TagHeap | undefined)[];

  // Space-shared cores and FIFO (linked through TaskState.fifoNext).
  readonly ssUsed: Int32Array;
  readonly ssUtil: Float64Array;
  readonly fifoHead: Int32Array;
  readonly fifoTail: Int32Array;

  readonly deathVersion: Int32Array;
  /** Head of the intrusive list of tasks placed on the node. */
  readonly listHead: Int32Array;

  constructor(
    private readonly world: World,
    private readonly env: EnvironmentState,
    keepIntervals: boolean,
  ) {
    const N = world.N;
    this.freeCores = Int32Array.from(world.nodeCores);
    this.freeMemory = Float64Array.from(world.nodeMemory);
    this.running = new Int32Array(N);
    this.waiting = new Int32Array(N);
    this.placed = new Int32Array(N);
    this.open = new Uint8Array(N);
    this.downDepth = new Int32Array(N);
    this.dead = new Uint8Array(N);
    this.everOpened = new Uint8Array(N);
    this.latestFinishEst = new Float64Array(N);
    this.lastT = new Float64Array(N);
    this.busy = new Float64Array(N);
    this.power = new Float64Array(N);
    this.energy = new Float64Array(N);
    this.busyCoreSeconds = new Float64Array(N);
    this.work = new Float64Array(N);
    this.openSince = new Float64Array(N);
    this.openIntegral = new Float64Array(N);
    this.cost = new Float64Array(N);
    this.downSince = new Float64Array(N);
    this.downTotal = new Float64Array(N);
    this.intervals = keepIntervals ? Array.from({ length: N }, () => []) : null;
    this.downIntervals = keepIntervals ? Array.from({ length: N }, () => []) : null;
    this.psV = new Float64Array(N);
    this.psAsked = new Int32Array(N);
    this.psUtil = new Float64Array(N);
    this.psVersion = new Int32Array(N);
    this.psHeaps = new Array(N);
    this.ssUsed = new Int32Array(N);
    this.ssUtil = new Float64Array(N);
    this.fifoHead = new Int32Array(N).fill(-1);
    this.fifoTail = new Int32Array(N).fill(-1);
    this.deathVersion = new Int32Array(N);
    this.listHead = new Int32Array(N).fill(-1);
  }

  isUp(n: number): boolean {
    return this.downDepth[n] === 0 && this.dead[n] === 0;
  }

  psHeap(n: number): TagHeap {
    let h = this.psHeaps[n];
    if (h === undefined) this.psHeaps[n] = h = new TagHeap();
    return h;
  }

  /** Seconds until the virtual time reaches `tag` at the current rate (ordered for exact results). */
  psTimeTo(n: number, tag: number): number {
    const asked = this.psAsked[n];
    const cores = this.world.nodeCores[n];
    const rest = tag - this.psV[n];
    if (rest <= 0) return 0;
    return asked <= cores ? rest / this.world.nodeMips[n] : (rest * asked) / (this.world.nodeMips[n] * cores);
  }

  /** Integrates everything about node n up to time t at the rates in force since its last change. */
  settle(n: number, t: number): void {
    const dt = t - this.lastT[n];
    if (dt > 0 && this.open[n]) {
      const busy = this.busy[n];
      this.energy[n] += this.power[n] * dt;
      if (busy > 0) {
        this.busyCoreSeconds[n] += busy * dt;
        this.work[n] += this.world.nodeMips[n] * busy * dt;
      }
      const asked = this.psAsked[n];
      if (asked > 0) {
        const cores = this.world.nodeCores[n];
        const mips = this.world.nodeMips[n];
        this.psV[n] += asked <= cores ? dt * mips : (dt * mips * cores) / asked;
      }
    }
    this.lastT[n] = t;
  }

  /** Recomputes busy cores and power after a change (call after settle). */
  refresh(n: number): void {
    const cores = this.world.nodeCores[n];
    let busy: number;
    if (this.world.nodeTimeShared[n]) {
      const asked = this.psAsked[n];
      busy = asked <= cores ? this.psUtil[n] : (this.psUtil[n] * cores) / asked;
    } else {
      busy = this.ssUtil[n];
    }
    if (busy > cores) busy = cores;
    this.busy[n] = busy;
    this.power[n] = this.open[n]
      ? this.world.nodeIdle[n] + ((this.world.nodePeak[n] - this.world.nodeIdle[n]) * busy) / cores
      : 0;
  }

  /** Opens node n at time t (its first task arrived). */
  openNode(n: number, t: number): void {
    this.settle(n, t);
    this.open[n] = 1;
    this.openSince[n] = t;
    this.openIntegral[n] = this.env.integralAt(this.world.nodeZone[n], t);
    if (!this.everOpened[n]) {
      this.everOpened[n] = 1;
      this.nodesUsed++;
    }
    this.intervals?.[n].push(t, t);
    this.refresh(n);
  }

  /** Closes node n at time t (it became empty): books its cost and core-seconds. */
  closeNode(n: number, t: number): void {
    this.settle(n, t);
    const w = this.world;
    this.cost[n] += ((w.nodePrice[n] / 3600) * (this.env.integralAt(w.nodeZone[n], t) - this.openIntegral[n]));
    this.openCoreSeconds += w.nodeCores[n] * (t - this.openSince[n]);
    this.open[n] = 0;
    const iv = this.intervals?.[n];
    if (iv) iv[iv.length - 1] = t;
    this.refresh(n);
  }

  /** Energy drawn so far including the current open stretch, J. */
  energyAt(n: number, t: number): number {
    return this.open[n] ? this.energy[n] + this.power[n] * (t - this.lastT[n]) : this.energy[n];
  }

  /** Fraction of [0, t] the node has been up. */
  uptimeAt(n: number, t: number): number {
    if (t <= 0) return 1;
    let down = this.downTotal[n];
    if (!this.isUp(n)) down += t - this.downSince[n];
    return Math.max(0, 1 - down / t);
  }

  /** Links task t into node n's list of placed tasks (finishEst: its estimated finish). */
  link(n: number, t: number, prev: Int32Array, next: Int32Array, finishEst: Float64Array): void {
    if (finishEst[t] > this.latestFinishEst[n]) this.latestFinishEst[n] = finishEst[t];
    const h = this.listHead[n];
    prev[t] = -1;
    next[t] = h;
    if (h >= 0) prev[h] = t;
    this.listHead[n] = t;
  }

  unlink(n: number, t: number, prev: Int32Array, next: Int32Array, finishEst: Float64Array): void {
    const p = prev[t];
    const q = next[t];
    if (p >= 0) next[p] = q;
    else this.listHead[n] = q;
    if (q >= 0) prev[q] = p;
    prev[t] = -1;
    next[t] = -1;
    // Only the latest one leaving can lower the maximum; then the rest are walked (tasks per node are few).
    if (finishEst[t] === this.latestFinishEst[n]) {
      let latest = 0;
      for (let u = this.listHead[n]; u >= 0; u = next[u]) if (finishEst[u] > latest) latest = finishEst[u];
      this.latestFinishEst[n] = latest;
    }
  }
}
