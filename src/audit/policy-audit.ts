// `aurora audit <run> --policy <id>`: where a policy came from (its parents, recursively, with the operator
// or prompt, author and rationale of each), every evaluation of it, and how its rating moved, round by
// round: on each scenario, whom it beat, drew with and lost to.
import type { EventData } from '../../events/catalogue.js';
import { ladder } from '../../projections/elo.js';
import { forEachGame } from '../../projections/match-round.js';
import { defenderCallId } from '../../actors/minds/llm/records.js';
import { AuditInputError, RunLog, type Recorded } from './run-log.js';

type PolicyDocument = EventData<'PolicyProposed'>['policy'];

export interface LineageNode {
  policyId: string;
  /** proposed, imported, or unknown (a parent the run never recorded). */
  origin: 'proposed' | 'imported' | 'unknown';
  operator: string | null;
  author: string | null;
  rationale: string | null;
  iteration: number | null;
  /** The scenario it was written for. */
  scenarioId: string | null;
  /** Already shown higher up the tree (a policy reached through two parents): its parents are not repeated. */
  repeated: boolean;
  parents: LineageNode[];
}

export interface EvaluationRow {
  evaluationId: string;
  iteration: number;
  scenarioId: string;
  reward: number;
  solved: boolean;
  failure: string | null;
  metrics: {
    completed: number;
    tasks: number;
    dropped: number;
    avgLatency: number;
    p95Latency: number;
    slaViolationRate: number;
    utilisation: number;
    cost: number;
    energy: number;
  };
}

/** One match round: the policy against every other policy evaluated on one scenario. */
export interface RatingStep {
  iteration: number;
  matchId: string;
  scenarioId: string | null;
  /** Its reward on the scenario, and its place by reward among the round's players (1 = best). */
  reward: number | null;
  place: number | null;
  players: number | null;
  /** The opponents it beat, drew with and lost to (policy-id order). */
  beat: string[];
  drew: string[];
  lostTo: string[];
  /** Its mean score over the round's games: 1 all won, 0.5 all drawn, 0 all lost; null when it played none. */
  score: number | null;
  before: number;
  after: number;
}

function ratingStep(log: RunLog, policyId: string, r: Recorded<'RatingChanged'>): RatingStep {
  const match = log.matches.get(r.data.matchId);
  const step: RatingStep = {
    iteration: r.metadata.iteration,
    matchId: r.data.matchId,
    scenarioId: match?.data.scenarioId ?? null,
    reward: null,
    place: null,
    players: null,
    beat: [],
    drew: [],
    lostTo: [],
    score: null,
    before: r.data.before,
    after: r.data.after,
  };
  if (match === undefined) return step;
  const d = match.data;
  const self = d.players.indexOf(policyId);
  if (self >= 0) {
    step.reward = d.rewards[self]!;
    step.place = 1 + d.rewards.filter((x) => x > d.rewards[self]!).length;
  }
  step.players = d.players.length;
  forEachGame(d, (a, b, outcome) => {
    if (a === b || (a !== policyId && b !== policyId)) return;
    const [opponent, points] = a === policyId ? [b, outcome] : [a, 1 - outcome];
    (points === 1 ? step.beat : points === 0 ? step.lostTo : step.drew).push(opponent);
  });
  const games = step.beat.length + step.drew.length + step.lostTo.length;
  step.score = games === 0 ? null : (step.beat.length + step.drew.length / 2) / games;
  return step;
}

export interface ModelCall {
  callId: string;
  model: string;
  tokens: number;
  error: string | null;
  answer: string | null;
}

export interface PolicyAudit {
  runId: string;
  policyId: string;
  policy: PolicyDocument;
  /** The event that brought it into the run. */
  position: number;
  lineage: LineageNode;
  /** Ancestors, each once. */
  ancestors: number;
  /** The model calls that wrote it, for a policy an LLM wrote. */
  modelCalls: ModelCall[];
  evaluations: EvaluationRow[];
  summary: { evaluations: number; solved: number; failures: number; meanReward: number | null };
  ratings: RatingStep[];
  /** Its place on the run's ladder (1 = best), or null when never rated. */
  standing: { rating: number; rank: number; of: number; played: number; wins: number; draws: number; losses: number } | null;
}

