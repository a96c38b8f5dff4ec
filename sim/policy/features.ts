// The named features a policy expression may read. Every feature is a number (conditions come from
// comparisons), has a unit and a one-line meaning, and says what it depends on, so the engine knows
// when an exact index over nodes is safe. docs/features.md is generated from this table.
import type { DecisionContext, NodeView } from '../decision-context.js';

/**
 * What a feature's value depends on, besides the task being placed:
 * - static: the node's spec only (or, for task features, the task's own state while it waits);
 * - dynamic: the node's live state (free cores and memory, running, queued, open) or run state;
 * - index: the node's position; rr: the node that received the previous placement;
 * - random: a fresh draw from the run's seeded stream; time: the clock or things that change with it.
 */
export type FeatureDepends = 'static' | 'dynamic' | 'index' | 'rr' | 'random' | 'time';

/**
 * What a feature means in online bin packing (sim/binpack), where a node is a bin and a task an item.
 * `kind` tells the packer when bins with the same free capacity must get the same value:
 * task/run/constant/free/open values do; index, items, rr and random do not. `history` values (counts
 * over the open bins and the items packed so far) are the same for bins with the same free capacity
 * too, but change from item to item, so they cannot be remembered across items.
 */
export interface BinpackMeaning {
  readonly kind: 'task' | 'run' | 'constant' | 'free' | 'open' | 'index' | 'items' | 'rr' | 'random' | 'history';
  readonly doc: string;
}

export interface FeatureDef {
  readonly name: string;
  readonly unit: string;
  readonly doc: string;
  /** Needs a node: valid in filter and score only, not in order or admit. */
  readonly needsNode: boolean;
  readonly depends: FeatureDepends;
  /** Always finite when the context is well-formed. */
  readonly get: (ctx: DecisionContext) => number;
  /** Absent: the feature has no meaning for bins and is a compile-time error in bin packing. */
  readonly binpack?: BinpackMeaning;
  /**
   * false: the feature means something in bin packing only and is a compile-time error in scheduling
   * (the scenario engine keeps no such counts). Absent: valid in scheduling.
   */
  readonly scheduling?: false;
}

/**
 * What the bin packer keeps besides the bin being scored (sim/binpack/bin-context.ts): how many open
 * bins have each remaining capacity, and the sizes of the items packed so far. Every read is O(1) or
 * O(log capacity).
 */
export interface BinHistoryView {
  /** Open bins whose remaining capacity is exactly `free`. */
  openBinsWithFree(free: number): number;
  /** Items packed so far, the one being placed included, whose size is at most `size`. */
  itemsSeenAtMost(size: number): number;
  /** Items packed so far, the one being placed included. */
  readonly itemsSeen: number;
}

const binHistory = (ctx: DecisionContext): BinHistoryView | null => {
  const s = ctx.sim as Partial<BinHistoryView>;
  return typeof s.openBinsWithFree === 'function' ? (s as BinHistoryView) : null;
};

/**
 * What the scenario engine keeps about a node besides the NodeView contract (sim/engine/views.ts). The
 * bin packer and hand-built test contexts do not have it; the features reading it are scheduling-only
 * and read 0 without it.
 */
export interface EngineNodeView {
  /** Latest estimated finish (node.finish_est at placement) of the tasks placed on the node, 0 when none, s. */
  readonly latestFinishEst: number;
}

const latestFinishEst = (ctx: DecisionContext): number => (ctx.node as Partial<EngineNodeView> | null)?.latestFinishEst ?? 0;

/** Stands for "no SLA" in task.sla, task.deadline and the slack features, s (about 31.7 years). */
export const NO_SLA = 1e9;
/** Stands for "unreachable" in node.latency, node.transfer and node.finish_est, s. */
export const UNREACHABLE = 1e9;
/** node.cpu_residual and node.mem_residual when the task does not fit at all. */
export const NO_FIT = 1e9;
/** The reference core speed that task.duration_est assumes, MIPS. */
export const REFERENCE_MIPS = 1000;

