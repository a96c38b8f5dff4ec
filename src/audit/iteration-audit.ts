// `aurora audit <run> --iteration <n>`: what happened in one iteration, in the order the controller
// recorded it: the model calls, scenarios, candidate policies, evaluations, matches and the ratings they
// moved, the attacker's rewards, the curriculum, the evolver, and how the iteration ended.
import type { EventData } from '../../events/catalogue.js';
import { forEachGame } from '../../projections/match-round.js';
import { AuditInputError, RunLog, type Recorded } from './run-log.js';

export interface IterationAudit {
  runId: string;
  iteration: number;
  /** Events recorded with this iteration number, and the positions they span. */
  events: number;
  positions: { first: number; last: number };
  llmCalls: { calls: number; tokens: number; errors: number };
  scenarios: { scenarioId: string; domain: string; level: number; nodes: number; tasks: number; author: string; rationale: string }[];
  scenarioRejections: { author: string; reason: string }[];
  candidates: { policyId: string; operator: string; parents: string[]; author: string; scenarioId: string | null }[];
  policyRejections: { author: string; reason: string }[];
  evaluations: {
    count: number;
    failures: number;
    perScenario: {
      scenarioId: string;
      evaluations: number;
      best: { policyId: string; reward: number } | null;
      bestBaseline: { policyId: string; reward: number } | null;
      /** Evaluations of the defender's policies (not baselines) on it, and how many solved it. */
      defender: number;
      solved: number;
    }[];
  };
  /** Games (pairs of policies met on a scenario) over the iteration's rounds, one round per scenario. */
  matches: { rounds: number; count: number; draws: number };
  /** Net rating change over the iteration, largest rises and falls first (at most 5 each). */
  ratingMovers: { up: RatingMove[]; down: RatingMove[] };
  attackerRewards: EventData<'AttackerRewarded'>[];
  curriculum: EventData<'CurriculumAdvanced'> | null;
  operatorsEvolved: EventData<'OperatorsEvolved'>[];
  promptsEvolved: EventData<'PromptEvolved'>[];
  completed: EventData<'IterationCompleted'> | null;
  stopped: EventData<'RunStopped'> | null;
  runCompleted: EventData<'RunCompleted'> | null;
  /** Iteration 0 only: the run's start. */
  started: EventData<'RunStarted'> | null;
}

export interface RatingMove {
  policyId: string;
  before: number;
  after: number;
  change: number;
  /** Games it played in the iteration. */
  matches: number;
}

const MOVERS = 5;

