// The curriculum (the proposal's CurriculumManager): five levels of growing size and difficulty, and the
// rule that moves a run up a level when the defender solves enough of the recent scenarios.
//
// Levels are 0-based indices into `curriculumLevels` (CurriculumAdvanced.from/to use the same numbers).
// Success, from events, per run:
// - A scenario enters the curriculum when it is proposed (ScenarioProposed, iteration i = its
//   metadata.iteration). Its result is its best defender evaluation in iteration i: among the
//   EvaluationCompleted events on it with metadata.iteration = i, of policies that are not baselines
//   (PolicyProposed with operator or author `baseline`), a solved one if there is one, else the one
//   with the highest reward (ties: the lower policy id). The scenario counts as solved when that
//   evaluation is `solved` — i.e. when any defender policy solved it; with no defender evaluation it
//   counts as not solved.
// - At IterationCompleted(i) the results of the scenarios proposed in iterations ≤ i enter the window,
//   in scenario-id order; the window keeps the last `window` results (default 20).
// - The decision point is after an iteration's evaluations and before its IterationCompleted: the
//   results the decision sees are the window followed by the pending results of the open iteration
//   (again the last `window`). The run advances when the level is not the last, that view holds a full
//   `window` of results, and at least `threshold` (default 0.7) of them are solved. `window` and
//   `threshold` come from RunStarted's config (`curriculum.window`, `curriculum.threshold`).
// - A run starts at level `curriculum.startLevel` − 1 of RunStarted's config (1-based there; default 1).
// - CurriculumAdvanced moves the level to `to` and starts a new window: the results that led to it
//   (the window and the open iteration's pending results) are at the old level and are dropped.
import type { AuroraEvent, EventOf } from '../events/catalogue.js';
import {
  configNumber,
  getEntry,
  isBaselineProposal,
  putEntry,
  runState,
  sortedKeys,
  unhandled,
  type PerRun,
  type Projection,
} from './fold.js';

export interface CurriculumLevel {
  name: string;
  tasks: number;
  nodes: number;
  difficulty: number;
}

export const curriculumLevels: readonly CurriculumLevel[] = [
  { name: 'basic', tasks: 5, nodes: 3, difficulty: 1 },
  { name: 'intermediate', tasks: 20, nodes: 10, difficulty: 3 },
  { name: 'advanced', tasks: 50, nodes: 25, difficulty: 5 },
  { name: 'expert', tasks: 100, nodes: 50, difficulty: 7 },
  { name: 'master', tasks: 500, nodes: 100, difficulty: 10 },
];

export const defaultCurriculumConfig = { window: 20, threshold: 0.7 };

export interface ScenarioResult {
  scenarioId: string;
  solved: boolean;
}

interface BestEvaluation {
  policyId: string;
  reward: number;
  solved: boolean;
}

interface PendingScenario {
  iteration: number;
  best: BestEvaluation | null;
}

export interface RunCurriculum {
  level: number;
  window: number;
  threshold: number;
  /** The last `window` results of completed iterations at the current level, oldest first. */
  recent: ScenarioResult[];
  /** Scenarios proposed whose iteration has not completed yet. */
  pending: Record<string, PendingScenario>;
  /** Baseline policies: their evaluations are not the defender's. */
  baselines: Record<string, true>;
  /** Every CurriculumAdvanced applied, in order. */
  advances: { iteration: number; from: number; to: number; successRate: number }[];
}

export type CurriculumState = PerRun<RunCurriculum>;

function newRun(): RunCurriculum {
  return { level: 0, ...defaultCurriculumConfig, recent: [], pending: {}, baselines: {}, advances: [] };
}

function better(candidate: BestEvaluation, best: BestEvaluation | null): boolean {
  if (best === null) return true;
  // A solved evaluation wins over a higher reward that did not solve (a fault or too many SLA
  // violations): the defender solved the scenario if any of its policies did.
  if (candidate.solved !== best.solved) return candidate.solved;
  if (candidate.reward !== best.reward) return candidate.reward > best.reward;
  return candidate.policyId < best.policyId;
}