const node = (ctx: DecisionContext): NodeView => ctx.node as NodeView;
const modelsMemory = (n: NodeView): boolean => n.spec.memory > 0;
const b = (v: boolean): number => (v ? 1 : 0);

// Shared pieces, written once so related features agree exactly.
const freeCoresAfter = (ctx: DecisionContext): number => node(ctx).freeCores - ctx.task.spec.cores;
const freeMemory = (n: NodeView): number => (modelsMemory(n) ? n.freeMemory : 0);
/** Memory is ignored on nodes that do not model it (spec.memory 0): the task's memory counts as 0 there. */
const freeMemoryAfter = (ctx: DecisionContext): number => {
  const n = node(ctx);
  return modelsMemory(n) ? n.freeMemory - ctx.task.spec.memory : 0;
};
const cpuFreeFracAfter = (ctx: DecisionContext): number => freeCoresAfter(ctx) / node(ctx).spec.cores;
const memFreeFracAfter = (ctx: DecisionContext): number => {
  const n = node(ctx);
  return modelsMemory(n) ? freeMemoryAfter(ctx) / n.spec.memory : 1;
};
const cpuAllocFracAfter = (ctx: DecisionContext): number => {
  const n = node(ctx);
  return (n.spec.cores - freeCoresAfter(ctx)) / n.spec.cores;
};
const memAllocFracAfter = (ctx: DecisionContext): number => {
  const n = node(ctx);
  return modelsMemory(n) ? (n.spec.memory - freeMemoryAfter(ctx)) / n.spec.memory : 0;
};
const finite = (v: number, fallback: number): number => (Number.isFinite(v) ? v : fallback);
const sla = (ctx: DecisionContext): number => ctx.task.spec.sla ?? NO_SLA;
const deadline = (ctx: DecisionContext): number => ctx.task.spec.arrival + sla(ctx);
const latency = (ctx: DecisionContext): number => finite(ctx.sim.latency(ctx.task.spec.source, node(ctx)), UNREACHABLE);
const transfer = (ctx: DecisionContext): number =>
  finite(ctx.sim.transferTime(ctx.task.spec.source, ctx.task.spec.dataSize, node(ctx)), UNREACHABLE);
const execTime = (ctx: DecisionContext): number => {
  const t = ctx.task;
  return t.fixedDuration > 0 ? t.fixedDuration : t.lengthMI / (node(ctx).spec.mips * t.spec.utilisation);
};
const finishEst = (ctx: DecisionContext): number => ctx.sim.now + latency(ctx) + transfer(ctx) + execTime(ctx);

const FREE = (doc: string): BinpackMeaning => ({ kind: 'free', doc });
const CONSTANT = (doc: string): BinpackMeaning => ({ kind: 'constant', doc });

