// The simulator's public entry point: run one compiled policy on one parsed scenario.
//
// Semantics in brief (docs/simulator.md has them in full; sim/engine/engine.ts is their executable form):
// - Discrete events, processed in (time, kind, sequence) order; after all events of an instant, one
//   scheduling pass. Same scenario and policy: the same schedule, byte for byte (see traceHash).
// - A global queue of ready tasks (arrived, every dependency finished), tried in the policy's order
//   (orderKey ascending; ties: ready time, then task index; keys recomputed every pass when the
//   order is dynamic). Non-blocking: a task no node accepts stays queued and later ones may pass it.
// - Per task, every up node is a candidate unless the engine excludes it (the task can never fit its
//   cores or memory, memory is short now, its source cannot reach the node); then the policy's filter,
//   then its score; the highest score wins, ties to the lowest node index. nodesToScore = k scores at
//   most k passing nodes, visiting nodes cyclically from the one after the last placement.
// - Tasks no node could ever hold are dropped at arrival (infeasible); admit = false drops (rejected);
//   a dropped dependency drops its dependents; a task killed by a node failure is re-queued, and
//   dropped once killed more than maxRetries times.
// - Time-shared nodes share cores in proportion to cores asked (never more than asked), exactly, by
//   processor sharing; space-shared nodes reserve cores and queue the rest FIFO. A task runs at its
//   utilisation × its share's speed. Duration tasks run exactly `duration` on full cores whatever the
//   node's speed (their utilisation only affects power and utilisation).
// - Data (dataSize > 0 from a source) crosses the link source → node zone, sharing its bandwidth
//   fairly with other transfers; then link latency plus edge latency elapse; then the task reaches the
//   node. Cores and memory are reserved from placement on.
// - Nodes open at their first task and close when empty; cost and energy accrue only while open.
import type { CompiledPolicy } from './policy/compiled.js';
import type { Metrics, Reward } from './metrics.js';
import { computeReward } from './reward.js';
import type { Scenario } from './scenario.js';
import { Engine } from './engine/engine.js';
import type { Explanation } from './engine/explanation.js';
import type { Trace } from './engine/trace.js';

export type { Explanation, CandidateExplanation, ExcludedExplanation } from './engine/explanation.js';
export type { Trace, TaskTrace, NodeTrace, AttemptTrace, TaskOutcome } from './engine/trace.js';
export { traceHash } from './engine/trace.js';
export type { IndexOrderHint } from './engine/decision.js';

export interface SimulateOptions {
  /** Id of a task whose placement decision to explain (the last one that placed it). */
  explainTask?: string;
  /** Return the full schedule. */
  trace?: boolean;
  /** Disable the candidate index and decision skipping (same results, for checking). */
  fullScan?: boolean;
  /**
   * Stop with a `budget` failure once the policy has been evaluated more than this many times (filters
   * run on a node, queue order keys computed): a deterministic cap on a run's cost, for search. The
   * count includes the engine's shortcuts, so the same run counts more with fullScan.
   */
  maxEvaluations?: number;
}

export interface SimFailure {
  /** policy-error: the policy faulted; budget: the run needed more than maxEvaluations evaluations. */
  kind: 'policy-error' | 'budget';
  message: string;
  taskId: string;
  nodeId?: string;
  time: number;
}

export interface SimResult {
  metrics: Metrics;
  reward: Reward;
  /** Ids of tasks no node could ever hold (dropped at arrival). */
  infeasible: string[];
  trace?: Trace;
  explanation?: Explanation;
  /** Set when a policy fault stopped the run; metrics and reward then cover what happened until then. */
  failure?: SimFailure;
}

export function simulate(scenario: Scenario, policy: CompiledPolicy, options: SimulateOptions = {}): SimResult {
  const engine = new Engine(scenario, policy, options);
  engine.run();
  const metrics = engine.metrics();
  const result: SimResult = { metrics, reward: computeReward(metrics, scenario, engine.completedTask), infeasible: engine.infeasible() };
  if (options.trace) result.trace = engine.trace();
  if (options.explainTask !== undefined) {
    const explanation = engine.explanation();
    if (explanation) result.explanation = explanation;
  }
  if (engine.failure) result.failure = engine.failure;
  return result;
}
