// The simulator role's work: every policy of a request on its scenario. Pure and deterministic, so any
// worker gives the same results; a policy that does not compile or faults while running is a recorded
// failure of that policy, never a failed request.
import { compilePolicy } from '../sim/policy/compile.js';
import { simulate } from '../sim/simulate.js';
import type { Metrics } from '../sim/metrics.js';
import type { ReplyOf, RequestOf } from './protocol.js';

type Result = ReplyOf<'simulator'>['results'][number];

/** The reward recorded for a policy that could not run at all (below any reward a schedule earns). */
export const FAILED_REWARD = -1;

function emptyMetrics(tasks: number): Metrics {
  return {
    tasks,
    completed: 0,
    dropped: tasks,
    avgLatency: 0,
    p95Latency: 0,
    slaViolations: 0,
    slaViolationRate: 0,
    utilisation: 0,
    cost: 0,
    energy: 0,
    nodesUsed: 0,
    killed: 0,
    makespan: 0,
    events: 0,
  };
}

export function evaluateRequest(request: RequestOf<'simulator'>): ReplyOf<'simulator'> {
  const results: Result[] = [];
  for (const { policyId, policy } of request.policies) {
    let compiled;
    try {
      compiled = compilePolicy(policy);
    } catch (err) {
      results.push({
        policyId,
        metrics: emptyMetrics(request.scenario.tasks.length),
        scores: { latency: 0, cost: 0, energy: 0, qos: 0, utilisation: 0 },
        reward: FAILED_REWARD,
        failure: `does not compile: ${(err as Error).message}`,
      });
      continue;
    }
    const run = simulate(request.scenario, compiled);
    results.push({
      policyId,
      metrics: run.metrics,
      scores: run.reward.scores,
      reward: run.reward.reward,
      failure: run.failure ? `${run.failure.message} (task ${run.failure.taskId} at t=${run.failure.time})` : null,
    });
  }
  results.sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0));
  return { scenarioId: request.scenarioId, results };
}
