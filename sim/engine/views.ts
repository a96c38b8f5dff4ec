// What a policy sees, as flyweights over the engine's arrays: one TaskView, one NodeView and one
// SimView are re-pointed for every evaluation, so deciding allocates nothing.
//
// Every getter that can differ between two nodes in the same index bucket, or that changes without a
// node changing, records that it was read (READ_* flags). The engine uses these records, not a list of
// feature names, to know when an evaluation on one node stands for a whole bucket and when a failed
// decision can be skipped until something it read changes: whatever the policy computes, it can only
// get at run state through these getters, so the records are complete.
import type { DecisionContext, NodeView, SimView, TaskView } from '../decision-context.js';
import type { NodeSpec, TaskSpec } from '../scenario.js';
import type { EnvironmentState } from './environment.js';
import type { NodeState } from './node-state.js';
import type { TaskState } from './task-state.js';
import { REFERENCE_MIPS, type World } from './world.js';
import type { Rng } from '../random.js';
import { rngFor } from '../random.js';
import { UNREACHABLE } from '../policy/features.js';

/** node.index was read. */
export const READ_INDEX = 1;
/** A per-node value that drifts with time (energy used, observed uptime) was read. */
export const READ_NODE_DRIFT = 2;
/** A run-wide value that changes without any node changing (now, queue length, last placed node, tenant shares). */
export const READ_SIM_DRIFT = 4;
/** A random draw was taken. */
export const READ_RANDOM = 8;
/**
 * A per-node value outside the candidate index's bucket key (node.latest_finish_est) was read: nodes in
 * one bucket may differ in it. It changes only when its node changes, so it is not volatile.
 */
export const READ_NODE_UNKEYED = 16;
/** Values that can change while no node changes: a failed decision that read them must be retried. */
export const READ_VOLATILE = READ_NODE_DRIFT | READ_SIM_DRIFT | READ_RANDOM;

/** Shared, mutable facts the views read and the engine keeps current. */
export interface RunFacts {
  now: number;
  queueLength: number;
  lastPlacedNode: number;
  /** READ_* flags of the current evaluation. */
  reads: number;
  /** TASK_* flags: which task fields the current decision read. */
  taskReads: number;
}

// Task fields, tracked so that two tasks whose read fields are equal are known to be decided alike.
export const TASK_INDEX = 1 << 0;
export const TASK_READY = 1 << 1;
export const TASK_ATTEMPTS = 1 << 2;
export const TASK_ID = 1 << 3;
export const TASK_ARRIVAL = 1 << 4;
export const TASK_CORES = 1 << 5;
/** length, duration, lengthMI, fixedDuration. */
export const TASK_WORK = 1 << 6;
export const TASK_MEMORY = 1 << 7;
export const TASK_PRIORITY = 1 << 8;
export const TASK_SLA = 1 << 9;
export const TASK_DEPS = 1 << 10;
export const TASK_UTILISATION = 1 << 11;
export const TASK_SOURCE = 1 << 12;
export const TASK_DATA = 1 << 13;
export const TASK_TENANT = 1 << 14;

/**
 * The task's spec as the policy sees it: the same values as the scenario's TaskSpec, read through
 * getters that record which fields were read.
 */
class TrackedTaskSpec {
  t = 0;
  constructor(
    private readonly specs: readonly TaskSpec[],
    private readonly facts: RunFacts,
  ) {}
  get id(): string {
    this.facts.taskReads |= TASK_ID;
    return this.specs[this.t].id;
  }
  get arrival(): number {
    this.facts.taskReads |= TASK_ARRIVAL;
    return this.specs[this.t].arrival;
  }
  get cores(): number {
    this.facts.taskReads |= TASK_CORES;
    return this.specs[this.t].cores;
  }
  get length(): number | undefined {
    this.facts.taskReads |= TASK_WORK;
    return this.specs[this.t].length;
  }
  get duration(): number | undefined {
    this.facts.taskReads |= TASK_WORK;
    return this.specs[this.t].duration;
  }
  get memory(): number {
    this.facts.taskReads |= TASK_MEMORY;
    return this.specs[this.t].memory;
  }
  get priority(): number {
    this.facts.taskReads |= TASK_PRIORITY;
    return this.specs[this.t].priority;
  }
  get sla(): number | undefined {
    this.facts.taskReads |= TASK_SLA;
    return this.specs[this.t].sla;
  }
  get deps(): string[] {
    this.facts.taskReads |= TASK_DEPS;
    return this.specs[this.t].deps;
  }
  get utilisation(): number {
    this.facts.taskReads |= TASK_UTILISATION;
    return this.specs[this.t].utilisation;
  }
  get source(): string | undefined {
    this.facts.taskReads |= TASK_SOURCE;
    return this.specs[this.t].source;
  }
  get dataSize(): number {
    this.facts.taskReads |= TASK_DATA;
    return this.specs[this.t].dataSize;
  }
  get tenant(): string {
    this.facts.taskReads |= TASK_TENANT;
    return this.specs[this.t].tenant;
  }
}

