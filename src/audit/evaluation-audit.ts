// `aurora audit <run> --evaluation <id> --task <taskId>`: one placement decision, re-derived. The
// simulator is deterministic, so running the recorded policy on the recorded scenario again gives the
// recorded schedule; the engine explains the decision that last placed the task (every node compared,
// each score term, every node filtered out and why) and the trace gives what happened to it.
import type { EventData } from '../../events/catalogue.js';
import { compilePolicy } from '../../sim/policy/compile.js';
import { simulate, type Explanation, type TaskTrace } from '../../sim/simulate.js';
import { AuditInputError, RunLog } from './run-log.js';

export interface EvaluationAudit {
  runId: string;
  evaluationId: string;
  policyId: string;
  scenarioId: string;
  iteration: number;
  position: number;
  task: EventData<'ScenarioProposed'>['scenario']['tasks'][number];
  /** Null when no decision placed the task (dropped at arrival, rejected, never ran). */
  explanation: Explanation | null;
  outcome: TaskTrace;
  /** The re-run against the record: the same reward and metrics, or where they differ. */
  check: { recordedReward: number; rederivedReward: number; same: boolean };
  /** A policy fault that stopped the re-run (as it stopped the recorded one), if any. */
  failure: string | null;
}

export function auditEvaluation(log: RunLog, evaluationId: string, taskId: string | undefined): EvaluationAudit {
  const evaluation = log.evaluations.get(evaluationId);
  if (evaluation === undefined) {
    throw new AuditInputError(`no evaluation '${evaluationId}' in run ${log.runId} (evaluations: ${RunLog.sample(log.evaluations.keys())})`);
  }
  const { policyId, scenarioId } = evaluation.data;
  const scenarioEvent = log.scenarios.get(scenarioId);
  const policyEvent = log.policies.get(policyId);
  if (scenarioEvent === undefined) throw new AuditInputError(`evaluation ${evaluationId}: scenario ${scenarioId} is not recorded in run ${log.runId}`);
  if (policyEvent === undefined) throw new AuditInputError(`evaluation ${evaluationId}: policy ${policyId} is not recorded in run ${log.runId}`);
  const scenario = scenarioEvent.data.scenario;
  const taskIds = scenario.tasks.map((t) => t.id);
  if (taskId === undefined) throw new AuditInputError(`--evaluation needs --task <taskId> (tasks of ${scenarioId}: ${RunLog.sample(taskIds, 8)})`);
  const task = scenario.tasks.find((t) => t.id === taskId);
  if (task === undefined) throw new AuditInputError(`no task '${taskId}' in scenario ${scenarioId} (tasks: ${RunLog.sample(taskIds, 8)})`);

  let compiled;
  try {
    compiled = compilePolicy(policyEvent.data.policy);
  } catch (err) {
    throw new AuditInputError(`policy ${policyId} does not compile, so it placed nothing: ${(err as Error).message}`);
  }
  const run = simulate(scenario, compiled, { explainTask: taskId, trace: true });
  const outcome = run.trace!.tasks.find((t) => t.id === taskId)!;
  return {
    runId: log.runId,
    evaluationId,
    policyId,
    scenarioId,
    iteration: evaluation.metadata.iteration,
    position: evaluation.position,
    task,
    explanation: run.explanation ?? null,
    outcome,
    check: { recordedReward: evaluation.data.reward, rederivedReward: run.reward.reward, same: run.reward.reward === evaluation.data.reward },
    failure: run.failure ? `${run.failure.message} (task ${run.failure.taskId} at t=${run.failure.time})` : null,
  };
}
