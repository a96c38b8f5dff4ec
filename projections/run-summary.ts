// One line per run: how far it got and how it stands. Status is `running` until RunCompleted
// (`completed`) or RunStopped (`stopped`); the level, leader and leader rating are the ones the last
// IterationCompleted recorded; the best reward is the highest reward of any evaluation so far (and whose);
// the champion is RunCompleted's.
import type { AuroraEvent } from '../events/catalogue.js';
import { gamesIn } from './match-round.js';
import { getEntry, runIds, runState, unhandled, type PerRun, type Projection } from './fold.js';

export interface RunSummary {
  runId: string;
  status: 'running' | 'completed' | 'stopped';
  seed: number | null;
  mind: 'offline' | 'llm' | null;
  codeVersion: string | null;
  /** Iterations completed. */
  iterations: number;
  /** Curriculum level at the last completed iteration. */
  level: number;
  bestReward: number | null;
  bestPolicy: string | null;
  leader: string | null;
  leaderRating: number | null;
  champion: string | null;
  stopReason: string | null;
  events: number;
  scenarios: number;
  policies: number;
  evaluations: number;
  /** Games played: pairs of policies met on a scenario (a MatchPlayed round of n players holds n·(n − 1)/2). */
  matches: number;
  llmCalls: number;
  llmCost: number;
}

export interface RunSummaryState extends PerRun<RunSummary> {
  /** Events folded, all runs together. */
  events: number;
}

function newRun(runId: string): RunSummary {
  return {
    runId,
    status: 'running',
    seed: null,
    mind: null,
    codeVersion: null,
    iterations: 0,
    level: 0,
    bestReward: null,
    bestPolicy: null,
    leader: null,
    leaderRating: null,
    champion: null,
    stopReason: null,
    events: 0,
    scenarios: 0,
    policies: 0,
    evaluations: 0,
    matches: 0,
    llmCalls: 0,
    llmCost: 0,
  };
}

export function evolve(state: RunSummaryState, event: AuroraEvent): RunSummaryState {
  const run = runState(state, event.metadata.runId, newRun);
  state.events += 1;
  run.events += 1;
  switch (event.type) {
    case 'RunStarted':
      run.seed = event.data.seed;
      run.mind = event.data.mind;
      run.codeVersion = event.data.codeVersion;
      return state;
    case 'ScenarioProposed':
      run.scenarios += 1;
      return state;
    case 'PolicyProposed':
    case 'PolicyImported':
      run.policies += 1;
      return state;
    case 'EvaluationCompleted': {
      run.evaluations += 1;
      const { reward, policyId } = event.data;
      if (run.bestReward === null || reward > run.bestReward) {
        run.bestReward = reward;
        run.bestPolicy = policyId;
      }
      return state;
    }
    case 'MatchPlayed':
      run.matches += gamesIn(event.data.players.length);
      return state;
    case 'LlmCalled':
      run.llmCalls += 1;
      run.llmCost += event.data.cost;
      return state;
    case 'IterationCompleted':
      run.iterations += 1;
      run.level = event.data.level;
      run.leader = event.data.leader;
      run.leaderRating = event.data.leaderRating;
      return state;
    case 'RunCompleted':
      run.status = 'completed';
      run.champion = event.data.champion;
      return state;
    case 'RunStopped':
      run.status = 'stopped';
      run.stopReason = event.data.reason;
      return state;
    case 'ScenarioRejected':
    case 'PolicyRejected':
    case 'RatingChanged':
    case 'AttackerRewarded':
    case 'CurriculumAdvanced':
    case 'PromptEvolved':
    case 'OperatorsEvolved':
      return state;
    default:
      unhandled(event);
      return state;
  }
}

export const runSummaryProjection: Projection<RunSummaryState> = {
  name: 'run-summary',
  version: 1,
  initialState: () => ({ runs: {}, events: 0 }),
  evolve,
};

/** Every run, by run id. */
export function runSummaries(state: RunSummaryState): RunSummary[] {
  return runIds(state).map((id) => state.runs[id]!);
}

export function runSummary(state: RunSummaryState, runId: string): RunSummary | null {
  return getEntry(state.runs, runId) ?? null;
}
