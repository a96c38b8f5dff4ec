// The Pareto frontier of a run's policies over the five objective scores of EvaluationCompleted
// (latency, cost, energy, qos, utilisation; each in [0, 1], higher is better), per scenario and overall.
// The fold keeps the facts: the latest scores of each policy on each scenario (the simulator is
// deterministic, so a repeated evaluation gives the same scores). Fronts and hypervolumes are derived on
// query. Overall, a policy's point is the mean of its scores over the scenarios it was evaluated on.
//
// Version 2 keeps each scenario's scores in one flat list beside the list of its policies, instead of a
// dictionary of five-number arrays: a 1M-event store holds ~440 000 evaluations, and one small array
// per evaluation plus one dictionary per scenario took ~50 MB of heap and most of the time spent
// encoding the checkpoint.
import type { AuroraEvent } from '../events/catalogue.js';
import { getEntry, putEntry, runState, sortedKeys, unhandled, type PerRun, type Projection } from './fold.js';
import { hypervolume, nonDominatedSort, paretoFront } from './hypervolume.js';

/** The objectives, in the order of every score vector here. */
export const objectives = ['latency', 'cost', 'energy', 'qos', 'utilisation'] as const;
export type Objective = (typeof objectives)[number];

/** The hypervolume reference point: 0 in every (maximised) score. */
export const referencePoint: readonly number[] = objectives.map(() => 0);

/** The policies evaluated on one scenario and their latest scores. */
export interface ScenarioScores {
  /** In the order of their first evaluation on the scenario. */
  policies: string[];
  /** `objectives.length` numbers per policy, in `policies` order: policy i's are at i·5 … i·5 + 4. */
  scores: number[];
}

export interface RunPareto {
  /** scenarioId → its policies and their scores. */
  scenarios: Record<string, ScenarioScores>;
  evaluations: number;
}

const N = objectives.length;

export type ParetoState = PerRun<RunPareto>;

function newRun(): RunPareto {
  return { scenarios: {}, evaluations: 0 };
}

export function evolve(state: ParetoState, event: AuroraEvent): ParetoState {
  switch (event.type) {
    case 'EvaluationCompleted': {
      const run = runState(state, event.metadata.runId, newRun);
      const { scenarioId, policyId, scores } = event.data;
      let scenario = getEntry(run.scenarios, scenarioId);
      if (scenario === undefined) putEntry(run.scenarios, scenarioId, (scenario = { policies: [], scores: [] }));
      // A scenario is evaluated by the policies of one iteration (tens): a scan finds a repeat.
      const i = scenario.policies.indexOf(policyId);
      if (i < 0) {
        scenario.policies.push(policyId);
        scenario.scores.push(scores.latency, scores.cost, scores.energy, scores.qos, scores.utilisation);
      } else {
        const at = i * N;
        scenario.scores[at] = scores.latency;
        scenario.scores[at + 1] = scores.cost;
        scenario.scores[at + 2] = scores.energy;
        scenario.scores[at + 3] = scores.qos;
        scenario.scores[at + 4] = scores.utilisation;
      }
      run.evaluations += 1;
      return state;
    }
    case 'RunStarted':
    case 'ScenarioProposed':
    case 'ScenarioRejected':
    case 'PolicyProposed':
    case 'PolicyRejected':
    case 'PolicyImported':
    case 'MatchPlayed':
    case 'RatingChanged':
    case 'AttackerRewarded':
    case 'CurriculumAdvanced':
    case 'PromptEvolved':
    case 'OperatorsEvolved':
    case 'LlmCalled':
    case 'IterationCompleted':
    case 'RunCompleted':
    case 'RunStopped':
      return state;
    default:
      unhandled(event);
      return state;
  }
}

export const paretoProjection: Projection<ParetoState> = {
  name: 'pareto',
  version: 2,
  initialState: () => ({ runs: {} }),
  evolve,
};

// ── queries ──────────────────────────────────────────────────────────────────────────────────────

export interface ParetoPoint {
  policyId: string;
  /** In `objectives` order. */
  scores: number[];
}

export interface Frontier {
  /** fronts[0] is the Pareto front; each front sorted by policy id. */
  fronts: ParetoPoint[][];
  /** Exact hypervolume of the points with respect to `referencePoint`. */
  hypervolume: number;
}

/** The scenario ids the run has evaluations for, sorted. */
export function scenarioIds(state: ParetoState, runId: string): string[] {
  const run = getEntry(state.runs, runId);
  return run === undefined ? [] : sortedKeys(run.scenarios);
}

/** Every policy's scores on one scenario, by policy id. */
export function scenarioPoints(state: ParetoState, runId: string, scenarioId: string): ParetoPoint[] {
  const run = getEntry(state.runs, runId);
  const scenario = run === undefined ? undefined : getEntry(run.scenarios, scenarioId);
  if (scenario === undefined) return [];
  return scenario.policies
    .map((policyId, i) => ({ policyId, scores: scenario.scores.slice(i * N, i * N + N) }))
    .sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0));
}

/** Every policy's mean scores over the scenarios it was evaluated on (summed in scenario-id order). */
export function overallPoints(state: ParetoState, runId: string): ParetoPoint[] {
  const run = getEntry(state.runs, runId);
  if (run === undefined) return [];
  const sums: Record<string, { total: number[]; n: number }> = {};
  // Summed in scenario-id order, so the means do not depend on the order events came in.
  for (const scenarioId of sortedKeys(run.scenarios)) {
    const { policies, scores } = run.scenarios[scenarioId]!;
    for (let p = 0; p < policies.length; p++) {
      const policyId = policies[p]!;
      let acc = getEntry(sums, policyId);
      if (acc === undefined) putEntry(sums, policyId, (acc = { total: objectives.map(() => 0), n: 0 }));
      for (let i = 0; i < N; i++) acc.total[i]! += scores[p * N + i]!;
      acc.n += 1;
    }
  }
  return sortedKeys(sums).map((policyId) => {
    const { total, n } = sums[policyId]!;
    return { policyId, scores: total.map((t) => t / n) };
  });
}

/** Fronts and hypervolume of a set of points. */
export function frontierOf(points: readonly ParetoPoint[]): Frontier {
  const sorted = [...points].sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0));
  const fronts = nonDominatedSort(sorted, (p) => p.scores);
  return { fronts, hypervolume: hypervolume(fronts[0]?.map((p) => p.scores) ?? [], referencePoint) };
}

export function scenarioFrontier(state: ParetoState, runId: string, scenarioId: string): Frontier {
  return frontierOf(scenarioPoints(state, runId, scenarioId));
}

export function overallFrontier(state: ParetoState, runId: string): Frontier {
  return frontierOf(overallPoints(state, runId));
}

/** The overall Pareto front alone (fronts[0] of overallFrontier) and its hypervolume, without sorting the dominated points into fronts. */
export function overallFront(state: ParetoState, runId: string): { front: ParetoPoint[]; hypervolume: number } {
  const front = paretoFront(overallPoints(state, runId), (p) => p.scores); // overallPoints come in policy-id order
  return { front, hypervolume: hypervolume(front.map((p) => p.scores), referencePoint) };
}
