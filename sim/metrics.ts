// What the simulator reports about one run of one policy on one scenario. Computed by the simulator
// only, never taken from a policy. Units: seconds, W·s (J), price units (pricePerHour × hours).
export interface Metrics {
  /** Tasks in the scenario. */
  tasks: number;
  /** Tasks that finished. */
  completed: number;
  /** Tasks that never finished: infeasible, rejected by `admit`, or killed more than maxRetries times. */
  dropped: number;
  /** Mean of finish − arrival over completed tasks, s (0 when none completed). */
  avgLatency: number;
  /** 95th percentile (nearest rank) of finish − arrival over completed tasks, s. */
  p95Latency: number;
  /** Completed tasks with finish − arrival > sla, plus dropped tasks that had an SLA. */
  slaViolations: number;
  /** slaViolations / tasks (0 when there are no tasks). */
  slaViolationRate: number;
  /** Core-seconds used by tasks / core-seconds of open nodes (0–1). */
  utilisation: number;
  /** Σ over nodes of open time × price in force, in price units. */
  cost: number;
  /** Σ over nodes of ∫ power dt while open (linear model idle → peak), J. */
  energy: number;
  /** Nodes ever opened. */
  nodesUsed: number;
  /** Running tasks killed by node failures (each kill counted). */
  killed: number;
  /** Time of the last completion (or of the last event when nothing completed), s. */
  makespan: number;
  /** Simulation events processed (for speed figures). */
  events: number;
}

/** Per-objective scores in [0, 1] (higher is better) and their weighted sum. */
export interface Scores {
  latency: number;
  cost: number;
  energy: number;
  qos: number;
  utilisation: number;
}

export interface Reward {
  scores: Scores;
  /** Σ weight × score − SLA penalty, as documented in sim/reward.ts. */
  reward: number;
}
