// The live state of every task, one typed array per field (indexed by task index).

/** Where a task is in its life. */
export const enum Phase {
  NotArrived = 0,
  /** Arrived, waiting for dependencies. */
  Waiting = 1,
  /** Ready, in the global queue. */
  Queued = 2,
  /** Placed; its data is on a link. */
  Transfer = 3,
  /** Placed; waiting out latency before reaching the node. */
  Delay = 4,
  /** At a space-shared node, waiting in its FIFO for cores. */
  NodeQueued = 5,
  Running = 6,
  Done = 7,
  Dropped = 8,
}

/** How a task ended, for traces. */
export const enum Outcome {
  None = 0,
  Completed = 1,
  /** Killed more than maxRetries times, or a dependency was dropped. */
  Dropped = 2,
  /** No node could ever hold it (or a dependency names no task). */
  Infeasible = 3,
  /** The policy's admit said no. */
  Rejected = 4,
}

export class TaskState {
  readonly phase: Uint8Array;
  readonly outcome: Uint8Array;
  /** Node it is placed on (or was last placed on), -1 never. */
  readonly node: Int32Array;
  readonly placedAt: Float64Array;
  /** Estimated finish as seen at its last placement (node.finish_est then), s. */
  readonly finishEst: Float64Array;
  readonly start: Float64Array;
  readonly finish: Float64Array;
  readonly readyAt: Float64Array;
  readonly attempts: Int32Array;
  readonly key: Float64Array;
  readonly depsLeft: Int32Array;
  /** Incremented at every placement: events of an older placement are stale. */
  readonly epoch: Int32Array;
  /** Change-log position of the task's last failed decision, -1 when it must be tried in full. */
  readonly failedAt: Float64Array;
  /** True when that failed decision read values that change by themselves (time, randomness, …). */
  readonly failedVolatile: Uint8Array;
  /** TASK_* fields the evaluations behind that failure read (views.ts). */
  readonly failMask: Int32Array;
  /** Time-shared finish tag, or the transfer tag while on a link. */
  readonly tag: Float64Array;
  /** Link it is transferring on, -1 otherwise. */
  readonly link: Int32Array;
  /** Latency to wait after the transfer, s. */
  readonly delay: Float64Array;
  // Intrusive lists: tasks placed on a node (doubly linked), and a space-shared node's FIFO.
  readonly prev: Int32Array;
  readonly next: Int32Array;
  readonly fifoNext: Int32Array;

  constructor(T: number) {
    this.phase = new Uint8Array(T);
    this.outcome = new Uint8Array(T);
    this.node = new Int32Array(T).fill(-1);
    this.placedAt = new Float64Array(T).fill(-1);
    this.finishEst = new Float64Array(T);
    this.start = new Float64Array(T).fill(-1);
    this.finish = new Float64Array(T).fill(-1);
    this.readyAt = new Float64Array(T).fill(-1);
    this.attempts = new Int32Array(T);
    this.key = new Float64Array(T);
    this.depsLeft = new Int32Array(T);
    this.epoch = new Int32Array(T);
    this.failedAt = new Float64Array(T).fill(-1);
    this.failedVolatile = new Uint8Array(T);
    this.failMask = new Int32Array(T);
    this.tag = new Float64Array(T);
    this.link = new Int32Array(T).fill(-1);
    this.delay = new Float64Array(T);
    this.prev = new Int32Array(T).fill(-1);
    this.next = new Int32Array(T).fill(-1);
    this.fifoNext = new Int32Array(T).fill(-1);
  }
}
