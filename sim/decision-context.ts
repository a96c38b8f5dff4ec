// What a policy may see when it places one task: the contract between the engine (which keeps these
// values current) and the policy language (whose features read them). Everything here is read-only
// to policies; the engine reuses one context object per decision to avoid allocation.
import type { NodeSpec, TaskSpec } from './scenario.js';

/** Live state of one task, maintained by the engine. */
export interface TaskView {
  readonly spec: TaskSpec;
  /** Position of the task in the scenario's task list. */
  readonly index: number;
  /** Work in MI per core (from `length`, or `duration` × the reference speed of 1000 MIPS). */
  readonly lengthMI: number;
  /** Run time in s when `duration` was given (the run time does not depend on node speed), else 0. */
  readonly fixedDuration: number;
  /** Time the task became ready (arrived and all dependencies finished), s. */
  readonly readyAt: number;
  /** Times a failure has killed it so far. */
  readonly attempts: number;
}

/** Live state of one node, maintained by the engine. */
export interface NodeView {
  readonly spec: NodeSpec;
  /** Position of the node in the scenario's node list; ties between equal scores go to the lowest. */
  readonly index: number;
  /** Cores not asked for by tasks placed here (time-shared nodes may go below 0 when oversubscribed). */
  readonly freeCores: number;
  /** Memory not held by tasks placed here, GB. */
  readonly freeMemory: number;
  /** Tasks executing now. */
  readonly running: number;
  /** Tasks placed here that wait for cores (space-shared) or for data. */
  readonly queued: number;
  /** True while the node is open (has work and is being paid for). */
  readonly open: boolean;
  /** False while failed (or out of energy). Down nodes are never offered to a policy. */
  readonly up: boolean;
  /** Price per hour in force now (spec price × multiplier). */
  readonly price: number;
  /** Energy drawn so far, J (for energy budgets). */
  readonly energyUsed: number;
  /** Fraction of elapsed time this node has been up, observed so far (1 before any failure). */
  readonly observedUptime: number;
}

/** Run-wide values a policy may read. */
export interface SimView {
  readonly now: number;
  /** Tasks ready and not yet placed. */
  readonly queueLength: number;
  /** Index of the node that received the previous placement, or -1 (round-robin). */
  readonly lastPlacedNode: number;
  readonly nodeCount: number;
  /** Dominant resource share currently held by a tenant, 0–1 (DRF). */
  tenantShare(tenant: string): number;
  /** One-way latency in s from a data source to a node with congestion in force, or Infinity when unreachable. */
  latency(source: string | undefined, node: NodeView): number;
  /** Estimated transfer time in s of `megabytes` from a source to a node at the bandwidth in force now. */
  transferTime(source: string | undefined, megabytes: number, node: NodeView): number;
  /** A uniform draw in [0, 1) from the run's seeded stream for policies (the `random` feature). */
  random(): number;
}

/** The one object a compiled expression reads. `node` is null when ordering the queue. */
export interface DecisionContext {
  task: TaskView;
  node: NodeView | null;
  sim: SimView;
}
