// What an iteration decides once every answer is in: the events it records, in a canonical order that
// never depends on which worker answered first. Pure apart from the recorder, whose observer keeps the
// run's projections current so each decision sees the events recorded before it.
//
// Order: the model calls of an LLM run (LlmCalled, by call id) → scenarios (by id) and their
// rejections → candidate policies (by id) and rejections → evaluations (by scenario id, then policy id) →
// per scenario (by id), one MatchPlayed: a round of one game between every pair of evaluated policies
// (players in policy-id order), followed by each player's RatingChanged over the round → one
// AttackerRewarded per scenario → CurriculumAdvanced when due → OperatorsEvolved when due →
// IterationCompleted.
import type { EventData } from '../events/catalogue.js';
import type { RunConfig } from './run-config.js';
import type { ReplyOf } from './protocol.js';
import type { EventRecorder } from './event-recorder.js';
import type { RunProjections } from './run-projections.js';
import { ratingOf, ladder } from '../projections/elo.js';
import { distinctPlayers, roundOutcomes } from '../projections/match-round.js';
import { shouldAdvance, curriculumLevels } from '../projections/curriculum.js';
import { archiveVectors, scenarioFeatures } from '../projections/scenario-archive.js';
import { attackerRewardOf } from './minds/attacker/reward.js';
import { evolveOperators } from './minds/evolver.js';
import { evolverEvidence } from '../projections/search-state.js';

type ProposedScenario = ReplyOf<'attacker'>['scenarios'][number];
type ProposedPolicy = ReplyOf<'defender'>['policies'][number];
type Rejection = ReplyOf<'attacker'>['rejected'][number];
type EvaluationResult = ReplyOf<'simulator'>['results'][number];
type LlmCall = NonNullable<ReplyOf<'attacker'>['llmCalls']>[number];

export interface IterationAnswers {
  scenarios: ProposedScenario[];
  scenarioRejections: Rejection[];
  /** Candidates by the scenario they were written for (with the model calls that wrote them, in an LLM run). */
  candidates: { scenarioId: string; policies: ProposedPolicy[]; rejected: Rejection[]; llmCalls?: LlmCall[] }[];
  /** The attacker's model calls, in an LLM run. */
  scenarioLlmCalls?: LlmCall[];
  /** One reply per scenario. */
  evaluations: ReplyOf<'simulator'>[];
  /** Ids of the reference baselines among the evaluated policies. */
  baselineIds: string[];
}

const byId = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** A's score in a match on one scenario: a policy that failed loses to one that did not. */
export function matchOutcome(a: EvaluationResult, b: EvaluationResult, drawMargin: number): 0 | 0.5 | 1 {
  const aFailed = a.failure !== null;
  const bFailed = b.failure !== null;
  if (aFailed !== bFailed) return aFailed ? 0 : 1;
  if (aFailed && bFailed) return 0.5;
  if (Math.abs(a.reward - b.reward) <= drawMargin) return 0.5;
  return a.reward > b.reward ? 1 : 0;
}

/** Solved: no policy fault, SLA violations within τ, and a reward at least the best reference baseline's. */
export function isSolved(result: EvaluationResult, bestBaselineReward: number, tau: number): boolean {
  return result.failure === null && result.metrics.slaViolationRate <= tau && result.reward >= bestBaselineReward;
}

