// The policy library of a run: every policy proposed or imported, with its lineage (parents, operator),
// author and rationale, its current rating (the `after` of its last RatingChanged, or the rating it was
// imported with), and its evaluations: count, solved count and mean reward, overall and per scenario
// domain and level (both taken from the scenario's ScenarioProposed). Best per domain and per level are
// derived on query.
import type { AuroraEvent, EventOf } from '../events/catalogue.js';
import { getEntry, putEntry, runState, sortedKeys, unhandled, type PerRun, type Projection } from './fold.js';

type PolicyDocument = EventOf<'PolicyProposed'>['data']['policy'];

export interface RewardTally {
  evaluations: number;
  rewardSum: number;
}

export interface LibraryPolicy extends RewardTally {
  policyId: string;
  policy: PolicyDocument | null;
  /** proposed (PolicyProposed), imported (PolicyImported), or unknown (evaluated or rated before either). */
  origin: 'proposed' | 'imported' | 'unknown';
  parents: string[];
  /** baseline, mutate:<kind>, crossover, …; `import` for an imported policy. */
  operator: string | null;
  author: string | null;
  rationale: string | null;
  /** The scenario it was written for, if any. */
  scenarioId: string | null;
  /** Where an imported policy came from. */
  source: EventOf<'PolicyImported'>['data']['source'] | null;
  /** The iteration in which it appeared. */
  iteration: number;
  rating: number | null;
  ratingChanges: number;
  solved: number;
  /** By scenario domain (cloud, edge, network, hybrid; `unknown` when the scenario was never proposed). */
  byDomain: Record<string, RewardTally>;
  /** By the scenario's level as recorded in ScenarioProposed (a string key). */
  byLevel: Record<string, RewardTally>;
}

export interface RunLibrary {
  policies: Record<string, LibraryPolicy>;
  scenarios: Record<string, { domain: string; level: number }>;
}

export type PolicyLibraryState = PerRun<RunLibrary>;

function newRun(): RunLibrary {
  return { policies: {}, scenarios: {} };
}

function entry(run: RunLibrary, policyId: string, iteration: number): LibraryPolicy {
  let p = getEntry(run.policies, policyId);
  if (p === undefined) {
    p = {
      policyId,
      policy: null,
      origin: 'unknown',
      parents: [],
      operator: null,
      author: null,
      rationale: null,
      scenarioId: null,
      source: null,
      iteration,
      rating: null,
      ratingChanges: 0,
      evaluations: 0,
      rewardSum: 0,
      solved: 0,
      byDomain: {},
      byLevel: {},
    };
    putEntry(run.policies, policyId, p);
  }
  return p;
}

function tally(dict: Record<string, RewardTally>, key: string, reward: number): void {
  let t = getEntry(dict, key);
  if (t === undefined) putEntry(dict, key, (t = { evaluations: 0, rewardSum: 0 }));
  t.evaluations += 1;
  t.rewardSum += reward;
}

function evaluated(run: RunLibrary, event: EventOf<'EvaluationCompleted'>): void {
  const { policyId, scenarioId, reward, solved } = event.data;
  const p = entry(run, policyId, event.metadata.iteration);
  p.evaluations += 1;
  p.rewardSum += reward;
  if (solved) p.solved += 1;
  const scenario = getEntry(run.scenarios, scenarioId);
  tally(p.byDomain, scenario?.domain ?? 'unknown', reward);
  if (scenario !== undefined) tally(p.byLevel, String(scenario.level), reward);
}

export function evolve(state: PolicyLibraryState, event: AuroraEvent): PolicyLibraryState {
  const run = runState(state, event.metadata.runId, newRun);
  switch (event.type) {
    case 'ScenarioProposed':
      putEntry(run.scenarios, event.data.scenarioId, { domain: event.data.scenario.domain, level: event.data.level });
      return state;
    case 'PolicyProposed': {
      const d = event.data;
      const p = entry(run, d.policyId, event.metadata.iteration);
      Object.assign(p, {
        policy: d.policy,
        origin: 'proposed',
        parents: [...d.parents],
        operator: d.operator,
        author: d.author,
        rationale: d.rationale,
        scenarioId: d.scenarioId,
      });
      return state;
    }
    case 'PolicyImported': {
      const d = event.data;
      const p = entry(run, d.policyId, event.metadata.iteration);
      Object.assign(p, { policy: d.policy, origin: 'imported', operator: 'import', author: d.policy.author ?? null, source: d.source });
      if (d.rating !== null) p.rating = d.rating;
      return state;
    }
    case 'EvaluationCompleted':
      evaluated(run, event);
      return state;
    case 'RatingChanged': {
      const p = entry(run, event.data.policyId, event.metadata.iteration);
      p.rating = event.data.after;
      p.ratingChanges += 1;
      return state;
    }
    case 'RunStarted':
    case 'ScenarioRejected':
    case 'PolicyRejected':
    case 'MatchPlayed':
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

export const policyLibraryProjection: Projection<PolicyLibraryState> = {
  name: 'policy-library',
  version: 1,
  initialState: () => ({ runs: {} }),
  evolve,
};

// ── queries ──────────────────────────────────────────────────────────────────────────────────────

export function meanReward(t: RewardTally): number | null {
  return t.evaluations === 0 ? null : t.rewardSum / t.evaluations;
}

/** The run's policies, by policy id. */
export function policies(state: PolicyLibraryState, runId: string): LibraryPolicy[] {
  const run = getEntry(state.runs, runId);
  return run === undefined ? [] : sortedKeys(run.policies).map((id) => run.policies[id]!);
}

export function policyOf(state: PolicyLibraryState, runId: string, policyId: string): LibraryPolicy | null {
  const run = getEntry(state.runs, runId);
  return (run === undefined ? undefined : getEntry(run.policies, policyId)) ?? null;
}

/** The ancestors of a policy, nearest first (breadth-first over parents, each once). */
export function lineage(state: PolicyLibraryState, runId: string, policyId: string): string[] {
  const seen = new Set<string>([policyId]);
  const out: string[] = [];
  let frontier = [policyId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const parent of policyOf(state, runId, id)?.parents ?? []) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        out.push(parent);
        next.push(parent);
      }
    }
    frontier = next;
  }
  return out;
}

export interface BestPolicy {
  policyId: string;
  meanReward: number;
  evaluations: number;
}

/** Highest mean reward wins; then more evaluations; then the lower policy id. */
function bestBy(state: PolicyLibraryState, runId: string, pick: (p: LibraryPolicy) => Record<string, RewardTally>): Record<string, BestPolicy> {
  const best: Record<string, BestPolicy> = {};
  for (const p of policies(state, runId)) {
    const tallies = pick(p);
    for (const key of sortedKeys(tallies)) {
      const t = tallies[key]!;
      const mean = meanReward(t);
      if (mean === null) continue;
      const current = getEntry(best, key);
      if (current === undefined || mean > current.meanReward || (mean === current.meanReward && t.evaluations > current.evaluations)) {
        putEntry(best, key, { policyId: p.policyId, meanReward: mean, evaluations: t.evaluations });
      }
    }
  }
  return best;
}

/** The best policy of each scenario domain. */
export function bestPerDomain(state: PolicyLibraryState, runId: string): Record<string, BestPolicy> {
  return bestBy(state, runId, (p) => p.byDomain);
}

/** The best policy of each scenario level. */
export function bestPerLevel(state: PolicyLibraryState, runId: string): Record<string, BestPolicy> {
  return bestBy(state, runId, (p) => p.byLevel);
}
