// The static side of a run: the scenario flattened into typed arrays once, so the event loop never
// touches the parsed objects on a hot path. Also the facts that never change during a run: node
// groups (nodes with identical specs), zones, data sources, routes, dependency lists, and which task
// could fit on which kind of node at all.
import type { NodeSpec, Scenario } from '../scenario.js';

/** Reasons a node can never hold a task (they depend only on static specs). */
export const enum StaticFit {
  Ok = 0,
  Cores = 1,
  Memory = 2,
  Unreachable = 3,
  NoLink = 4,
}

/** Speed every `duration` task is converted at for TaskView.lengthMI (the policy-facing reference). */
export const REFERENCE_MIPS = 1000;

export class World {
  readonly N: number;
  readonly T: number;

  // Nodes.
  readonly nodeCores: Int32Array;
  readonly nodeMips: Float64Array;
  readonly nodeMemory: Float64Array;
  readonly nodeTimeShared: Uint8Array;
  readonly nodeZone: Int32Array;
  readonly nodeGroup: Int32Array;
  readonly nodeIdle: Float64Array;
  readonly nodePeak: Float64Array;
  readonly nodePrice: Float64Array;
  /** Energy budget in J, or 0 for none. */
  readonly nodeBudget: Float64Array;
  readonly nodeIndexById = new Map<string, number>();
  readonly groupCount: number;

  // Zones and data sources, numbered in first-seen order (scenario order, deterministic).
  readonly zones: string[] = [];
  readonly zoneIndex = new Map<string, number>();
  readonly sources: string[] = [];
  readonly sourceIndex = new Map<string, number>();
  /** groupLatency[s * groupCount + g]: one-way latency from source s to nodes of group g, or -1 when absent. */
  readonly groupLatency: Float64Array;

  // Links.
  readonly L: number;
  readonly linkSource: Int32Array;
  readonly linkZone: Int32Array;
  readonly linkBandwidth: Float64Array;
  readonly linkLatency: Float64Array;
  /** route[s * zones + z]: first link (scenario order) from source s into zone z, or -1. */
  readonly route: Int32Array;

  // Tasks.
  readonly taskCores: Int32Array;
  readonly taskMemory: Float64Array;
  /** MI per core, or 0 for a duration task. */
  readonly taskLength: Float64Array;
  /** Seconds on full cores, or 0 for a length task. */
  readonly taskDuration: Float64Array;
  readonly taskUtil: Float64Array;
  readonly taskArrival: Float64Array;
  readonly taskSla: Float64Array; // Infinity when absent
  readonly taskSource: Int32Array; // -1 when absent
  readonly taskData: Float64Array; // MB
  readonly taskTenant: Int32Array;
  readonly tenants: string[] = [];
  /** True when a dependency names no task: such a task is infeasible. */
  readonly taskBadDeps: Uint8Array;
  readonly depStart: Int32Array; // CSR: deps of t are deps[depStart[t] .. depStart[t+1])
  readonly deps: Int32Array;
  readonly childStart: Int32Array; // CSR: tasks that depend on t
  readonly children: Int32Array;
  /** Task indices sorted by (arrival, index): the order arrivals are processed in. */
  readonly arrivalOrder: Int32Array;

  /** Σ cores and memory (memory-modelled nodes) over all nodes, for tenant shares. */
  readonly totalCores: number;
  readonly totalMemory: number;

  /** Cached feasibility per task shape: can any node ever hold it? */
  private readonly feasibleByShape = new Map<string, boolean>();
  private readonly groupRep: Int32Array;