function evaluate(run: RunCurriculum, event: EventOf<'EvaluationCompleted'>): void {
  const { scenarioId, policyId, reward, solved } = event.data;
  const pending = getEntry(run.pending, scenarioId);
  if (pending === undefined || pending.iteration !== event.metadata.iteration) return;
  if (getEntry(run.baselines, policyId) !== undefined) return;
  const candidate = { policyId, reward, solved };
  if (better(candidate, pending.best)) pending.best = candidate;
}

/** Pending scenarios of iterations ≤ `iteration`, in (iteration, scenario id) order. */
function pendingUpTo(run: RunCurriculum, iteration: number): string[] {
  return sortedKeys(run.pending)
    .filter((id) => run.pending[id]!.iteration <= iteration)
    .sort((x, y) => run.pending[x]!.iteration - run.pending[y]!.iteration || (x < y ? -1 : x > y ? 1 : 0));
}

function completeIteration(run: RunCurriculum, iteration: number): void {
  for (const scenarioId of pendingUpTo(run, iteration)) {
    run.recent.push({ scenarioId, solved: run.pending[scenarioId]!.best?.solved ?? false });
    delete run.pending[scenarioId];
  }
  if (run.recent.length > run.window) run.recent.splice(0, run.recent.length - run.window);
}

function advance(run: RunCurriculum, event: EventOf<'CurriculumAdvanced'>): void {
  const { from, to, successRate } = event.data;
  run.advances.push({ iteration: event.metadata.iteration, from, to, successRate });
  run.level = event.data.to;
  run.recent = [];
  for (const scenarioId of pendingUpTo(run, event.metadata.iteration)) delete run.pending[scenarioId];
}

export function evolve(state: CurriculumState, event: AuroraEvent): CurriculumState {
  const run = runState(state, event.metadata.runId, newRun);
  switch (event.type) {
    case 'RunStarted':
      run.window = Math.max(1, Math.floor(configNumber(event.data.config, ['curriculum', 'window'], defaultCurriculumConfig.window)));
      run.threshold = configNumber(event.data.config, ['curriculum', 'threshold'], defaultCurriculumConfig.threshold);
      // `curriculum.startLevel` is 1-based (1 = basic); a run may start above the first level.
      run.level = Math.min(curriculumLevels.length - 1, Math.max(0, Math.floor(configNumber(event.data.config, ['curriculum', 'startLevel'], 1)) - 1));
      return state;
    case 'PolicyProposed':
      if (isBaselineProposal(event.data)) putEntry(run.baselines, event.data.policyId, true);
      return state;
    case 'ScenarioProposed':
      putEntry(run.pending, event.data.scenarioId, { iteration: event.metadata.iteration, best: null });
      return state;
    case 'EvaluationCompleted':
      evaluate(run, event);
      return state;
    case 'IterationCompleted':
      completeIteration(run, event.data.iteration);
      return state;
    case 'CurriculumAdvanced':
      advance(run, event);
      return state;
    case 'ScenarioRejected':
    case 'PolicyRejected':
    case 'PolicyImported':
    case 'MatchPlayed':
    case 'RatingChanged':
    case 'AttackerRewarded':
    case 'PromptEvolved':
    case 'OperatorsEvolved':
    case 'LlmCalled':
    case 'RunCompleted':
    case 'RunStopped':
      return state;
    default:
      unhandled(event);
      return state;
  }
}

export const curriculumProjection: Projection<CurriculumState> = {
  name: 'curriculum',
  version: 1,
  initialState: () => ({ runs: {} }),
  evolve,
};

// ── queries and the decision ─────────────────────────────────────────────────────────────────────

function runOf(state: CurriculumState, runId: string): RunCurriculum {
  return getEntry(state.runs, runId) ?? newRun();
}