export class TaskViewImpl implements TaskView {
  private t_ = 0;
  private readonly tracked: TrackedTaskSpec;
  constructor(
    private readonly world: World,
    private readonly tasks: TaskState,
    private readonly facts: RunFacts,
  ) {
    this.tracked = new TrackedTaskSpec(world.scenario.tasks, facts);
  }
  get t(): number {
    return this.t_;
  }
  set t(value: number) {
    this.t_ = value;
    this.tracked.t = value;
  }
  get spec(): TaskSpec {
    return this.tracked as unknown as TaskSpec;
  }
  get index(): number {
    this.facts.taskReads |= TASK_INDEX;
    return this.t_;
  }
  get lengthMI(): number {
    this.facts.taskReads |= TASK_WORK;
    const len = this.world.taskLength[this.t_];
    return len > 0 ? len : this.world.taskDuration[this.t_] * REFERENCE_MIPS;
  }
  get fixedDuration(): number {
    this.facts.taskReads |= TASK_WORK;
    return this.world.taskDuration[this.t_];
  }
  get readyAt(): number {
    this.facts.taskReads |= TASK_READY;
    return this.tasks.readyAt[this.t_];
  }
  get attempts(): number {
    this.facts.taskReads |= TASK_ATTEMPTS;
    return this.tasks.attempts[this.t_];
  }
}

/**
 * The values of the fields in `mask` of task t, as a string: two tasks with equal keys read the same
 * values wherever a decision reads only those fields.
 */
export function taskKey(world: World, tasks: TaskState, mask: number, t: number): string {
  const s = world.scenario.tasks[t];
  let k = String(mask);
  if (mask & TASK_INDEX) k += '|' + t;
  if (mask & TASK_READY) k += '|' + tasks.readyAt[t];
  if (mask & TASK_ATTEMPTS) k += '|' + tasks.attempts[t];
  if (mask & TASK_ID) k += '|' + s.id;
  if (mask & TASK_ARRIVAL) k += '|' + s.arrival;
  if (mask & TASK_CORES) k += '|' + s.cores;
  if (mask & TASK_WORK) k += '|' + s.length + '/' + s.duration;
  if (mask & TASK_MEMORY) k += '|' + s.memory;
  if (mask & TASK_PRIORITY) k += '|' + s.priority;
  if (mask & TASK_SLA) k += '|' + s.sla;
  if (mask & TASK_DEPS) k += '|' + s.deps.length + ':' + s.deps.join(',');
  if (mask & TASK_UTILISATION) k += '|' + s.utilisation;
  if (mask & TASK_SOURCE) k += '|' + (s.source === undefined ? '' : '=' + s.source);
  if (mask & TASK_DATA) k += '|' + s.dataSize;
  if (mask & TASK_TENANT) k += '|' + s.tenant;
  return k;
}

export class NodeViewImpl implements NodeView {
  n = 0;
  constructor(
    private readonly world: World,
    private readonly nodes: NodeState,
    private readonly env: EnvironmentState,
    private readonly facts: RunFacts,
  ) {}
  get spec(): NodeSpec {
    return this.world.scenario.nodes[this.n];
  }
  get index(): number {
    this.facts.reads |= READ_INDEX;
    return this.n;
  }
  get freeCores(): number {
    return this.nodes.freeCores[this.n];
  }
  get freeMemory(): number {
    return this.nodes.freeMemory[this.n];
  }
  get running(): number {
    return this.nodes.running[this.n];
  }
  get queued(): number {
    return this.nodes.waiting[this.n];
  }
  get open(): boolean {
    return this.nodes.open[this.n] === 1;
  }
  get up(): boolean {
    return this.nodes.isUp(this.n);
  }
  get price(): number {
    return this.world.nodePrice[this.n] * this.env.multiplierOfNode(this.n);
  }
  get energyUsed(): number {
    this.facts.reads |= READ_NODE_DRIFT;
    return this.nodes.energyAt(this.n, this.facts.now);
  }
  get observedUptime(): number {
    this.facts.reads |= READ_NODE_DRIFT;
    return this.nodes.uptimeAt(this.n, this.facts.now);
  }
  /** Latest estimated finish of the tasks placed here, 0 when none (sim/policy/features.ts: EngineNodeView). */
  get latestFinishEst(): number {
    this.facts.reads |= READ_NODE_UNKEYED;
    return this.nodes.latestFinishEst[this.n];
  }
}

/**
 * The policy's random stream. Draws can be rewound (recreated and fast-forwarded), and during
 * explanations the draws a node's evaluation took are replayed so explaining changes nothing.
 */
export class PolicyRandom {
  private rng: Rng;
  draws = 0;
  /** Draws recorded per evaluation while explaining (null when not recording). */
  recording: number[] | null = null;
  replay: number[] | null = null;
  private replayAt = 0;