const DEFINITIONS: FeatureDef[] = [
  // ---- task ----
  {
    name: 'task.cores', unit: 'cores', doc: 'cores the task asks for', needsNode: false, depends: 'static',
    get: (c) => c.task.spec.cores, binpack: { kind: 'task', doc: 'the item size' },
  },
  {
    name: 'task.memory', unit: 'GB', doc: 'memory the task asks for', needsNode: false, depends: 'static',
    get: (c) => c.task.spec.memory, binpack: { kind: 'task', doc: '0 (bins have one dimension)' },
  },
  {
    name: 'task.length', unit: 'MI per core', doc: 'work per core (from length, or duration × 1000 MIPS)', needsNode: false, depends: 'static',
    get: (c) => c.task.lengthMI,
  },
  {
    name: 'task.work', unit: 'MI', doc: 'total work: task.length × task.cores', needsNode: false, depends: 'static',
    get: (c) => c.task.lengthMI * c.task.spec.cores,
  },
  {
    name: 'task.duration_est', unit: 's', doc: 'run time on cores of 1000 MIPS at its CPU utilisation (the given duration when it has one)', needsNode: false, depends: 'static',
    get: (c) => (c.task.fixedDuration > 0 ? c.task.fixedDuration : c.task.lengthMI / (REFERENCE_MIPS * c.task.spec.utilisation)),
  },
  {
    name: 'task.priority', unit: '1–5', doc: 'priority, 5 highest', needsNode: false, depends: 'static',
    get: (c) => c.task.spec.priority,
  },
  {
    name: 'task.sla', unit: 's', doc: `latency objective (finish − arrival); ${NO_SLA} when the task has none`, needsNode: false, depends: 'static',
    get: sla,
  },
  {
    name: 'task.has_sla', unit: '0/1', doc: '1 when the task has an SLA', needsNode: false, depends: 'static',
    get: (c) => b(c.task.spec.sla !== undefined),
  },
  {
    name: 'task.arrival', unit: 's', doc: 'arrival time', needsNode: false, depends: 'static',
    get: (c) => c.task.spec.arrival, binpack: { kind: 'task', doc: 'position of the item in the arrival order (0-based)' },
  },
  {
    name: 'task.ready', unit: 's', doc: 'time the task became ready (arrived and its dependencies finished)', needsNode: false, depends: 'static',
    get: (c) => c.task.readyAt, binpack: { kind: 'task', doc: 'position of the item in the arrival order' },
  },
  {
    name: 'task.wait', unit: 's', doc: 'time waited so far: now − arrival', needsNode: false, depends: 'time',
    get: (c) => c.sim.now - c.task.spec.arrival,
  },
  {
    name: 'task.deadline', unit: 's', doc: `arrival + sla (arrival + ${NO_SLA} without an SLA)`, needsNode: false, depends: 'static',
    get: deadline,
  },
  {
    name: 'task.slack', unit: 's', doc: 'time left to the deadline: task.deadline − now (negative once late)', needsNode: false, depends: 'time',
    get: (c) => deadline(c) - c.sim.now,
  },
  {
    name: 'task.utilisation', unit: 'fraction', doc: "CPU utilisation factor: the task runs at this fraction of its share's speed", needsNode: false, depends: 'static',
    get: (c) => c.task.spec.utilisation,
  },
  {
    name: 'task.data_size', unit: 'MB', doc: 'input data to transfer from its source', needsNode: false, depends: 'static',
    get: (c) => c.task.spec.dataSize,
  },
  {
    name: 'task.deps', unit: 'tasks', doc: 'number of tasks it depends on', needsNode: false, depends: 'static',
    get: (c) => c.task.spec.deps.length,
  },
  {
    name: 'task.attempts', unit: 'times', doc: 'times a failure has killed it so far (constant while it waits)', needsNode: false, depends: 'static',
    get: (c) => c.task.attempts,
  },
  {
    name: 'task.index', unit: 'position', doc: "position in the scenario's task list", needsNode: false, depends: 'static',
    get: (c) => c.task.index, binpack: { kind: 'task', doc: 'position of the item in the arrival order' },
  },
  {
    name: 'task.has_source', unit: '0/1', doc: '1 when the task reads data from a source (edge and network)', needsNode: false, depends: 'static',
    get: (c) => b(c.task.spec.source !== undefined),
  },
  {
    name: 'tenant.share', unit: 'fraction', doc: "dominant resource share held now by the task's tenant (DRF)", needsNode: false, depends: 'dynamic',
    get: (c) => c.sim.tenantShare(c.task.spec.tenant),
  },
  // ---- run ----
  {
    name: 'now', unit: 's', doc: 'simulation time of the decision', needsNode: false, depends: 'time',
    get: (c) => c.sim.now, binpack: { kind: 'run', doc: 'position of the item being packed' },
  },
  {
    name: 'random', unit: '[0, 1)', doc: "a fresh uniform draw from the run's seeded policy stream at every read", needsNode: false, depends: 'random',
    get: (c) => c.sim.random(), binpack: { kind: 'random', doc: 'a fresh uniform draw at every read (seeded)' },
  },
  {
    name: 'sim.queue_length', unit: 'tasks', doc: 'ready tasks not yet placed', needsNode: false, depends: 'dynamic',
    get: (c) => c.sim.queueLength, binpack: { kind: 'run', doc: 'items not yet packed, this one included' },
  },
  {
    name: 'sim.node_count', unit: 'nodes', doc: 'nodes in the scenario', needsNode: false, depends: 'static',
    get: (c) => c.sim.nodeCount, binpack: { kind: 'run', doc: 'bins opened so far + 1 (the empty bin on offer)' },
  },
  // ---- node: spec ----
  {
    name: 'node.index', unit: 'position', doc: "position in the scenario's node list (first-fit reads it)", needsNode: true, depends: 'index',
    get: (c) => node(c).index, binpack: { kind: 'index', doc: 'bin number in opening order; the empty bin on offer has the next number' },
  },
  {
    name: 'node.cores', unit: 'cores', doc: 'cores of the node', needsNode: true, depends: 'static',
    get: (c) => node(c).spec.cores, binpack: CONSTANT('the bin capacity'),
  },
  {
    name: 'node.mips', unit: 'MIPS', doc: 'speed of one core', needsNode: true, depends: 'static',
    get: (c) => node(c).spec.mips,
  },
  {
    name: 'node.memory', unit: 'GB', doc: 'memory of the node (0: memory is not modelled there)', needsNode: true, depends: 'static',
    get: (c) => node(c).spec.memory, binpack: CONSTANT('0 (memory is not modelled)'),
  },
  {
    name: 'node.power_idle', unit: 'W', doc: 'power drawn while open and idle', needsNode: true, depends: 'static',
    get: (c) => node(c).spec.powerIdle,
  },
  {
    name: 'node.power_peak', unit: 'W', doc: 'power drawn while open and fully busy', needsNode: true, depends: 'static',
    get: (c) => node(c).spec.powerPeak,
  },
  {
    name: 'node.reliability', unit: '0–1', doc: 'advertised probability of staying up', needsNode: true, depends: 'static',
    get: (c) => node(c).spec.reliability,
  },
  {
    name: 'node.is_edge', unit: '0/1', doc: '1 for edge servers and devices, 0 for cloud hosts', needsNode: true, depends: 'static',
    get: (c) => b(node(c).spec.kind !== 'host'),
  },
  {
    name: 'node.is_device', unit: '0/1', doc: '1 for end devices', needsNode: true, depends: 'static',
    get: (c) => b(node(c).spec.kind === 'device'),
  },
  {
    name: 'node.exec_time', unit: 's', doc: 'run time of the task here at its full share: length ÷ (mips × utilisation), or its given duration', needsNode: true, depends: 'static',
    get: execTime,
  },
  // ---- node: live state ----
  {
    name: 'node.free_cores', unit: 'cores', doc: 'cores not asked for by tasks placed here (below 0 when a time-shared node is oversubscribed)', needsNode: true, depends: 'dynamic',
    get: (c) => node(c).freeCores, binpack: FREE('remaining capacity of the bin'),
  },
  {
    name: 'node.free_memory', unit: 'GB', doc: 'memory not held by tasks placed here (0 where memory is not modelled)', needsNode: true, depends: 'dynamic',
    get: (c) => freeMemory(node(c)), binpack: CONSTANT('0'),
  },
  {
    name: 'node.free_cores_after', unit: 'cores', doc: 'node.free_cores − task.cores: what placing the task here would leave', needsNode: true, depends: 'dynamic',
    get: freeCoresAfter, binpack: FREE('remaining capacity − item size'),
  },
  {
    name: 'node.free_memory_after', unit: 'GB', doc: 'node.free_memory − task.memory (0 where memory is not modelled)', needsNode: true, depends: 'dynamic',
    get: freeMemoryAfter, binpack: CONSTANT('0'),
  },
  {
    name: 'node.cpu_free_frac', unit: 'fraction', doc: 'node.free_cores ÷ node.cores, now', needsNode: true, depends: 'dynamic',
    get: (c) => node(c).freeCores / node(c).spec.cores, binpack: FREE('remaining capacity ÷ capacity'),
  },
  {
    name: 'node.mem_free_frac', unit: 'fraction', doc: 'node.free_memory ÷ node.memory, now (1 where memory is not modelled)', needsNode: true, depends: 'dynamic',
    get: (c) => (modelsMemory(node(c)) ? node(c).freeMemory / node(c).spec.memory : 1), binpack: CONSTANT('1'),
  },
  {
    name: 'node.cpu_free_frac_after', unit: 'fraction', doc: 'node.free_cores_after ÷ node.cores', needsNode: true, depends: 'dynamic',
    get: cpuFreeFracAfter, binpack: FREE('(remaining capacity − item size) ÷ capacity'),
  },
  {
    name: 'node.mem_free_frac_after', unit: 'fraction', doc: 'node.free_memory_after ÷ node.memory (1 where memory is not modelled)', needsNode: true, depends: 'dynamic',
    get: memFreeFracAfter, binpack: CONSTANT('1'),
  },
  {
    name: 'node.cpu_alloc_frac_after', unit: 'fraction', doc: '(node.cores − node.free_cores_after) ÷ node.cores: share of cores asked for once the task is placed', needsNode: true, depends: 'dynamic',
    get: cpuAllocFracAfter, binpack: FREE('fill level of the bin with the item in it'),
  },
  {
    name: 'node.mem_alloc_frac_after', unit: 'fraction', doc: 'share of memory held once the task is placed (0 where memory is not modelled)', needsNode: true, depends: 'dynamic',
    get: memAllocFracAfter, binpack: CONSTANT('0'),
  },
  {
    name: 'node.cpu_residual', unit: 'fraction', doc: `task.cores ÷ node.free_cores: share of the free CPU the task would take (at most ${NO_FIT}, also when no core is free)`, needsNode: true, depends: 'dynamic',
    get: (c) => (node(c).freeCores > 0 ? Math.min(NO_FIT, c.task.spec.cores / node(c).freeCores) : NO_FIT), binpack: FREE('item size ÷ remaining capacity'),
  },
  {
    name: 'node.mem_residual', unit: 'fraction', doc: `task.memory ÷ node.free_memory (0 where memory is not modelled or the task needs none; at most ${NO_FIT}, also when none is free)`, needsNode: true, depends: 'dynamic',
    get: (c) => {
      const n = node(c);
      const need = c.task.spec.memory;
      if (!modelsMemory(n) || need === 0) return 0;
      return n.freeMemory > 0 ? Math.min(NO_FIT, need / n.freeMemory) : NO_FIT;
    },
    binpack: CONSTANT('0'),
  },
  {
    name: 'node.load', unit: 'fraction', doc: '(node.cores − node.free_cores) ÷ node.cores: share of cores asked for now', needsNode: true, depends: 'dynamic',
    get: (c) => (node(c).spec.cores - node(c).freeCores) / node(c).spec.cores, binpack: FREE('fill level of the bin before the item'),
  },
  {
    name: 'node.alignment', unit: 'fraction²', doc: "Tetris alignment: the task's demand times the node's free capacity, both ÷ node capacity, summed over CPU and (where modelled) memory", needsNode: true, depends: 'dynamic',
    get: (c) => {
      const n = node(c);
      const t = c.task.spec;
      let a = (t.cores / n.spec.cores) * (n.freeCores / n.spec.cores);
      if (modelsMemory(n)) a += (t.memory / n.spec.memory) * (n.freeMemory / n.spec.memory);
      return a;
    },
    binpack: FREE('(item size ÷ capacity) × (remaining capacity ÷ capacity)'),
  },
  {
    name: 'node.running', unit: 'tasks', doc: 'tasks executing on the node now', needsNode: true, depends: 'dynamic',
    get: (c) => node(c).running, binpack: { kind: 'items', doc: 'items in the bin' },
  },
  {
    name: 'node.queued', unit: 'tasks', doc: 'tasks placed on the node that wait for cores or data', needsNode: true, depends: 'dynamic',
    get: (c) => node(c).queued, binpack: CONSTANT('0'),
  },
  {
    name: 'node.tasks', unit: 'tasks', doc: 'node.running + node.queued', needsNode: true, depends: 'dynamic',
    get: (c) => node(c).running + node(c).queued, binpack: { kind: 'items', doc: 'items in the bin' },
  },
  {
    name: 'node.open', unit: '0/1', doc: '1 while the node is open (has work and is paid for)', needsNode: true, depends: 'dynamic',
    get: (c) => b(node(c).open), binpack: { kind: 'open', doc: '1 for a bin in use, 0 for the empty bin on offer' },
  },
  {
    name: 'node.power_delta', unit: 'W', doc: "estimated extra power of placing the task: (peak − idle) × min(task.cores, node.cores) ÷ node.cores × task.utilisation, plus idle power if the node is closed", needsNode: true, depends: 'dynamic',
    get: (c) => {
      const n = node(c);
      const s = n.spec;
      const busy = (s.powerPeak - s.powerIdle) * (Math.min(c.task.spec.cores, s.cores) / s.cores) * c.task.spec.utilisation;
      return busy + (n.open ? 0 : s.powerIdle);
    },
  },
  {
    name: 'node.rr_distance', unit: 'steps', doc: 'steps after the node that received the previous placement, cyclic (0: the next one; node.index before any placement)', needsNode: true, depends: 'rr',
    get: (c) => {
      const count = c.sim.nodeCount;
      const d = (node(c).index - c.sim.lastPlacedNode - 1) % count;
      return d < 0 ? d + count : d;
    },
    binpack: { kind: 'rr', doc: 'bins after the one that took the previous item, cyclic over the bins opened so far + the empty one' },
  },
  {
    name: 'node.last_distance', unit: 'steps', doc: 'steps from the node that received the previous placement, cyclic, that node itself 0 (node.index before any placement)', needsNode: true, depends: 'rr',
    get: (c) => {
      const count = c.sim.nodeCount;
      const d = (node(c).index - Math.max(0, c.sim.lastPlacedNode)) % count;
      return d < 0 ? d + count : d;
    },
    binpack: { kind: 'rr', doc: 'bins from the one that took the previous item, cyclic over the bins opened so far + the empty one' },
  },
  {
    name: 'node.latest_finish_est', unit: 's', doc: 'latest estimated finish of the tasks placed on the node: the largest node.finish_est any of them had when placed (0 when none; may be past when a task overruns)', needsNode: true, depends: 'dynamic',
    get: latestFinishEst,
  },
  // ---- node: bin packing history (no meaning in scheduling) ----
  {
    name: 'node.same_free_bins', unit: 'bins', doc: 'bin packing only', needsNode: true, depends: 'dynamic', scheduling: false,
    get: (c) => binHistory(c)?.openBinsWithFree(node(c).freeCores) ?? 0,
    binpack: { kind: 'history', doc: "open bins whose remaining capacity equals this bin's, this one included (the empty bin on offer is not open and so not counted)" },
  },
  {
    name: 'node.same_free_bins_after', unit: 'bins', doc: 'bin packing only', needsNode: true, depends: 'dynamic', scheduling: false,
    get: (c) => binHistory(c)?.openBinsWithFree(freeCoresAfter(c)) ?? 0,
    binpack: { kind: 'history', doc: "open bins whose remaining capacity equals this bin's remaining capacity after the item (the sum-of-squares rule's N(gap after)); a full bin has remaining capacity 0" },
  },
  {
    name: 'node.seen_fit_after', unit: 'fraction', doc: 'bin packing only', needsNode: true, depends: 'dynamic', scheduling: false,
    get: (c) => {
      const h = binHistory(c);
      return h === null || h.itemsSeen === 0 ? 0 : h.itemsSeenAtMost(freeCoresAfter(c)) / h.itemsSeen;
    },
    binpack: { kind: 'history', doc: "share of the items packed so far, this one included, that would fit in this bin's remaining capacity after the item (an online estimate of how likely a later item fits the gap)" },
  },
  // ---- node: time-varying ----
  {
    name: 'node.price', unit: 'price/h', doc: 'price per hour in force now', needsNode: true, depends: 'time',
    get: (c) => node(c).price,
  },
  {
    name: 'node.price_per_core', unit: 'price/h/core', doc: 'node.price ÷ node.cores', needsNode: true, depends: 'time',
    get: (c) => node(c).price / node(c).spec.cores,
  },
  {
    name: 'node.cost_est', unit: 'price', doc: "estimated cost of running the task here: price × exec time, times the task's share of cores if the node is open (the whole node if it would open for it)", needsNode: true, depends: 'time',
    get: (c) => {
      const n = node(c);
      const share = n.open ? Math.min(1, c.task.spec.cores / n.spec.cores) : 1;
      return (n.price / 3600) * execTime(c) * share;
    },
  },
  {
    name: 'node.uptime', unit: 'fraction', doc: 'fraction of elapsed time the node has been up so far (1 before any failure)', needsNode: true, depends: 'time',
    get: (c) => node(c).observedUptime,
  },
  {
    name: 'node.energy_left_frac', unit: 'fraction', doc: 'share of the energy budget left (1 without a budget)', needsNode: true, depends: 'time',
    get: (c) => {
      const n = node(c);
      const budget = n.spec.energyBudget;
      return budget === undefined ? 1 : Math.max(0, budget - n.energyUsed) / budget;
    },
  },
  {
    name: 'node.energy_used', unit: 'J', doc: 'energy the node has drawn so far', needsNode: true, depends: 'time',
    get: (c) => node(c).energyUsed,
  },
  {
    name: 'node.latency', unit: 's', doc: `one-way latency from the task's data source to the node with congestion in force (0 without a source; ${UNREACHABLE} when unreachable)`, needsNode: true, depends: 'time',
    get: latency,
  },
  {
    name: 'node.reachable', unit: '0/1', doc: "1 when the task's data source can reach the node", needsNode: true, depends: 'time',
    get: (c) => b(Number.isFinite(c.sim.latency(c.task.spec.source, node(c)))),
  },
  {
    name: 'node.transfer', unit: 's', doc: `estimated time to move the task's input data to the node at the bandwidth in force (${UNREACHABLE} when unreachable)`, needsNode: true, depends: 'time',
    get: transfer,
  },
  {
    name: 'node.finish_est', unit: 's', doc: 'estimated finish time: now + node.latency + node.transfer + node.exec_time (ignores queueing)', needsNode: true, depends: 'time',
    get: finishEst,
  },
  {
    name: 'node.sla_slack_after', unit: 's', doc: 'task.deadline − node.finish_est: time to spare if placed here (negative: would miss its SLA)', needsNode: true, depends: 'time',
    get: (c) => deadline(c) - finishEst(c),
  },
];

/** Every feature, in documentation order. */
export const FEATURES: readonly FeatureDef[] = DEFINITIONS;

const BY_NAME: ReadonlyMap<string, FeatureDef> = new Map(DEFINITIONS.map((f) => [f.name, f]));

/** The definition of a feature, or undefined for an unknown name. */
export function featureDef(name: string): FeatureDef | undefined {
  return BY_NAME.get(name);
}

/** All feature names, sorted. */
export const FEATURE_NAMES: readonly string[] = [...BY_NAME.keys()].sort();