function lineageOf(log: RunLog, policyId: string, seen: Set<string>): LineageNode {
  const event = log.policies.get(policyId);
  const repeated = seen.has(policyId);
  seen.add(policyId);
  if (event === undefined) {
    return { policyId, origin: 'unknown', operator: null, author: null, rationale: null, iteration: null, scenarioId: null, repeated, parents: [] };
  }
  if (event.type === 'PolicyImported') {
    const source = JSON.stringify(event.data.source);
    return {
      policyId,
      origin: 'imported',
      operator: 'import',
      author: event.data.policy.author ?? null,
      rationale: `imported from ${source}`,
      iteration: event.metadata.iteration,
      scenarioId: null,
      repeated,
      parents: [],
    };
  }
  const d = event.data;
  return {
    policyId,
    origin: 'proposed',
    operator: d.operator,
    author: d.author,
    rationale: d.rationale,
    iteration: event.metadata.iteration,
    scenarioId: d.scenarioId,
    repeated,
    parents: repeated ? [] : d.parents.map((p) => lineageOf(log, p, seen)),
  };
}

export function evaluationRow(e: Recorded<'EvaluationCompleted'>): EvaluationRow {
  const m = e.data.metrics;
  return {
    evaluationId: e.data.evaluationId,
    iteration: e.metadata.iteration,
    scenarioId: e.data.scenarioId,
    reward: e.data.reward,
    solved: e.data.solved,
    failure: e.data.failure,
    metrics: {
      completed: m.completed,
      tasks: m.tasks,
      dropped: m.dropped,
      avgLatency: m.avgLatency,
      p95Latency: m.p95Latency,
      slaViolationRate: m.slaViolationRate,
      utilisation: m.utilisation,
      cost: m.cost,
      energy: m.energy,
    },
  };
}

/** The calls an LLM defender made for a policy `p-<iteration>-<scenarioId>-<k>` (records.ts names them). */
function modelCallsFor(log: RunLog, event: Recorded<'PolicyProposed'>): ModelCall[] {
  if (!event.data.operator.startsWith('prompt:') || event.data.scenarioId === null) return [];
  const prefix = `p-${event.metadata.iteration}-${event.data.scenarioId}-`;
  const k = event.data.policyId.startsWith(prefix) ? Number(event.data.policyId.slice(prefix.length)) : NaN;
  if (!Number.isInteger(k)) return [];
  return log.callsFor(defenderCallId(log.runId, event.metadata.iteration, event.data.scenarioId, k)).map(modelCall);
}

export function modelCall(e: Recorded<'LlmCalled'>): ModelCall {
  return { callId: e.data.callId, model: e.data.model, tokens: e.data.usage.total, error: e.data.error, answer: e.data.answer };
}

export function auditPolicy(log: RunLog, policyId: string): PolicyAudit {
  const event = log.policies.get(policyId);
  if (event === undefined) throw new AuditInputError(`no policy '${policyId}' in run ${log.runId} (policies: ${RunLog.sample(log.policies.keys())})`);
  const seen = new Set<string>();
  const lineage = lineageOf(log, policyId, seen);
  const evaluations = (log.evaluationsByPolicy.get(policyId) ?? []).map(evaluationRow);
  const ok = evaluations.filter((e) => e.failure === null);
  const ratings: RatingStep[] = (log.ratingChanges.get(policyId) ?? []).map((r) => ratingStep(log, policyId, r));
  const board = ladder(log.projections.elo, log.runId);
  const rank = board.findIndex((p) => p.policyId === policyId);
  const player = rank < 0 ? null : board[rank]!;
  return {
    runId: log.runId,
    policyId,
    policy: event.data.policy,
    position: event.position,
    lineage,
    ancestors: seen.size - 1,
    modelCalls: event.type === 'PolicyProposed' ? modelCallsFor(log, event) : [],
    evaluations,
    summary: {
      evaluations: evaluations.length,
      solved: evaluations.filter((e) => e.solved).length,
      failures: evaluations.length - ok.length,
      meanReward: evaluations.length === 0 ? null : evaluations.reduce((s, e) => s + e.reward, 0) / evaluations.length,
    },
    ratings,
    standing:
      player === null || player.played === 0
        ? null
        : { rating: player.rating, rank: rank + 1, of: board.length, played: player.played, wins: player.wins, draws: player.draws, losses: player.losses },
  };
}