export function recordIteration(
  recorder: EventRecorder,
  projections: RunProjections,
  config: RunConfig,
  runId: string,
  iteration: number,
  answers: IterationAnswers,
): EventData<'IterationCompleted'> {
  const baselineSet = new Set(answers.baselineIds);
  const levelIndex = shouldAdvance(projections.curriculum, runId).from;
  const targetLevel = curriculumLevels[levelIndex]!.difficulty;
  // Novelty is measured against the archive as it stood before this iteration's scenarios.
  const archiveBefore = archiveVectors(projections.archive, runId);

  const calls = [...(answers.scenarioLlmCalls ?? []), ...answers.candidates.flatMap((c) => c.llmCalls ?? [])].sort(byId((c) => c.callId));
  for (const call of calls) recorder.record('LlmCalled', call);

  const scenarios = [...answers.scenarios].sort(byId((s) => s.scenarioId));
  for (const s of scenarios) {
    recorder.record('ScenarioProposed', {
      scenarioId: s.scenarioId,
      scenario: s.scenario,
      level: s.scenario.level ?? targetLevel,
      generator: s.generator,
      author: s.author,
      rationale: s.rationale,
    });
  }
  for (const r of answers.scenarioRejections) {
    recorder.record('ScenarioRejected', { scenarioId: null, author: r.author, reason: r.reason, errors: r.errors, raw: r.raw });
  }

  const candidates = answers.candidates
    .flatMap((c) => c.policies.map((p) => ({ ...p, scenarioId: c.scenarioId })))
    .sort(byId((p) => p.policyId));
  for (const p of candidates) {
    recorder.record('PolicyProposed', {
      policyId: p.policyId,
      policy: p.policy,
      parents: p.parents,
      operator: p.operator,
      author: p.author,
      rationale: p.rationale,
      scenarioId: p.scenarioId,
    });
  }
  for (const c of [...answers.candidates].sort(byId((c) => c.scenarioId))) {
    for (const r of c.rejected) {
      recorder.record('PolicyRejected', { policyId: null, author: r.author, reason: r.reason, errors: r.errors, raw: r.raw });
    }
  }

  const replies = [...answers.evaluations].sort(byId((e) => e.scenarioId));
  let evaluations = 0;
  let bestReward = -Infinity;
  const solveRates = new Map<string, number>();
  for (const reply of replies) {
    const results = [...reply.results].sort(byId((r) => r.policyId));
    const bestBaseline = Math.max(...results.filter((r) => baselineSet.has(r.policyId) && r.failure === null).map((r) => r.reward));
    let defenderTotal = 0;
    let defenderSolved = 0;
    for (const r of results) {
      const solved = isSolved(r, bestBaseline, config.slaTolerance);
      recorder.record('EvaluationCompleted', {
        evaluationId: `e-${iteration}-${reply.scenarioId}-${r.policyId}`,
        policyId: r.policyId,
        scenarioId: reply.scenarioId,
        metrics: r.metrics,
        scores: r.scores,
        reward: r.reward,
        solved,
        failure: r.failure,
      });
      evaluations += 1;
      if (!baselineSet.has(r.policyId)) {
        defenderTotal += 1;
        if (solved) defenderSolved += 1;
        if (r.failure === null && r.reward > bestReward) bestReward = r.reward;
      }
    }
    solveRates.set(reply.scenarioId, defenderTotal === 0 ? 0 : defenderSolved / defenderTotal);
  }

  for (const reply of replies) {
    const results = [...reply.results].sort(byId((r) => r.policyId));
    if (results.length < 2) continue;
    const matchId = `m-${iteration}-${reply.scenarioId}`;
    const players = distinctPlayers({ players: results.map((r) => r.policyId) });
    const before = players.map((p) => ratingOf(projections.elo, runId, p) ?? config.elo.initial);
    const played = recorder.record('MatchPlayed', {
      matchId,
      scenarioId: reply.scenarioId,
      players: results.map((r) => r.policyId),
      rewards: results.map((r) => r.reward),
      outcomes: roundOutcomes(results, (a, b) => matchOutcome(a, b, config.drawMargin)),
    });
    const cause = played.metadata.eventId;
    players.forEach((policyId, i) => {
      const after = ratingOf(projections.elo, runId, policyId) ?? before[i]!;
      recorder.record('RatingChanged', { policyId, matchId, before: before[i]!, after }, cause);
    });
  }

  for (const s of scenarios) {
    const parts = attackerRewardOf({
      solveRate: solveRates.get(s.scenarioId) ?? 0,
      features: scenarioFeatures(s.scenario),
      archive: archiveBefore,
      scenarioLevel: s.scenario.level ?? targetLevel,
      targetLevel,
      domain: s.scenario.domain,
      weights: config.attacker,
    });
    recorder.record('AttackerRewarded', { scenarioId: s.scenarioId, ...parts });
  }

  const decision = shouldAdvance(projections.curriculum, runId);
  if (decision.advance) {
    recorder.record('CurriculumAdvanced', {
      from: decision.from,
      to: decision.to,
      successRate: decision.successRate,
      window: decision.window,
    });
  }

  if (iteration % config.evolveEvery === 0) {
    for (const role of ['attacker', 'defender'] as const) {
      const change = evolveOperators(role, projections.search, runId, evolverEvidence(projections.search, runId, role));
      if (change !== null) recorder.record('OperatorsEvolved', { role, ...change });
    }
  }

  const leader = ladder(projections.elo, runId).find((p) => !baselineSet.has(p.policyId)) ?? null;
  const completed: EventData<'IterationCompleted'> = {
    iteration,
    level: shouldAdvance(projections.curriculum, runId).from,
    evaluations,
    bestReward: Number.isFinite(bestReward) ? bestReward : 0,
    leader: leader?.policyId ?? null,
    leaderRating: leader?.rating ?? null,
  };
  recorder.record('IterationCompleted', completed);
  return completed;
}
