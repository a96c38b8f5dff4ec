// The scenario archive of a run: every proposed scenario with its feature vector (for novelty), its
// level, who wrote it, how often the defender solved it, and what the attacker was paid for it.
// The solve rate counts the defender's evaluations only (policies that are not baselines, as in the
// curriculum): solved evaluations / evaluations. Empirical difficulty is 1 − solve rate.
import type { AuroraEvent, EventOf } from '../events/catalogue.js';
import { getEntry, isBaselineProposal, putEntry, runState, sortedKeys, unhandled, type PerRun, type Projection } from './fold.js';
import { novelty, scenarioFeatures, type FeatureVector } from './scenario-features.js';

export interface ArchivedScenario {
  scenarioId: string;
  domain: string;
  /** The level recorded with ScenarioProposed (the difficulty it was generated for). */
  level: number;
  author: string;
  iteration: number;
  features: FeatureVector;
  /** Defender evaluations (baselines excluded) and how many of them solved it. */
  evaluations: number;
  solved: number;
  /** From the last AttackerRewarded for the scenario. */
  attackerReward: number | null;
  recordedNovelty: number | null;
  learnability: number | null;
}

export interface RunArchive {
  scenarios: Record<string, ArchivedScenario>;
  baselines: Record<string, true>;
}

export type ScenarioArchiveState = PerRun<RunArchive>;

function newRun(): RunArchive {
  return { scenarios: {}, baselines: {} };
}

function proposed(run: RunArchive, event: EventOf<'ScenarioProposed'>): void {
  const d = event.data;
  const previous = getEntry(run.scenarios, d.scenarioId);
  putEntry(run.scenarios, d.scenarioId, {
    scenarioId: d.scenarioId,
    domain: d.scenario.domain,
    level: d.level,
    author: d.author,
    iteration: event.metadata.iteration,
    features: scenarioFeatures(d.scenario),
    evaluations: previous?.evaluations ?? 0,
    solved: previous?.solved ?? 0,
    attackerReward: previous?.attackerReward ?? null,
    recordedNovelty: previous?.recordedNovelty ?? null,
    learnability: previous?.learnability ?? null,
  });
}

export function evolve(state: ScenarioArchiveState, event: AuroraEvent): ScenarioArchiveState {
  const run = runState(state, event.metadata.runId, newRun);
  switch (event.type) {
    case 'ScenarioProposed':
      proposed(run, event);
      return state;
    case 'PolicyProposed':
      if (isBaselineProposal(event.data)) putEntry(run.baselines, event.data.policyId, true);
      return state;
    case 'EvaluationCompleted': {
      const s = getEntry(run.scenarios, event.data.scenarioId);
      if (s === undefined || getEntry(run.baselines, event.data.policyId) !== undefined) return state;
      s.evaluations += 1;
      if (event.data.solved) s.solved += 1;
      return state;
    }
    case 'AttackerRewarded': {
      const s = getEntry(run.scenarios, event.data.scenarioId);
      if (s === undefined) return state;
      s.attackerReward = event.data.reward;
      s.recordedNovelty = event.data.novelty;
      s.learnability = event.data.learnability;
      return state;
    }
    case 'RunStarted':
    case 'ScenarioRejected':
    case 'PolicyRejected':
    case 'PolicyImported':
    case 'MatchPlayed':
    case 'RatingChanged':
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

export const scenarioArchiveProjection: Projection<ScenarioArchiveState> = {
  name: 'scenario-archive',
  version: 1,
  initialState: () => ({ runs: {} }),
  evolve,
};

// ── queries ──────────────────────────────────────────────────────────────────────────────────────

export function solveRate(s: ArchivedScenario): number | null {
  return s.evaluations === 0 ? null : s.solved / s.evaluations;
}

export function empiricalDifficulty(s: ArchivedScenario): number | null {
  const rate = solveRate(s);
  return rate === null ? null : 1 - rate;
}

/** The run's scenarios, by scenario id. */
export function archivedScenarios(state: ScenarioArchiveState, runId: string): ArchivedScenario[] {
  const run = getEntry(state.runs, runId);
  return run === undefined ? [] : sortedKeys(run.scenarios).map((id) => run.scenarios[id]!);
}

/** The feature vectors of the run's archive (by scenario id), optionally without some scenarios. */
export function archiveVectors(state: ScenarioArchiveState, runId: string, exclude: readonly string[] = []): FeatureVector[] {
  return archivedScenarios(state, runId)
    .filter((s) => !exclude.includes(s.scenarioId))
    .map((s) => s.features);
}

/** Novelty of an archived scenario against the rest of its run's archive (k nearest neighbours). */
export function noveltyOf(state: ScenarioArchiveState, runId: string, scenarioId: string, k: number): number | null {
  const run = getEntry(state.runs, runId);
  const s = run === undefined ? undefined : getEntry(run.scenarios, scenarioId);
  if (s === undefined) return null;
  return novelty(s.features, archiveVectors(state, runId, [scenarioId]), k);
}

export { novelty, scenarioFeatures };
