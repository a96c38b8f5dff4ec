// The discrete-event loop: task life cycles, node execution, transfers, failures, prices and
// congestion, and the scheduling pass. docs/simulator.md states the semantics in prose; this file is
// their executable form.
//
// Time advances from event to event. All events at one instant are processed first, in the order
// (time, kind, sequence) with kinds ordered as in `Kind` below (completions first, arrivals last), and
// then one scheduling pass tries the ready queue. Everything is a function of the scenario and the
// policy: no clock, no Math.random, no iteration over unordered collections.
import type { CompiledPolicy } from '../policy/compiled.js';
import { PolicyRuntimeError } from '../policy/compiled.js';
import type { DecisionContext } from '../decision-context.js';
import type { Metrics } from '../metrics.js';
import type { Scenario } from '../scenario.js';
import { CandidateIndex } from './candidate-index.js';
import { ChangeLog } from './change-log.js';
import { Decider, PolicyFault } from './decision.js';
import { EnvironmentState } from './environment.js';
import { EventHeap } from './event-heap.js';
import type { Explanation } from './explanation.js';
import { LinkState } from './link-model.js';
import { NodeState } from './node-state.js';
import { Outcome, Phase, TaskState } from './task-state.js';
import { buildTrace, type AttemptTrace, type Trace } from './trace.js';
import { finishEstimate, NodeViewImpl, PolicyRandom, SimViewImpl, TaskViewImpl, type Flyweights, type RunFacts } from './views.js';
import { World } from './world.js';

/** Event kinds; at equal times, lower kinds are processed first. */
export const enum Kind {
  TsDone = 0,
  SsDone = 1,
  LinkDone = 2,
  DelayDone = 3,
  Death = 4,
  Fail = 5,
  Recover = 6,
  Price = 7,
  CongestionStart = 8,
  CongestionEnd = 9,
  /** Arrivals come from a sorted list rather than the heap; they sort after every other kind. */
  Arrival = 10,
}

export interface EngineOptions {
  explainTask?: string;
  trace?: boolean;
  fullScan?: boolean;
  /** Stop the run once the policy has been evaluated more than this many times (see Engine.evaluations). */
  maxEvaluations?: number;
}

export interface EngineFailure {
  /** policy-error: the policy faulted; budget: it needed more evaluations than maxEvaluations allowed. */
  kind: 'policy-error' | 'budget';
  message: string;
  taskId: string;
  nodeId?: string;
  time: number;
}