  constructor(
    private readonly seed: number,
    private readonly purpose: string,
  ) {
    this.rng = rngFor(seed, purpose);
  }

  next(): number {
    if (this.replay !== null) {
      // Explaining: serve the node's recorded draws; past their end, a fixed value (never the live stream).
      return this.replayAt < this.replay.length ? this.replay[this.replayAt++] : 0.5;
    }
    this.draws++;
    const v = this.rng.float();
    this.recording?.push(v);
    return v;
  }

  /** Puts the stream back to the state it had after `draws` draws. */
  rewind(draws: number): void {
    this.rng = rngFor(this.seed, this.purpose);
    for (let i = 0; i < draws; i++) this.rng.float();
    this.draws = draws;
  }

  startReplay(values: number[]): void {
    this.replay = values;
    this.replayAt = 0;
  }

  stopReplay(): void {
    this.replay = null;
  }
}

export class SimViewImpl implements SimView {
  constructor(
    private readonly world: World,
    private readonly env: EnvironmentState,
    private readonly facts: RunFacts,
    private readonly random_: PolicyRandom,
    private readonly tenantShare_: (tenant: string) => number,
  ) {}
  get now(): number {
    this.facts.reads |= READ_SIM_DRIFT;
    return this.facts.now;
  }
  get queueLength(): number {
    this.facts.reads |= READ_SIM_DRIFT;
    return this.facts.queueLength;
  }
  get lastPlacedNode(): number {
    this.facts.reads |= READ_SIM_DRIFT;
    return this.facts.lastPlacedNode;
  }
  get nodeCount(): number {
    return this.world.N;
  }
  tenantShare(tenant: string): number {
    this.facts.reads |= READ_SIM_DRIFT;
    return this.tenantShare_(tenant);
  }
  latency(source: string | undefined, node: NodeView): number {
    return sourceLatency(this.world, this.env, source, nodeIndexOf(node));
  }
  transferTime(source: string | undefined, megabytes: number, node: NodeView): number {
    return sourceTransferTime(this.world, this.env, source, megabytes, nodeIndexOf(node));
  }
  random(): number {
    this.facts.reads |= READ_RANDOM;
    return this.random_.next();
  }
}

/** A node view's index without marking it read (the engine's own bookkeeping, not the policy's). */
function nodeIndexOf(node: NodeView): number {
  return node instanceof NodeViewImpl ? node.n : node.index;
}

/** One-way latency from a source to a node with congestion in force; Infinity when unreachable. */
export function sourceLatency(world: World, env: EnvironmentState, source: string | undefined, n: number): number {
  if (source === undefined) return 0;
  const s = world.sourceIndex.get(source);
  if (s === undefined) return Infinity;
  const lat = world.groupLatency[s * world.groupCount + world.nodeGroup[n]];
  const zone = world.nodeZone[n];
  if (lat < 0) return world.route[s * world.zones.length + zone] >= 0 ? 0 : Infinity;
  return lat / env.zoneFactor[zone];
}

/** Estimated time in s to move `megabytes` from a source to node n at the bandwidth in force; Infinity when unreachable. */
export function sourceTransferTime(world: World, env: EnvironmentState, source: string | undefined, megabytes: number, n: number): number {
  if (source === undefined || !(megabytes > 0) || world.L === 0) return 0;
  const s = world.sourceIndex.get(source);
  if (s === undefined) return Infinity;
  const l = world.route[s * world.zones.length + world.nodeZone[n]];
  if (l < 0) return Infinity;
  return (megabytes * 8) / (world.linkBandwidth[l] * env.linkFactor[l]) + world.linkLatency[l];
}

/**
 * Task t's estimated finish if placed on node n at `now`: the value node.finish_est shows the policy
 * (now + latency + transfer + run time at its full share, queueing ignored), computed in the same order
 * so the two agree to the bit (with the same stand-in for an unreachable source).
 */
export function finishEstimate(world: World, env: EnvironmentState, t: number, n: number, now: number): number {
  const spec = world.scenario.tasks[t];
  const latency = orUnreachable(sourceLatency(world, env, spec.source, n));
  const transfer = orUnreachable(sourceTransferTime(world, env, spec.source, spec.dataSize, n));
  const duration = world.taskDuration[t];
  const length = world.taskLength[t] > 0 ? world.taskLength[t] : duration * REFERENCE_MIPS;
  const exec = duration > 0 ? duration : length / (world.nodeMips[n] * spec.utilisation);
  return now + latency + transfer + exec;
}

const orUnreachable = (v: number): number => (Number.isFinite(v) ? v : UNREACHABLE);

/** The single decision context the engine re-points for every evaluation. */
export interface Flyweights {
  ctx: DecisionContext;
  task: TaskViewImpl;
  node: NodeViewImpl;
}