  constructor(readonly scenario: Scenario) {
    const { nodes, tasks, links } = scenario;
    const N = (this.N = nodes.length);
    const T = (this.T = tasks.length);

    this.nodeCores = new Int32Array(N);
    this.nodeMips = new Float64Array(N);
    this.nodeMemory = new Float64Array(N);
    this.nodeTimeShared = new Uint8Array(N);
    this.nodeZone = new Int32Array(N);
    this.nodeGroup = new Int32Array(N);
    this.nodeIdle = new Float64Array(N);
    this.nodePeak = new Float64Array(N);
    this.nodePrice = new Float64Array(N);
    this.nodeBudget = new Float64Array(N);

    const zoneOf = (z: string): number => {
      let i = this.zoneIndex.get(z);
      if (i === undefined) {
        i = this.zones.length;
        this.zones.push(z);
        this.zoneIndex.set(z, i);
      }
      return i;
    };
    const sourceOf = (s: string): number => {
      let i = this.sourceIndex.get(s);
      if (i === undefined) {
        i = this.sources.length;
        this.sources.push(s);
        this.sourceIndex.set(s, i);
      }
      return i;
    };

    const groupIds = new Map<string, number>();
    const groupReps: number[] = [];
    let totalCores = 0;
    let totalMemory = 0;
    for (let n = 0; n < N; n++) {
      const s = nodes[n];
      if (!this.nodeIndexById.has(s.id)) this.nodeIndexById.set(s.id, n);
      this.nodeCores[n] = s.cores;
      this.nodeMips[n] = s.mips;
      this.nodeMemory[n] = s.memory;
      this.nodeTimeShared[n] = s.mode === 'time-shared' ? 1 : 0;
      this.nodeZone[n] = zoneOf(s.zone);
      this.nodeIdle[n] = s.powerIdle;
      this.nodePeak[n] = s.powerPeak;
      this.nodePrice[n] = s.pricePerHour;
      this.nodeBudget[n] = s.energyBudget ?? 0;
      totalCores += s.cores;
      totalMemory += s.memory;
      const key = groupKey(s);
      let g = groupIds.get(key);
      if (g === undefined) {
        g = groupReps.length;
        groupIds.set(key, g);
        groupReps.push(n);
      }
      this.nodeGroup[n] = g;
      for (const src of Object.keys(s.latency).sort()) sourceOf(src);
    }
    this.totalCores = totalCores;
    this.totalMemory = totalMemory;
    this.groupCount = groupReps.length;
    this.groupRep = Int32Array.from(groupReps);

    // Links: sources and zones they mention exist even if no node or task names them.
    const L = (this.L = links.length);
    this.linkSource = new Int32Array(L);
    this.linkZone = new Int32Array(L);
    this.linkBandwidth = new Float64Array(L);
    this.linkLatency = new Float64Array(L);
    for (let l = 0; l < L; l++) {
      this.linkSource[l] = sourceOf(links[l].source);
      this.linkZone[l] = zoneOf(links[l].zone);
      this.linkBandwidth[l] = links[l].bandwidth;
      this.linkLatency[l] = links[l].latency;
    }

    // Tasks.
    this.taskCores = new Int32Array(T);
    this.taskMemory = new Float64Array(T);
    this.taskLength = new Float64Array(T);
    this.taskDuration = new Float64Array(T);
    this.taskUtil = new Float64Array(T);
    this.taskArrival = new Float64Array(T);
    this.taskSla = new Float64Array(T);
    this.taskSource = new Int32Array(T);
    this.taskData = new Float64Array(T);
    this.taskTenant = new Int32Array(T);
    this.taskBadDeps = new Uint8Array(T);
    const tenantIndex = new Map<string, number>();
    const taskIndexById = new Map<string, number>();
    for (let t = 0; t < T; t++) if (!taskIndexById.has(tasks[t].id)) taskIndexById.set(tasks[t].id, t);
    let depCount = 0;
    for (let t = 0; t < T; t++) depCount += tasks[t].deps.length;
    this.depStart = new Int32Array(T + 1);
    const depList = new Int32Array(depCount);
    const childCount = new Int32Array(T + 1);
    let d = 0;
    for (let t = 0; t < T; t++) {
      const s = tasks[t];
      this.taskCores[t] = s.cores;
      this.taskMemory[t] = s.memory;
      this.taskLength[t] = s.length ?? 0;
      this.taskDuration[t] = s.length === undefined ? (s.duration ?? 0) : 0;
      this.taskUtil[t] = s.utilisation;
      this.taskArrival[t] = s.arrival;
      this.taskSla[t] = s.sla ?? Infinity;
      this.taskSource[t] = s.source === undefined ? -1 : sourceOf(s.source);
      this.taskData[t] = s.dataSize;
      let ten = tenantIndex.get(s.tenant);
      if (ten === undefined) {
        ten = this.tenants.length;
        this.tenants.push(s.tenant);
        tenantIndex.set(s.tenant, ten);
      }
      this.taskTenant[t] = ten;
      this.depStart[t] = d;
      // Duplicate dependencies are kept once, so counting finished deps stays simple.
      const first = d;
      for (const depId of s.deps) {
        const j = taskIndexById.get(depId);
        if (j === undefined) {
          this.taskBadDeps[t] = 1;
          continue;
        }
        let dup = false;
        for (let k = first; k < d && !dup; k++) dup = depList[k] === j;
        if (dup) continue;
        depList[d++] = j;
        childCount[j]++;
      }
    }
    this.depStart[T] = d;
    this.deps = depList.subarray(0, d);
    this.childStart = new Int32Array(T + 1);
    for (let t = 0; t < T; t++) this.childStart[t + 1] = this.childStart[t] + childCount[t];
    this.children = new Int32Array(d);
    const fill = this.childStart.slice(0, T);
    for (let t = 0; t < T; t++) {
      for (let k = this.depStart[t]; k < this.depStart[t + 1]; k++) this.children[fill[this.deps[k]]++] = t;
    }

    // Per-group latencies and routes, now that every source and zone is numbered.
    const S = this.sources.length;
    const G = this.groupCount;
    this.groupLatency = new Float64Array(S * G).fill(-1);
    for (let g = 0; g < G; g++) {
      const lat = nodes[this.groupRep[g]].latency;
      for (const src of Object.keys(lat)) this.groupLatency[this.sourceIndex.get(src)! * G + g] = lat[src];
    }
    const Z = this.zones.length;
    this.route = new Int32Array(S * Z).fill(-1);
    for (let l = 0; l < L; l++) {
      const k = this.linkSource[l] * Z + this.linkZone[l];
      if (this.route[k] < 0) this.route[k] = l;
    }

    this.arrivalOrder = Int32Array.from({ length: T }, (_, i) => i);
    let sorted = true;
    for (let t = 1; t < T && sorted; t++) if (this.taskArrival[t] < this.taskArrival[t - 1]) sorted = false;
    if (!sorted) {
      const arr = this.taskArrival;
      this.arrivalOrder.sort((a, b) => arr[a] - arr[b] || a - b);
    }
  }