/** Thrown inside the engine when the run has used up options.maxEvaluations. */
class BudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} policy evaluations`);
  }
}

/** A task is done when its remaining work is within this fraction of its total. */
export const DONE_TOLERANCE = 1e-9;

export class Engine {
  readonly world: World;
  private readonly env: EnvironmentState;
  private readonly nodes: NodeState;
  private readonly links: LinkState;
  private readonly tasks: TaskState;
  private readonly heap: EventHeap;
  private readonly index: CandidateIndex | null;
  private readonly log: ChangeLog;
  private readonly decider: Decider;
  private readonly facts: RunFacts = { now: 0, queueLength: 0, lastPlacedNode: -1, reads: 0, taskReads: 0 };
  private readonly fw: Flyweights;
  private readonly skip: boolean;
  private readonly dynamicOrder: boolean;

  private now = 0;
  private queue: Int32Array;
  private spare: Int32Array;
  /** Queue positions of the tasks merged in by the current pass, ascending. */
  private readonly freshPos: Int32Array;
  private qLen = 0;
  private fresh: number[] = [];
  private passNeeded = false;
  /** After the last pass: queued tasks that must be retried at every event time. */
  private retryEveryStep = false;
  private arrivalPtr = 0;

  private readonly touchedNodes: number[] = [];
  private readonly nodeTouched: Uint8Array;
  private readonly touchedLinks: number[] = [];
  private readonly linkTouched: Uint8Array;
  private readonly done: number[] = [];

  private readonly tenantCores: Float64Array;
  private readonly tenantMemory: Float64Array;
  private readonly tenantIndex = new Map<string, number>();
  private upCores: number;
  private upMemory: number;

  private completed = 0;
  private dropped = 0;
  private killed = 0;
  private events = 0;
  private orderEvaluations = 0;
  private lastCompletion = -1;
  private currentTask = -1;
  failure: EngineFailure | null = null;
  private readonly attemptLog: Map<number, AttemptTrace[]> | null;
  private readonly failureNode: Int32Array;
  private readonly queueCmp: (a: number, b: number) => number;

  constructor(
    scenario: Scenario,
    private readonly policy: CompiledPolicy,
    private readonly options: EngineOptions = {},
  ) {
    const world = (this.world = new World(scenario));
    this.env = new EnvironmentState(world);
    this.nodes = new NodeState(world, this.env, options.trace === true);
    this.links = new LinkState(world, this.env);
    this.tasks = new TaskState(world.T);
    this.heap = new EventHeap(Math.min(1 << 20, 2 * world.N + 64));
    this.log = new ChangeLog(world.N);
    this.queue = new Int32Array(world.T);
    this.spare = new Int32Array(world.T);
    this.freshPos = new Int32Array(world.T);
    this.nodeTouched = new Uint8Array(world.N);
    this.linkTouched = new Uint8Array(world.L);
    this.tenantCores = new Float64Array(world.tenants.length);
    this.tenantMemory = new Float64Array(world.tenants.length);
    world.tenants.forEach((name, i) => this.tenantIndex.set(name, i));
    this.upCores = world.totalCores;
    this.upMemory = world.totalMemory;
    this.attemptLog = options.trace ? new Map() : null;
    this.skip = options.fullScan !== true;
    this.dynamicOrder = policy.dynamicOrder;
    const key = this.tasks.key;
    const readyAt = this.tasks.readyAt;
    this.queueCmp = (a, b) => {
      const ka = key[a];
      const kb = key[b];
      if (ka < kb) return -1;
      if (ka > kb) return 1;
      const ra = readyAt[a];
      const rb = readyAt[b];
      if (ra < rb) return -1;
      if (ra > rb) return 1;
      return a - b;
    };

    const random = new PolicyRandom(scenario.seed, 'policy:' + policy.document.name);
    const task = new TaskViewImpl(world, this.tasks, this.facts);
    const node = new NodeViewImpl(world, this.nodes, this.env, this.facts);
    const sim = new SimViewImpl(world, this.env, this.facts, random, (tenant) => this.tenantShare(tenant));
    const ctx: DecisionContext = { task, node: null, sim };
    this.fw = { ctx, task, node };

    const useIndex = options.fullScan !== true && policy.document.nodesToScore === undefined;
    this.index = useIndex ? new CandidateIndex(world, this.nodes) : null;
    this.decider = new Decider(world, this.nodes, this.tasks, policy, this.fw, this.facts, random, this.index, this.log, this.skip);
    if (options.explainTask !== undefined) {
      this.decider.explainTask = scenario.tasks.findIndex((t) => t.id === options.explainTask);
    }

    // Environment events. Failures naming no node are ignored (validation reports them).
    const envSpec = scenario.environment;
    this.failureNode = new Int32Array(envSpec.failures.length);
    envSpec.failures.forEach((f, i) => {
      const n = world.nodeIndexById.get(f.node) ?? -1;
      this.failureNode[i] = n;
      if (n < 0) return;
      this.heap.push(f.at, Kind.Fail, i, 0);
      if (f.until !== undefined) this.heap.push(f.until, Kind.Recover, i, 0);
    });
    envSpec.prices.forEach((p, i) => this.heap.push(p.at, Kind.Price, i, 0));
    envSpec.congestion.forEach((c, i) => {
      this.heap.push(c.from, Kind.CongestionStart, i, 0);
      this.heap.push(c.until, Kind.CongestionEnd, i, 0);
    });
  }

  /** Runs to the end (or to the first policy fault). */
  run(): void {
    try {
      this.loop();
    } catch (err) {
      const w = this.world;
      const taskId = this.currentTask >= 0 ? w.scenario.tasks[this.currentTask].id : '';
      if (err instanceof BudgetExceeded) {
        this.failure = { kind: 'budget', message: err.message, taskId, time: this.now };
      } else if (err instanceof PolicyFault) {
        this.failure = {
          kind: 'policy-error',
          message: err.fault.message,
          taskId,
          ...(err.node >= 0 ? { nodeId: w.scenario.nodes[err.node].id } : {}),
          time: this.now,
        };
      } else {
        throw err;
      }
    }
    // Close what is still open (only after a fault: a finished run leaves every node empty).
    for (let n = 0; n < this.world.N; n++) if (this.nodes.open[n]) this.nodes.closeNode(n, this.now);
  }

  private loop(): void {
    const heap = this.heap;
    const w = this.world;
    const order = w.arrivalOrder;
    const T = w.T;
    while (true) {
      if (this.completed + this.dropped === T && T > 0) break;
      const nextArrival = this.arrivalPtr < T ? w.taskArrival[order[this.arrivalPtr]] : Infinity;
      const t = Math.min(heap.peekTime(), nextArrival);
      if (t === Infinity) break;
      this.now = t;
      this.facts.now = t;
      while (true) {
        if (heap.peekTime() === t) {
          heap.pop();
          if (this.dispatch(heap.poppedKind, heap.poppedA, heap.poppedB)) this.events++;
        } else if (this.arrivalPtr < T && w.taskArrival[order[this.arrivalPtr]] === t) {
          this.events++;
          this.arrive(order[this.arrivalPtr++]);
        } else break;
      }
      if (this.passNeeded || (this.retryEveryStep && this.qLen > 0)) this.pass();
      this.flush();
    }
  }

  /** Handles one event; false when it was stale. */
  private dispatch(kind: number, a: number, b: number): boolean {
    switch (kind) {
      case Kind.TsDone:
        return this.onTsDone(a, b);
      case Kind.SsDone:
        return this.onSsDone(a, b);
      case Kind.LinkDone:
        return this.onLinkDone(a, b);
      case Kind.DelayDone:
        if (this.tasks.epoch[a] !== b || this.tasks.phase[a] !== Phase.Delay) return false;
        this.reachNode(a, this.tasks.node[a]);
        return true;
      case Kind.Death:
        return this.onDeath(a, b);
      case Kind.Fail: {
        const n = this.failureNode[a];
        if (this.nodes.downDepth[n]++ === 0 && !this.nodes.dead[n]) this.goDown(n);
        return true;
      }
      case Kind.Recover: {
        const n = this.failureNode[a];
        if (--this.nodes.downDepth[n] === 0 && !this.nodes.dead[n]) this.comeUp(n);
        return true;
      }
      case Kind.Price:
        this.env.applyPrice(a, this.now);
        this.environmentChanged();
        return true;
      case Kind.CongestionStart:
      case Kind.CongestionEnd: {
        for (const [l, f] of this.env.setWindow(a, kind === Kind.CongestionStart)) {
          this.links.setFactor(l, f, this.now);
          this.touchLink(l);
        }
        this.environmentChanged();
        return true;
      }
      default:
        throw new Error(`unknown event kind ${kind}`);
    }
  }

  // ---- Task life cycle -------------------------------------------------------------------------

  private arrive(t: number): void {
    const w = this.world;
    const tasks = this.tasks;
    if (!w.feasible(t)) return this.drop(t, Outcome.Infeasible);
    let left = 0;
    for (let k = w.depStart[t]; k < w.depStart[t + 1]; k++) {
      const p = tasks.phase[w.deps[k]];
      if (p === Phase.Dropped) return this.drop(t, Outcome.Dropped);
      if (p !== Phase.Done) left++;
    }
    this.currentTask = t;
    this.fw.task.t = t;
    this.fw.ctx.node = null;
    let admitted: boolean;
    try {
      admitted = this.policy.admit(this.fw.ctx);
    } catch (err) {
      throw err instanceof PolicyRuntimeError ? new PolicyFault(err, -1) : err;
    }
    if (!admitted) return this.drop(t, Outcome.Rejected);
    tasks.depsLeft[t] = left;
    tasks.phase[t] = Phase.Waiting;
    if (left === 0) this.becomeReady(t);
  }

  private becomeReady(t: number): void {
    const tasks = this.tasks;
    tasks.phase[t] = Phase.Queued;
    tasks.readyAt[t] = this.now;
    tasks.failedAt[t] = -1;
    if (!this.dynamicOrder) tasks.key[t] = this.orderKey(t);
    this.decider.memo.enqueue(t);
    this.fresh.push(t);
    this.passNeeded = true;
  }

  /**
   * Times the policy was evaluated: filters run on a node (each possibly followed by a score) and queue
   * order keys computed. A deterministic measure of a run's cost that grows with what makes some policies
   * slow (full scans, keys recomputed on every pass), so a budget on it stops the same runs on any machine.
   */
  get evaluations(): number {
    return this.decider.evaluations + this.orderEvaluations;
  }

  /** Throws BudgetExceeded once the evaluations exceed options.maxEvaluations. */
  private checkBudget(): void {
    const limit = this.options.maxEvaluations;
    if (limit !== undefined && this.evaluations > limit) throw new BudgetExceeded(limit);
  }

  private orderKey(t: number): number {
    this.orderEvaluations++;
    this.currentTask = t;
    this.fw.task.t = t;
    this.fw.ctx.node = null;
    let k: number;
    try {
      k = this.policy.orderKey(this.fw.task, this.fw.ctx);
    } catch (err) {
      throw err instanceof PolicyRuntimeError ? new PolicyFault(err, -1) : err;
    }
    if (typeof k !== 'number' || Number.isNaN(k)) {
      throw new PolicyFault(new PolicyRuntimeError(`order key is not a number (${String(k)})`, 'order'), -1);
    }
    return k;
  }

  /** Drops t (and, transitively, every arrived task waiting on it). */
  private drop(t: number, outcome: Outcome): void {
    const w = this.world;
    const tasks = this.tasks;
    const stack = [t];
    let first = true;
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (tasks.phase[x] === Phase.Dropped || tasks.phase[x] === Phase.Done) continue;
      tasks.phase[x] = Phase.Dropped;
      tasks.outcome[x] = first ? outcome : Outcome.Dropped;
      tasks.finish[x] = this.now;
      first = false;
      this.dropped++;
      for (let k = w.childStart[x]; k < w.childStart[x + 1]; k++) {
        const c = w.children[k];
        if (tasks.phase[c] === Phase.Waiting) stack.push(c);
      }
    }
  }

  private complete(t: number): void {
    const w = this.world;
    const tasks = this.tasks;
    const nodes = this.nodes;
    const n = tasks.node[t];
    tasks.phase[t] = Phase.Done;
    tasks.outcome[t] = Outcome.Completed;
    tasks.finish[t] = this.now;
    this.completed++;
    this.lastCompletion = this.now;
    nodes.running[n]--;
    this.release(t, n);
    for (let k = w.childStart[t]; k < w.childStart[t + 1]; k++) {
      const c = w.children[k];
      if (tasks.phase[c] === Phase.Waiting && --tasks.depsLeft[c] === 0) this.becomeReady(c);
    }
    if (nodes.placed[n] === 0) nodes.closeNode(n, this.now);
    this.changed(n);
  }

  /** Gives back what placement reserved (cores, memory, tenant share, node list). */
  private release(t: number, n: number): void {
    const w = this.world;
    const nodes = this.nodes;
    const c = w.taskCores[t];
    nodes.placed[n]--;
    nodes.freeCores[n] += c;
    this.tenantCores[w.taskTenant[t]] -= c;
    if (w.nodeMemory[n] > 0) {
      nodes.freeMemory[n] += w.taskMemory[t];
      this.tenantMemory[w.taskTenant[t]] -= w.taskMemory[t];
    }
    nodes.unlink(n, t, this.tasks.prev, this.tasks.next, this.tasks.finishEst);
  }

  // ---- Scheduling pass ---------------------------------------------------------------------------

  private pass(): void {
    this.passNeeded = false;
    const freshCount = this.mergeFresh();
    const fresh = this.freshPos;
    const q = this.queue;
    const facts = this.facts;
    const decider = this.decider;
    facts.queueLength = this.qLen;
    let w = 0;
    let fi = 0;
    let r = 0;
    while (r < this.qLen) {
      // Every task up to the next fresh one is known to fail now: keep them without looking.
      if (freshCount >= 0 && decider.onlyFreshUndecided(freshCount - fi)) {
        const next = fi < freshCount ? fresh[fi] : this.qLen;
        if (w !== r) q.copyWithin(w, r, next);
        w += next - r;
        r = next;
        if (r >= this.qLen) break;
      }
      const t = q[r];
      if (fi < freshCount && fresh[fi] === r) fi++;
      r++;
      this.currentTask = t;
      const n = decider.decide(t);
      this.checkBudget();
      if (n >= 0) {
        decider.memo.dequeue(t);
        this.place(t, n);
        facts.queueLength--;
        continue;
      }
      q[w++] = t;
    }
    this.qLen = w;
    this.retryEveryStep = w > 0 && (decider.anyVolatile || !this.skip || this.dynamicOrder);
    const oldest = decider.memo.oldestLiveFailure();
    this.log.forgetBefore(oldest === Infinity ? this.log.position : oldest);
  }

  /**
   * Brings newly ready tasks into the queue in policy order (all keys recomputed when dynamic). Returns
   * how many were fresh with their queue positions in freshPos, or -1 when positions are not tracked.
   */
  private mergeFresh(): number {
    const fresh = this.fresh;
    const cmp = this.queueCmp;
    const tasks = this.tasks;
    if (this.dynamicOrder) {
      for (const t of fresh) this.queue[this.qLen++] = t;
      fresh.length = 0;
      const q = this.queue.subarray(0, this.qLen);
      for (let i = 0; i < q.length; i++) tasks.key[q[i]] = this.orderKey(q[i]);
      this.checkBudget();
      q.sort(cmp);
      return -1;
    }
    if (fresh.length === 0) return 0;
    let sorted = true;
    for (let i = 1; i < fresh.length && sorted; i++) if (cmp(fresh[i - 1], fresh[i]) > 0) sorted = false;
    if (!sorted) fresh.sort(cmp);
    // Merge two sorted runs into the spare buffer, then swap.
    const a = this.queue;
    const out = this.spare;
    const pos = this.freshPos;
    let i = 0;
    let j = 0;
    let k = 0;
    const na = this.qLen;
    const nb = fresh.length;
    while (i < na && j < nb) {
      if (cmp(a[i], fresh[j]) <= 0) out[k++] = a[i++];
      else {
        pos[j] = k;
        out[k++] = fresh[j++];
      }
    }
    while (i < na) out[k++] = a[i++];
    while (j < nb) {
      pos[j] = k;
      out[k++] = fresh[j++];
    }
    this.spare = a;
    this.queue = out;
    this.qLen = k;
    fresh.length = 0;
    return nb;
  }

  // ---- Placement and execution -------------------------------------------------------------------

  private place(t: number, n: number): void {
    const w = this.world;
    const tasks = this.tasks;
    const nodes = this.nodes;
    if (nodes.placed[n] === 0) nodes.openNode(n, this.now);
    tasks.epoch[t]++;
    tasks.node[t] = n;
    tasks.placedAt[t] = this.now;
    tasks.finishEst[t] = finishEstimate(w, this.env, t, n, this.now);
    tasks.start[t] = -1;
    const c = w.taskCores[t];
    nodes.placed[n]++;
    nodes.waiting[n]++;
    nodes.freeCores[n] -= c;
    this.tenantCores[w.taskTenant[t]] += c;
    if (w.nodeMemory[n] > 0) {
      nodes.freeMemory[n] -= w.taskMemory[t];
      this.tenantMemory[w.taskTenant[t]] += w.taskMemory[t];
    }
    nodes.link(n, t, tasks.prev, tasks.next, tasks.finishEst);
    this.facts.lastPlacedNode = n;
    this.touch(n);

    let delay = w.baseLatency(t, n);
    if (delay > 0) delay /= this.env.zoneFactor[w.nodeZone[n]];
    const l = w.linkFor(t, n);
    if (l >= 0) {
      tasks.phase[t] = Phase.Transfer;
      tasks.delay[t] = delay + w.linkLatency[l];
      this.links.join(l, t, w.taskData[t], this.now);
      this.touchLink(l);
    } else if (delay > 0) {
      tasks.phase[t] = Phase.Delay;
      this.heap.push(this.now + delay, Kind.DelayDone, t, tasks.epoch[t]);
    } else {
      this.reachNode(t, n);
    }
    this.changed(n);
  }

  /** The task (and its data) reached node n: run it (time-shared) or queue it for cores (space-shared). */
  private reachNode(t: number, n: number): void {
    const w = this.world;
    const tasks = this.tasks;
    const nodes = this.nodes;
    if (w.nodeTimeShared[n]) {
      nodes.settle(n, this.now);
      const c = w.taskCores[t];
      nodes.psHeap(n).push(nodes.psV[n] + w.tagLength(t, n), t);
      nodes.psAsked[n] += c;
      nodes.psUtil[n] += c * w.taskUtil[t];
      nodes.running[n]++;
      nodes.waiting[n]--;
      tasks.phase[t] = Phase.Running;
      tasks.start[t] = this.now;
      nodes.refresh(n);
      this.touch(n);
    } else {
      tasks.phase[t] = Phase.NodeQueued;
      tasks.fifoNext[t] = -1;
      if (nodes.fifoTail[n] >= 0) tasks.fifoNext[nodes.fifoTail[n]] = t;
      else nodes.fifoHead[n] = t;
      nodes.fifoTail[n] = t;
      this.startWaiting(n);
    }
    this.changed(n);
  }

  /** Space-shared: starts FIFO heads while their cores are free (no overtaking). */
  private startWaiting(n: number): void {
    const w = this.world;
    const tasks = this.tasks;
    const nodes = this.nodes;
    let started = false;
    while (nodes.fifoHead[n] >= 0) {
      const t = nodes.fifoHead[n];
      const c = w.taskCores[t];
      if (nodes.ssUsed[n] + c > w.nodeCores[n]) break;
      if (!started) nodes.settle(n, this.now);
      started = true;
      nodes.fifoHead[n] = tasks.fifoNext[t];
      if (nodes.fifoHead[n] < 0) nodes.fifoTail[n] = -1;
      nodes.ssUsed[n] += c;
      nodes.ssUtil[n] += c * w.taskUtil[t];
      nodes.running[n]++;
      nodes.waiting[n]--;
      tasks.phase[t] = Phase.Running;
      tasks.start[t] = this.now;
      this.heap.push(this.now + w.tagLength(t, n) / w.nodeMips[n], Kind.SsDone, t, tasks.epoch[t]);
    }
    if (started) {
      nodes.refresh(n);
      this.touch(n);
      this.changed(n);
    }
  }

  private onTsDone(n: number, version: number): boolean {
    const nodes = this.nodes;
    if (version !== nodes.psVersion[n] || !nodes.isUp(n)) return false;
    const w = this.world;
    nodes.settle(n, this.now);
    const heap = nodes.psHeap(n);
    const done = this.done;
    done.length = 0;
    // The earliest tag is due by construction of this event; others within tolerance finish with it.
    while (heap.size > 0) {
      const t = heap.topVal();
      if (done.length > 0 && heap.topKey() - nodes.psV[n] > DONE_TOLERANCE * w.tagLength(t, n)) break;
      heap.pop();
      done.push(t);
      const c = w.taskCores[t];
      nodes.psAsked[n] -= c;
      nodes.psUtil[n] -= c * w.taskUtil[t];
    }
    if (heap.size === 0) {
      nodes.psV[n] = 0;
      nodes.psAsked[n] = 0;
      nodes.psUtil[n] = 0;
    }
    nodes.refresh(n);
    this.touch(n);
    for (let i = 0; i < done.length; i++) this.complete(done[i]);
    return true;
  }

  private onSsDone(t: number, epoch: number): boolean {
    const tasks = this.tasks;
    if (tasks.epoch[t] !== epoch || tasks.phase[t] !== Phase.Running) return false;
    const w = this.world;
    const nodes = this.nodes;
    const n = tasks.node[t];
    nodes.settle(n, this.now);
    nodes.ssUsed[n] -= w.taskCores[t];
    nodes.ssUtil[n] -= w.taskCores[t] * w.taskUtil[t];
    if (nodes.ssUsed[n] === 0) nodes.ssUtil[n] = 0;
    nodes.refresh(n);
    this.touch(n);
    this.complete(t);
    this.startWaiting(n);
    return true;
  }

  private onLinkDone(l: number, version: number): boolean {
    if (version !== this.links.version[l]) return false;
    const arrived: number[] = [];
    this.links.finish(l, this.now, arrived);
    this.touchLink(l);
    const tasks = this.tasks;
    for (const t of arrived) {
      const delay = tasks.delay[t];
      if (delay > 0) {
        tasks.phase[t] = Phase.Delay;
        this.heap.push(this.now + delay, Kind.DelayDone, t, tasks.epoch[t]);
      } else {
        this.reachNode(t, tasks.node[t]);
      }
    }
    return true;
  }

  // ---- Failures ----------------------------------------------------------------------------------

  private onDeath(n: number, version: number): boolean {
    const nodes = this.nodes;
    if (version !== nodes.deathVersion[n] || !nodes.isUp(n) || !nodes.open[n]) return false;
    nodes.settle(n, this.now);
    nodes.energy[n] = this.world.nodeBudget[n];
    nodes.dead[n] = 1;
    this.goDown(n);
    return true;
  }

  /** Node n fails now: everything placed on it is killed and re-queued (or dropped past maxRetries). */
  private goDown(n: number): void {
    const w = this.world;
    const nodes = this.nodes;
    const tasks = this.tasks;
    nodes.settle(n, this.now);
    const victims: number[] = [];
    for (let t = nodes.listHead[n]; t >= 0; t = tasks.next[t]) victims.push(t);
    // Oldest placement first, so re-queueing is in a stable order.
    victims.reverse();
    for (const t of victims) {
      if (tasks.phase[t] === Phase.Transfer) {
        const l = this.links.taskLink[t];
        this.links.leave(t, this.now);
        if (l >= 0) this.touchLink(l);
      }
      if (this.attemptLog) {
        const list = this.attemptLog.get(t) ?? [];
        list.push({
          node: w.scenario.nodes[n].id,
          placedAt: tasks.placedAt[t],
          start: tasks.start[t] >= 0 ? tasks.start[t] : null,
          end: this.now,
          ended: 'killed',
        });
        this.attemptLog.set(t, list);
      }
      this.release(t, n);
      tasks.epoch[t]++;
    }
    nodes.psHeap(n).clear();
    nodes.psV[n] = 0;
    nodes.psAsked[n] = 0;
    nodes.psUtil[n] = 0;
    nodes.ssUsed[n] = 0;
    nodes.ssUtil[n] = 0;
    nodes.fifoHead[n] = -1;
    nodes.fifoTail[n] = -1;
    nodes.running[n] = 0;
    nodes.waiting[n] = 0;
    if (nodes.open[n]) nodes.closeNode(n, this.now);
    else nodes.refresh(n);
    nodes.downSince[n] = this.now;
    nodes.downIntervals?.[n].push(this.now, Infinity);
    this.upCores -= w.nodeCores[n];
    this.upMemory -= w.nodeMemory[n];
    this.touch(n);
    this.changed(n);
    for (const t of victims) {
      this.killed++;
      tasks.attempts[t]++;
      if (tasks.attempts[t] > w.scenario.maxRetries) {
        this.drop(t, Outcome.Dropped);
      } else {
        this.becomeReady(t);
      }
    }
  }

  private comeUp(n: number): void {
    const nodes = this.nodes;
    nodes.downTotal[n] += this.now - nodes.downSince[n];
    const iv = nodes.downIntervals?.[n];
    if (iv) iv[iv.length - 1] = this.now;
    this.upCores += this.world.nodeCores[n];
    this.upMemory += this.world.nodeMemory[n];
    nodes.lastT[n] = this.now;
    this.changed(n);
  }

  private environmentChanged(): void {
    // Prices and latencies are read without being marked volatile: a change invalidates every skip.
    for (let i = 0; i < this.qLen; i++) this.tasks.failedAt[this.queue[i]] = -1;
    this.decider.memo.invalidate(this.queue, this.qLen);
    this.passNeeded = true;
  }

  // ---- Bookkeeping -------------------------------------------------------------------------------

  /** Node n's placement state or availability changed: log it, re-index it, and try the queue. */
  private changed(n: number): void {
    this.log.record(n);
    if (this.index !== null && this.decider.indexed) this.index.update(n);
    this.passNeeded = true;
  }

  /** Node n's rates changed: its pending completion and energy-death events are stale. */
  private touch(n: number): void {
    this.nodes.psVersion[n]++;
    this.nodes.deathVersion[n]++;
    if (!this.nodeTouched[n]) {
      this.nodeTouched[n] = 1;
      this.touchedNodes.push(n);
    }
  }

  private touchLink(l: number): void {
    if (!this.linkTouched[l]) {
      this.linkTouched[l] = 1;
      this.touchedLinks.push(l);
    }
  }

  /** Schedules the next completion and energy death of every node and link changed at this instant. */
  private flush(): void {
    const w = this.world;
    const nodes = this.nodes;
    const now = this.now;
    for (const n of this.touchedNodes) {
      this.nodeTouched[n] = 0;
      if (!nodes.isUp(n)) continue;
      if (w.nodeTimeShared[n] && nodes.psAsked[n] > 0) {
        // Touched nodes are not always settled (a placement only reserves): bring V up to now first.
        nodes.settle(n, now);
        const heap = nodes.psHeap(n);
        this.heap.push(now + nodes.psTimeTo(n, heap.topKey()), Kind.TsDone, n, nodes.psVersion[n]);
      }
      const budget = w.nodeBudget[n];
      if (budget > 0 && nodes.open[n] && nodes.power[n] > 0) {
        const rest = Math.max(0, budget - nodes.energyAt(n, now));
        this.heap.push(now + rest / nodes.power[n], Kind.Death, n, nodes.deathVersion[n]);
      }
    }
    this.touchedNodes.length = 0;
    for (const l of this.touchedLinks) {
      this.linkTouched[l] = 0;
      const dt = this.links.nextFinish(l);
      if (dt >= 0) this.heap.push(now + dt, Kind.LinkDone, l, this.links.version[l]);
    }
    this.touchedLinks.length = 0;
  }

  /** Dominant share of a tenant: max over cores and memory of what it holds / what up nodes have. */
  private tenantShare(tenant: string): number {
    const i = this.tenantIndex.get(tenant);
    if (i === undefined) return 0;
    const c = this.upCores > 0 ? this.tenantCores[i] / this.upCores : 0;
    const m = this.upMemory > 0 ? this.tenantMemory[i] / this.upMemory : 0;
    return Math.max(c, m);
  }

  // ---- Results -----------------------------------------------------------------------------------

  metrics(): Metrics {
    const w = this.world;
    const tasks = this.tasks;
    const nodes = this.nodes;
    const T = w.T;
    const latencies = new Float64Array(this.completed);
    let k = 0;
    let sum = 0;
    let violations = 0;
    for (let t = 0; t < T; t++) {
      const sla = w.taskSla[t];
      if (tasks.phase[t] === Phase.Done) {
        const lat = tasks.finish[t] - w.taskArrival[t];
        latencies[k++] = lat;
        sum += lat;
        if (lat > sla * (1 + DONE_TOLERANCE)) violations++;
      } else if (sla !== Infinity) {
        violations++;
      }
    }
    latencies.sort();
    let energy = 0;
    let cost = 0;
    let busy = 0;
    for (let n = 0; n < w.N; n++) {
      energy += nodes.energy[n];
      cost += nodes.cost[n];
      busy += nodes.busyCoreSeconds[n];
    }
    const completed = this.completed;
    return {
      tasks: T,
      completed,
      dropped: T - completed,
      avgLatency: completed > 0 ? sum / completed : 0,
      p95Latency: completed > 0 ? latencies[Math.ceil(0.95 * completed) - 1] : 0,
      slaViolations: violations,
      slaViolationRate: T > 0 ? violations / T : 0,
      utilisation: nodes.openCoreSeconds > 0 ? Math.min(1, busy / nodes.openCoreSeconds) : 0,
      cost,
      energy,
      nodesUsed: nodes.nodesUsed,
      killed: this.killed,
      makespan: this.lastCompletion >= 0 ? this.lastCompletion : this.now,
      events: this.events,
    };
  }

  infeasible(): string[] {
    const out: string[] = [];
    for (let t = 0; t < this.world.T; t++) {
      if (this.tasks.outcome[t] === Outcome.Infeasible) out.push(this.world.scenario.tasks[t].id);
    }
    return out;
  }

  /** Whether task t completed (the reward's work share, sim/reward.ts). */
  readonly completedTask = (t: number): boolean => this.tasks.phase[t] === Phase.Done;

  explanation(): Explanation | undefined {
    return this.decider.explanation ?? undefined;
  }

  trace(): Trace {
    return buildTrace(this.world, this.tasks, this.nodes, this.attemptLog ?? new Map(), this.policy.document.name);
  }

  /** Which decision paths ran (for tests and benchmarks). */
  get decisionStats(): { full: number; indexed: number; restricted: number; skipped: number; alike: number; indexAbandoned: boolean } {
    return { ...this.decider.stats, indexAbandoned: this.decider.indexAbandoned };
  }
}
