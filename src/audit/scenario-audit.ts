// `aurora audit <run> --scenario <id>`: how a scenario was made (generator parameters and seed, the
// attacker's rationale, author, what the attacker was paid and why), every policy's result on it (best
// first), and the policies on its Pareto front over the five objective scores.
import type { EventData } from '../../events/catalogue.js';
import { objectives, scenarioFrontier } from '../../projections/pareto.js';
import { evaluationRow, modelCall, type EvaluationRow, type ModelCall } from './policy-audit.js';
import { AuditInputError, RunLog } from './run-log.js';

export interface ScenarioAudit {
  runId: string;
  scenarioId: string;
  position: number;
  iteration: number;
  level: number;
  author: string;
  rationale: string;
  /** What the generator was given (parameters, seed, operators, parent), or null for a scenario written whole. */
  generator: EventData<'ScenarioProposed'>['generator'];
  shape: { domain: string; description: string | null; nodes: number; tasks: number; failures: number; congestion: number; priceChanges: number };
  /** The model calls that wrote it, for a scenario an LLM wrote. */
  modelCalls: ModelCall[];
  /** AttackerRewarded for it (once per iteration it was rewarded in): the reward and its parts. */
  attackerRewards: (EventData<'AttackerRewarded'> & { iteration: number })[];
  /** Every evaluation on it, best reward first (ties: policy id). */
  results: (EvaluationRow & { policyId: string; baseline: boolean })[];
  /** The Pareto-optimal policies on it (maximising every score), with their scores. */
  paretoFront: { policyId: string; scores: Record<string, number> }[];
  hypervolume: number;
}

export function auditScenario(log: RunLog, scenarioId: string): ScenarioAudit {
  const event = log.scenarios.get(scenarioId);
  if (event === undefined) throw new AuditInputError(`no scenario '${scenarioId}' in run ${log.runId} (scenarios: ${RunLog.sample(log.scenarios.keys())})`);
  const d = event.data;
  const s = d.scenario;
  const generator = d.generator as { callId?: unknown } | null;
  const callId = generator !== null && typeof generator === 'object' && !Array.isArray(generator) && typeof generator.callId === 'string' ? generator.callId : null;
  const results = (log.evaluationsByScenario.get(scenarioId) ?? [])
    .map((e) => ({ ...evaluationRow(e), policyId: e.data.policyId, baseline: log.baselines.has(e.data.policyId) }))
    .sort((a, b) => b.reward - a.reward || (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0));
  const frontier = scenarioFrontier(log.pareto, log.runId, scenarioId);
  return {
    runId: log.runId,
    scenarioId,
    position: event.position,
    iteration: event.metadata.iteration,
    level: d.level,
    author: d.author,
    rationale: d.rationale,
    generator: d.generator,
    shape: {
      domain: s.domain,
      description: s.description ?? null,
      nodes: s.nodes.length,
      tasks: s.tasks.length,
      failures: s.environment?.failures?.length ?? 0,
      congestion: s.environment?.congestion?.length ?? 0,
      priceChanges: s.environment?.prices?.length ?? 0,
    },
    modelCalls: callId === null ? [] : log.callsFor(callId).map(modelCall),
    attackerRewards: (log.attackerRewards.get(scenarioId) ?? []).map((r) => ({ ...r.data, iteration: r.metadata.iteration })),
    results,
    paretoFront: (frontier.fronts[0] ?? []).map((p) => ({
      policyId: p.policyId,
      scores: Object.fromEntries(objectives.map((o, i) => [o, p.scores[i]!])),
    })),
    hypervolume: frontier.hypervolume,
  };
}