export function auditIteration(log: RunLog, iteration: number): IterationAudit {
  const events = log.events.filter((e) => e.metadata.iteration === iteration);
  if (events.length === 0) {
    const last = log.events.reduce((m, e) => Math.max(m, e.metadata.iteration), 0);
    throw new AuditInputError(`run ${log.runId} has no iteration ${iteration} (iterations 0 to ${last}; 0 is the run's start)`);
  }
  const out: IterationAudit = {
    runId: log.runId,
    iteration,
    events: events.length,
    positions: { first: events[0]!.position, last: events[events.length - 1]!.position },
    llmCalls: { calls: 0, tokens: 0, errors: 0 },
    scenarios: [],
    scenarioRejections: [],
    candidates: [],
    policyRejections: [],
    evaluations: { count: 0, failures: 0, perScenario: [] },
    matches: { rounds: 0, count: 0, draws: 0 },
    ratingMovers: { up: [], down: [] },
    attackerRewards: [],
    curriculum: null,
    operatorsEvolved: [],
    promptsEvolved: [],
    completed: null,
    stopped: null,
    runCompleted: null,
    started: null,
  };
  const perScenario = new Map<string, IterationAudit['evaluations']['perScenario'][number]>();
  const moves = new Map<string, RatingMove>();
  const games = new Map<string, number>();
  for (const e of events) {
    switch (e.type) {
      case 'RunStarted':
        out.started = e.data;
        break;
      case 'LlmCalled':
        out.llmCalls.calls += 1;
        out.llmCalls.tokens += e.data.usage.total;
        if (e.data.error !== null) out.llmCalls.errors += 1;
        break;
      case 'ScenarioProposed': {
        const d = e.data;
        out.scenarios.push({ scenarioId: d.scenarioId, domain: d.scenario.domain, level: d.level, nodes: d.scenario.nodes.length, tasks: d.scenario.tasks.length, author: d.author, rationale: d.rationale });
        break;
      }
      case 'ScenarioRejected':
        out.scenarioRejections.push({ author: e.data.author, reason: e.data.reason });
        break;
      case 'PolicyProposed': {
        const d = e.data;
        out.candidates.push({ policyId: d.policyId, operator: d.operator, parents: d.parents, author: d.author, scenarioId: d.scenarioId });
        break;
      }
      case 'PolicyRejected':
        out.policyRejections.push({ author: e.data.author, reason: e.data.reason });
        break;
      case 'EvaluationCompleted': {
        const d = e.data;
        out.evaluations.count += 1;
        if (d.failure !== null) out.evaluations.failures += 1;
        let row = perScenario.get(d.scenarioId);
        if (row === undefined) {
          row = { scenarioId: d.scenarioId, evaluations: 0, best: null, bestBaseline: null, defender: 0, solved: 0 };
          perScenario.set(d.scenarioId, row);
          out.evaluations.perScenario.push(row);
        }
        row.evaluations += 1;
        const baseline = log.baselines.has(d.policyId);
        if (d.failure === null) {
          if (row.best === null || d.reward > row.best.reward) row.best = { policyId: d.policyId, reward: d.reward };
          if (baseline && (row.bestBaseline === null || d.reward > row.bestBaseline.reward)) row.bestBaseline = { policyId: d.policyId, reward: d.reward };
        }
        if (!baseline) {
          row.defender += 1;
          if (d.solved) row.solved += 1;
        }
        break;
      }
      case 'MatchPlayed':
        out.matches.rounds += 1;
        forEachGame(e.data, (a, b, outcome) => {
          out.matches.count += 1;
          if (outcome === 0.5) out.matches.draws += 1;
          for (const p of a === b ? [a] : [a, b]) games.set(p, (games.get(p) ?? 0) + 1);
        });
        break;
      case 'RatingChanged': {
        const d = (e as Recorded<'RatingChanged'>).data;
        const move = moves.get(d.policyId);
        if (move === undefined) moves.set(d.policyId, { policyId: d.policyId, before: d.before, after: d.after, change: d.after - d.before, matches: 0 });
        else {
          move.after = d.after;
          move.change = d.after - move.before;
        }
        break;
      }
      case 'AttackerRewarded':
        out.attackerRewards.push(e.data);
        break;
      case 'CurriculumAdvanced':
        out.curriculum = e.data;
        break;
      case 'OperatorsEvolved':
        out.operatorsEvolved.push(e.data);
        break;
      case 'PromptEvolved':
        out.promptsEvolved.push(e.data);
        break;
      case 'IterationCompleted':
        out.completed = e.data;
        break;
      case 'RunStopped':
        out.stopped = e.data;
        break;
      case 'RunCompleted':
        out.runCompleted = e.data;
        break;
      case 'PolicyImported':
        break;
      default: {
        const never: never = e;
        void never;
      }
    }
  }
  const byId = (a: RatingMove, b: RatingMove) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0);
  const all = [...moves.values()];
  for (const m of all) m.matches = games.get(m.policyId) ?? 0;
  out.ratingMovers.up = all.filter((m) => m.change > 0).sort((a, b) => b.change - a.change || byId(a, b)).slice(0, MOVERS);
  out.ratingMovers.down = all.filter((m) => m.change < 0).sort((a, b) => a.change - b.change || byId(a, b)).slice(0, MOVERS);
  return out;
}
