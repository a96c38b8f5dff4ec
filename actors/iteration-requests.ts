// The requests of one iteration, built from the run's state: one defender request per scenario and one
// simulator request per scenario, carrying everything the answer depends on (workers are stateless).
import { hashName } from '../sim/random.js';
import type { ReplyOf, RequestOf } from './protocol.js';
import type { IterationAnswers } from './iteration-outcome.js';
import type { IterationInput } from './controller.js';
import { summarizeScenario } from './scenario-summary.js';

type ProposedScenario = ReplyOf<'attacker'>['scenarios'][number];

export function buildDefenderRequests(input: IterationInput, scenarios: readonly ProposedScenario[]): RequestOf<'defender'>[] {
  return [...scenarios]
    .sort((a, b) => (a.scenarioId < b.scenarioId ? -1 : a.scenarioId > b.scenarioId ? 1 : 0))
    .map((s) => ({
      runId: input.runId,
      iteration: input.iteration,
      scenarioId: s.scenarioId,
      scenarioSummary: summarizeScenario(s.scenario) as unknown as RequestOf<'defender'>['scenarioSummary'],
      population: input.population,
      count: input.config.candidatesPerScenario,
      seed: hashName(input.seed, `defender/${input.iteration}/${s.scenarioId}`),
      search: input.defenderSearch,
    }));
}

/**
 * Every candidate of the iteration, the incumbents and the reference baselines, on every scenario: one
 * request per scenario, or `input.evaluationParts` requests per scenario each with a contiguous share of
 * the policies, so that more simulator workers than scenarios have work. Each policy's result depends only
 * on its scenario and itself, so how the work is split never changes what is recorded.
 */
export function buildEvaluationRequests(
  input: IterationInput,
  scenarios: readonly ProposedScenario[],
  candidates: IterationAnswers['candidates'],
): RequestOf<'simulator'>[] {
  const pool = new Map<string, RequestOf<'simulator'>['policies'][number]>();
  for (const p of input.standing) pool.set(p.policyId, p);
  for (const c of candidates) for (const p of c.policies) pool.set(p.policyId, { policyId: p.policyId, policy: p.policy });
  const policies = [...pool.values()].sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0));
  const parts = Math.max(1, Math.min(policies.length, Math.floor(input.evaluationParts ?? 1)));
  return [...scenarios]
    .sort((a, b) => (a.scenarioId < b.scenarioId ? -1 : a.scenarioId > b.scenarioId ? 1 : 0))
    .flatMap((s) =>
      Array.from({ length: parts }, (_, k) => ({
        scenarioId: s.scenarioId,
        scenario: s.scenario,
        policies: policies.slice(Math.floor((k * policies.length) / parts), Math.floor(((k + 1) * policies.length) / parts)),
        slaTolerance: input.config.slaTolerance,
      })),
    );
}

/** The replies to split requests joined again: one reply per scenario, in the order scenarios were first asked. */
export function joinEvaluations(replies: readonly ReplyOf<'simulator'>[]): ReplyOf<'simulator'>[] {
  const byScenario = new Map<string, ReplyOf<'simulator'>>();
  for (const reply of replies) {
    const joined = byScenario.get(reply.scenarioId);
    if (joined === undefined) byScenario.set(reply.scenarioId, { scenarioId: reply.scenarioId, results: [...reply.results] });
    else joined.results.push(...reply.results);
  }
  return [...byScenario.values()];
}