/** The level a run is at (index into curriculumLevels) and its description. */
export function currentLevel(state: CurriculumState, runId: string): { index: number } & CurriculumLevel {
  const index = runOf(state, runId).level;
  const spec = curriculumLevels[Math.min(index, curriculumLevels.length - 1)]!;
  return { index, ...spec };
}

/** What the decision sees: the window, then the open iteration's results, at most `window` of them. */
export function decisionWindow(state: CurriculumState, runId: string): ScenarioResult[] {
  const run = runOf(state, runId);
  const open = pendingUpTo(run, Number.MAX_SAFE_INTEGER).map((scenarioId) => ({
    scenarioId,
    solved: run.pending[scenarioId]!.best?.solved ?? false,
  }));
  const all = [...run.recent, ...open];
  return all.slice(Math.max(0, all.length - run.window));
}

export interface CurriculumDecision {
  advance: boolean;
  from: number;
  to: number;
  /** Solved fraction of the decision window (0 when it is empty). */
  successRate: number;
  /** Results in the decision window. */
  window: number;
  threshold: number;
}

/** Whether the run should move up a level now (at the decision point of its open iteration). */
export function shouldAdvance(state: CurriculumState, runId: string): CurriculumDecision {
  const run = runOf(state, runId);
  const results = decisionWindow(state, runId);
  const solved = results.reduce((n, r) => n + (r.solved ? 1 : 0), 0);
  const successRate = results.length === 0 ? 0 : solved / results.length;
  const last = run.level >= curriculumLevels.length - 1;
  return {
    advance: !last && results.length >= run.window && successRate >= run.threshold,
    from: run.level,
    to: last ? run.level : run.level + 1,
    successRate,
    window: results.length,
    threshold: run.threshold,
  };
}

// ── verification ─────────────────────────────────────────────────────────────────────────────────

export interface CurriculumMismatch {
  kind: 'unexpected-advance' | 'missed-advance' | 'advance-differs';
  runId: string;
  iteration: number;
  /** The CurriculumAdvanced (or, for a missed advance, the IterationCompleted) that shows it. */
  eventId: string;
  expected: CurriculumDecision;
  recorded: EventOf<'CurriculumAdvanced'>['data'] | null;
}

/**
 * Checks the run's recorded CurriculumAdvanced events against `shouldAdvance`: each must come when the
 * decision says advance, with the same from, to, success rate (within `tolerance`) and window size; and
 * an iteration whose decision says advance must record one before it completes. Returns the first
 * mismatch, or null.
 */
export function verifyCurriculum(events: Iterable<AuroraEvent>, options: { tolerance?: number } = {}): CurriculumMismatch | null {
  const tolerance = options.tolerance ?? 1e-9;
  let state = curriculumProjection.initialState();
  // runId → iteration in which the last CurriculumAdvanced was recorded
  const advancedIn = new Map<string, number>();
  for (const event of events) {
    const runId = event.metadata.runId;
    if (event.type === 'CurriculumAdvanced') {
      const expected = shouldAdvance(state, runId);
      const base = { runId, iteration: event.metadata.iteration, eventId: event.metadata.eventId, expected, recorded: event.data };
      if (!expected.advance) return { kind: 'unexpected-advance', ...base };
      const d = event.data;
      if (d.from !== expected.from || d.to !== expected.to || d.window !== expected.window || Math.abs(d.successRate - expected.successRate) > tolerance) {
        return { kind: 'advance-differs', ...base };
      }
      advancedIn.set(runId, event.metadata.iteration);
    } else if (event.type === 'IterationCompleted' && advancedIn.get(runId) !== event.data.iteration) {
      const expected = shouldAdvance(state, runId);
      if (expected.advance) {
        return { kind: 'missed-advance', runId, iteration: event.data.iteration, eventId: event.metadata.eventId, expected, recorded: null };
      }
    }
    state = evolve(state, event);
  }
  return null;
}