  /** Work of task t on node n in "tag" units: the time on full cores × the node's per-core speed. */
  tagLength(t: number, n: number): number {
    const len = this.taskLength[t];
    return len > 0 ? len / this.taskUtil[t] : this.taskDuration[t] * this.nodeMips[n];
  }

  /** MI per core the task really executes on node n (duration tasks: duration × mips × utilisation). */
  workPerCore(t: number, n: number): number {
    const len = this.taskLength[t];
    return len > 0 ? len : this.taskDuration[t] * this.nodeMips[n] * this.taskUtil[t];
  }

  /** Edge latency from the task's source to node n without congestion: 0 when none applies. */
  baseLatency(t: number, n: number): number {
    const s = this.taskSource[t];
    if (s < 0) return 0;
    const lat = this.groupLatency[s * this.groupCount + this.nodeGroup[n]];
    return lat < 0 ? 0 : lat;
  }

  /** The link a task's data travels on to node n, or -1 when no transfer is needed. */
  linkFor(t: number, n: number): number {
    const s = this.taskSource[t];
    if (s < 0 || this.taskData[t] <= 0 || this.L === 0) return -1;
    return this.route[s * this.zones.length + this.nodeZone[n]];
  }

  /** Why node n can never hold task t, judged from static specs only. */
  staticFit(t: number, n: number): StaticFit {
    if (this.taskCores[t] > this.nodeCores[n]) return StaticFit.Cores;
    const mem = this.nodeMemory[n];
    if (mem > 0 && this.taskMemory[t] > mem) return StaticFit.Memory;
    const s = this.taskSource[t];
    if (s >= 0) {
      const route = this.route[s * this.zones.length + this.nodeZone[n]];
      if (this.groupLatency[s * this.groupCount + this.nodeGroup[n]] < 0 && route < 0) return StaticFit.Unreachable;
      if (this.taskData[t] > 0 && this.L > 0 && route < 0) return StaticFit.NoLink;
    }
    return StaticFit.Ok;
  }

  /** Whether any node could ever hold task t (one check per node group and task shape). */
  feasible(t: number): boolean {
    const key = `${this.taskCores[t]}|${this.taskMemory[t]}|${this.taskSource[t]}|${this.taskData[t] > 0 ? 1 : 0}`;
    let ok = this.feasibleByShape.get(key);
    if (ok === undefined) {
      ok = false;
      for (let g = 0; g < this.groupCount && !ok; g++) ok = this.staticFit(t, this.groupRep[g]) === StaticFit.Ok;
      this.feasibleByShape.set(key, ok);
    }
    return ok && this.taskBadDeps[t] === 0;
  }

  /** The engine's words for a static misfit, for explanations. */
  staticReason(t: number, n: number, fit: StaticFit): string {
    const node = this.scenario.nodes[n];
    switch (fit) {
      case StaticFit.Cores:
        return `cores ${this.taskCores[t]} > node cores ${node.cores}`;
      case StaticFit.Memory:
        return `memory ${this.taskMemory[t]} GB > node memory ${node.memory} GB`;
      case StaticFit.Unreachable:
        return `unreachable from source ${this.sources[this.taskSource[t]]}`;
      case StaticFit.NoLink:
        return `no link from source ${this.sources[this.taskSource[t]]} to zone ${node.zone}`;
      case StaticFit.Ok:
        return '';
    }
  }
}

/** Everything about a node spec except its id: nodes with equal keys are interchangeable. */
function groupKey(s: NodeSpec): string {
  const lat = Object.keys(s.latency)
    .sort()
    .map((k) => [k, s.latency[k]]);
  return JSON.stringify([
    s.kind,
    s.zone,
    s.cores,
    s.mips,
    s.memory,
    s.mode,
    s.powerIdle,
    s.powerPeak,
    s.pricePerHour,
    s.reliability,
    s.energyBudget ?? null,
    lat,
  ]);
}
