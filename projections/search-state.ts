// The search state of the offline minds, per run, folded from the run's events, and the evidence the
// evolver adapts operator rates from. Workers are stateless: the controller puts `attackerSearch` and
// `defenderSearch` into each request, so the minds learn from the run without keeping anything.
//
// What the fold keeps, per run:
// - scenarios: each ScenarioProposed with its generator (params, seed, the operators that made it and
//   its parent elite, as the offline attacker records them in `generator`) and, from AttackerRewarded,
//   the attacker reward and the defender's solve rate;
// - policies: each PolicyProposed / PolicyImported with its operator, parents and island (the island
//   of its first parent; a policy without parents founds its own), and the mean rating of its parents
//   when it was proposed;
// - ratings: the last RatingChanged `after` of every policy (the initial rating from RunStarted's
//   config before its first match, or the rating a PolicyImported brings);
// - per role, the operator settings the evolver last recorded (OperatorsEvolved `after`: rates, and
//   for the attacker the generator ranges) and the evidence gathered since then (an epoch):
//   attacker: scenarios proposed and rewarded per operator, with the reward summed;
//   defender: children per operator, the matches they played and the points they scored.
// OperatorsEvolved for a role closes its epoch: its evidence starts again from nothing.
//
// The fold knows no defaults: settings the evolver never recorded are absent from the state, and the
// minds fill them in (actors/minds/*/search.ts). State is plain JSON; dictionaries are walked in
// sorted key order.
import type { AuroraEvent, EventOf } from '../events/catalogue.js';
import { configNumber, getEntry, isBaselineProposal, putEntry, runState, sortedKeys, unhandled, type PerRun, type Projection } from './fold.js';

type Json = EventOf<'OperatorsEvolved'>['data']['after'];

export interface ScenarioRecord {
  domain: string;
  level: number;
  iteration: number;
  /** The generator parameters, when the generator field carries them. */
  params: Json | null;
  seed: number | null;
  /** Operators that made it (each once, sorted), from generator.operators. */
  operators: string[];
  parent: string | null;
  reward: number | null;
  solveRate: number | null;
  /** The attacker epoch it was proposed in. */
  epoch: number;
}

export interface PolicyRecord {
  operator: string;
  parents: string[];
  island: string;
  baseline: boolean;
  iteration: number;
  /** Mean rating of its parents when it was proposed (null without parents). */
  parentRating: number | null;
  /** The defender epoch it was proposed in. */
  epoch: number;
}

export interface AttackerTally {
  scenarios: number;
  rewarded: number;
  rewardSum: number;
}

export interface DefenderTally {
  children: number;
  matches: number;
  points: number;
}

export interface Range {
  min: number;
  max: number;
}

export interface RoleSettings {
  rates: Record<string, number> | null;
  /** Attacker only: the generator ranges. */
  ranges: Record<string, Range> | null;
  /** OperatorsEvolved events applied so far: the number of the current epoch. */
  epoch: number;
}

export interface RunSearch {
  initialRating: number;
  scenarios: Record<string, ScenarioRecord>;
  policies: Record<string, PolicyRecord>;
  ratings: Record<string, number>;
  attacker: RoleSettings & { tallies: Record<string, AttackerTally> };
  defender: RoleSettings & { tallies: Record<string, DefenderTally> };
}

export type SearchState = PerRun<RunSearch>;

function newRun(): RunSearch {
  return {
    initialRating: 1500,
    scenarios: {},
    policies: {},
    ratings: {},
    attacker: { rates: null, ranges: null, epoch: 0, tallies: {} },
    defender: { rates: null, ranges: null, epoch: 0, tallies: {} },
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isFinite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function field(obj: unknown, key: string): unknown {
  return isObject(obj) ? getEntry(obj, key) : undefined;
}

function attackerTally(run: RunSearch, op: string): AttackerTally {
  let t = getEntry(run.attacker.tallies, op);
  if (t === undefined) putEntry(run.attacker.tallies, op, (t = { scenarios: 0, rewarded: 0, rewardSum: 0 }));
  return t;
}

function defenderTally(run: RunSearch, op: string): DefenderTally {
  let t = getEntry(run.defender.tallies, op);
  if (t === undefined) putEntry(run.defender.tallies, op, (t = { children: 0, matches: 0, points: 0 }));
  return t;
}

function ratingOf(run: RunSearch, policyId: string): number {
  return getEntry(run.ratings, policyId) ?? run.initialRating;
}

function scenarioProposed(run: RunSearch, event: EventOf<'ScenarioProposed'>): void {
  const d = event.data;
  const g = d.generator;
  const ops = field(g, 'operators');
  const operators = Array.isArray(ops) ? [...new Set(ops.filter((o): o is string => typeof o === 'string'))].sort() : [];
  const seed = field(g, 'seed');
  const parent = field(g, 'parent');
  const params = field(g, 'params');
  const previous = getEntry(run.scenarios, d.scenarioId);
  putEntry(run.scenarios, d.scenarioId, {
    domain: d.scenario.domain,
    level: d.level,
    iteration: event.metadata.iteration,
    params: isObject(params) ? (params as Json) : null,
    seed: isFinite(seed) ? seed : null,
    operators,
    parent: typeof parent === 'string' ? parent : null,
    reward: previous?.reward ?? null,
    solveRate: previous?.solveRate ?? null,
    epoch: run.attacker.epoch,
  });
  for (const op of operators) attackerTally(run, op).scenarios += 1;
}

function attackerRewarded(run: RunSearch, event: EventOf<'AttackerRewarded'>): void {
  const s = getEntry(run.scenarios, event.data.scenarioId);
  if (s === undefined) return;
  const before = s.reward;
  s.reward = event.data.reward;
  s.solveRate = event.data.solveRate;
  if (s.epoch !== run.attacker.epoch) return;
  for (const op of s.operators) {
    const t = attackerTally(run, op);
    // A second reward for the same scenario replaces the first.
    if (before === null) t.rewarded += 1;
    t.rewardSum += event.data.reward - (before ?? 0);
  }
}

function policyProposed(run: RunSearch, event: EventOf<'PolicyProposed'>): void {
  const d = event.data;
  const baseline = isBaselineProposal(d);
  const first = d.parents[0];
  const island = baseline || first === undefined ? d.policyId : (getEntry(run.policies, first)?.island ?? first);
  const parentRating = d.parents.length === 0 ? null : d.parents.reduce((s, p) => s + ratingOf(run, p), 0) / d.parents.length;
  putEntry(run.policies, d.policyId, {
    operator: d.operator,
    parents: [...d.parents],
    island,
    baseline,
    iteration: event.metadata.iteration,
    parentRating,
    epoch: run.defender.epoch,
  });
  if (!baseline) defenderTally(run, d.operator).children += 1;
}

/**
 * Credits each game of the round (forEachGame's pairs) to the operators of its two players. Games and
 * points are summed per player over the round first and then added to the tallies: points are 0, ½ or 1,
 * so every sum is exact and the order of additions cannot change it; a round of n players holds
 * n·(n − 1)/2 games but only n lookups this way.
 */
function matchPlayed(run: RunSearch, event: EventOf<'MatchPlayed'>): void {
  const { players, outcomes } = event.data;
  const n = players.length;
  const games = new Array<number>(n).fill(0);
  const points = new Array<number>(n).fill(0);
  let g = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const outcome = outcomes[g++]!;
      if (players[i] === players[j]) continue;
      games[i]! += 1;
      games[j]! += 1;
      points[i]! += outcome;
      points[j]! += 1 - outcome;
    }
  }
  for (let i = 0; i < n; i++) {
    if (games[i] === 0) continue;
    const p = getEntry(run.policies, players[i]!);
    if (p === undefined || p.baseline || p.operator === 'import') continue;
    const t = defenderTally(run, p.operator);
    t.matches += games[i]!;
    t.points += points[i]!;
  }
}

function readRates(x: unknown): Record<string, number> | null {
  if (!isObject(x)) return null;
  const out: Record<string, number> = {};
  for (const k of sortedKeys(x)) {
    const v = x[k];
    if (isFinite(v) && v >= 0) putEntry(out, k, v);
  }
  return Object.keys(out).length === 0 ? null : out;
}

function readRanges(x: unknown): Record<string, Range> | null {
  if (!isObject(x)) return null;
  const out: Record<string, Range> = {};
  for (const k of sortedKeys(x)) {
    const r = x[k];
    const min = field(r, 'min');
    const max = field(r, 'max');
    if (isFinite(min) && isFinite(max) && min <= max) putEntry(out, k, { min, max });
  }
  return Object.keys(out).length === 0 ? null : out;
}

function operatorsEvolved(run: RunSearch, event: EventOf<'OperatorsEvolved'>): void {
  const after = event.data.after;
  if (event.data.role === 'attacker') {
    run.attacker.rates = readRates(field(after, 'rates')) ?? run.attacker.rates;
    run.attacker.ranges = readRanges(field(after, 'ranges')) ?? run.attacker.ranges;
    run.attacker.epoch += 1;
    run.attacker.tallies = {};
  } else {
    run.defender.rates = readRates(field(after, 'rates')) ?? run.defender.rates;
    run.defender.epoch += 1;
    run.defender.tallies = {};
  }
}

export function evolve(state: SearchState, event: AuroraEvent): SearchState {
  const run = runState(state, event.metadata.runId, newRun);
  switch (event.type) {
    case 'RunStarted':
      run.initialRating = configNumber(event.data.config, ['elo', 'initial'], 1500);
      return state;
    case 'ScenarioProposed':
      scenarioProposed(run, event);
      return state;
    case 'AttackerRewarded':
      attackerRewarded(run, event);
      return state;
    case 'PolicyProposed':
      policyProposed(run, event);
      return state;
    case 'PolicyImported': {
      const d = event.data;
      putEntry(run.policies, d.policyId, {
        operator: 'import',
        parents: [],
        island: d.policyId,
        baseline: false,
        iteration: event.metadata.iteration,
        parentRating: null,
        epoch: run.defender.epoch,
      });
      if (d.rating !== null) putEntry(run.ratings, d.policyId, d.rating);
      return state;
    }
    case 'MatchPlayed':
      matchPlayed(run, event);
      return state;
    case 'RatingChanged':
      putEntry(run.ratings, event.data.policyId, event.data.after);
      return state;
    case 'OperatorsEvolved':
      operatorsEvolved(run, event);
      return state;
    case 'ScenarioRejected':
    case 'PolicyRejected':
    case 'EvaluationCompleted':
    case 'CurriculumAdvanced':
    case 'PromptEvolved':
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

export const searchStateProjection: Projection<SearchState> = {
  name: 'search-state',
  version: 1,
  initialState: () => ({ runs: {} }),
  evolve,
};

// ── queries: what goes into the requests ─────────────────────────────────────────────────────────

function runOf(state: SearchState, runId: string): RunSearch {
  return getEntry(state.runs, runId) ?? newRun();
}

export interface AttackerEliteJson {
  scenarioId: string;
  domain: string;
  level: number;
  params: Json;
  seed: number;
  operators: string[];
  reward: number;
  solveRate: number | null;
}

/** The attacker's search state: elites (best reward first, ties by id), and rates and ranges once evolved. */
export function attackerSearch(state: SearchState, runId: string, options: { elites?: number } = {}): Record<string, Json> {
  const run = runOf(state, runId);
  const limit = options.elites ?? 16;
  const elites: AttackerEliteJson[] = sortedKeys(run.scenarios)
    .flatMap((id) => {
      const s = run.scenarios[id]!;
      if (s.params === null || s.seed === null || s.reward === null) return [];
      return [{ scenarioId: id, domain: s.domain, level: s.level, params: s.params, seed: s.seed, operators: s.operators, reward: s.reward, solveRate: s.solveRate }];
    })
    .sort((a, b) => b.reward - a.reward || (a.scenarioId < b.scenarioId ? -1 : 1))
    .slice(0, limit);
  const out: Record<string, Json> = { version: 1, elites: elites as unknown as Json };
  if (run.attacker.ranges !== null) out.ranges = run.attacker.ranges as unknown as Json;
  if (run.attacker.rates !== null) out.rates = run.attacker.rates;
  return out;
}

/**
 * The defender's search state: islands (policy id → island) and rates once evolved. `only` restricts
 * the islands to some policies (e.g. the population of the request), to keep requests small.
 */
export function defenderSearch(state: SearchState, runId: string, options: { only?: readonly string[] } = {}): Record<string, Json> {
  const run = runOf(state, runId);
  const ids = options.only === undefined ? sortedKeys(run.policies) : [...new Set(options.only)].sort().filter((id) => getEntry(run.policies, id) !== undefined);
  const islands: Record<string, string> = {};
  for (const id of ids) putEntry(islands, id, run.policies[id]!.island);
  const out: Record<string, Json> = { version: 1, islands };
  if (run.defender.rates !== null) out.rates = run.defender.rates;
  return out;
}

// ── the evolver's evidence ───────────────────────────────────────────────────────────────────────

export interface AttackerEvidence {
  role: 'attacker';
  epoch: number;
  /** Per operator: scenarios proposed, rewarded, and the reward summed, in the epoch. */
  operators: Record<string, AttackerTally>;
  /** The rewarded scenarios of the epoch with their generator parameters, by scenario id. */
  samples: { scenarioId: string; reward: number; params: Json }[];
}

export interface DefenderEvidence {
  role: 'defender';
  epoch: number;
  /** Per operator: children proposed, matches they played and points they scored, in the epoch. */
  operators: Record<string, DefenderTally & { gainSum: number; rated: number }>;
}

export type OperatorEvidence = AttackerEvidence | DefenderEvidence;

export function evolverEvidence(state: SearchState, runId: string, role: 'attacker'): AttackerEvidence;
export function evolverEvidence(state: SearchState, runId: string, role: 'defender'): DefenderEvidence;
export function evolverEvidence(state: SearchState, runId: string, role: 'attacker' | 'defender'): OperatorEvidence;
export function evolverEvidence(state: SearchState, runId: string, role: 'attacker' | 'defender'): OperatorEvidence {
  const run = runOf(state, runId);
  if (role === 'attacker') {
    const operators: Record<string, AttackerTally> = {};
    for (const op of sortedKeys(run.attacker.tallies)) putEntry(operators, op, { ...run.attacker.tallies[op]! });
    const samples = sortedKeys(run.scenarios).flatMap((id) => {
      const s = run.scenarios[id]!;
      return s.epoch === run.attacker.epoch && s.reward !== null && s.params !== null ? [{ scenarioId: id, reward: s.reward, params: s.params }] : [];
    });
    return { role, epoch: run.attacker.epoch, operators, samples };
  }
  // Rating gain of a child over its parents: how its rating now compares with theirs at its birth.
  const gains: Record<string, { gainSum: number; rated: number }> = {};
  for (const id of sortedKeys(run.policies)) {
    const p = run.policies[id]!;
    if (p.baseline || p.epoch !== run.defender.epoch || p.parentRating === null || getEntry(run.ratings, id) === undefined) continue;
    let g = getEntry(gains, p.operator);
    if (g === undefined) putEntry(gains, p.operator, (g = { gainSum: 0, rated: 0 }));
    g.gainSum += run.ratings[id]! - p.parentRating;
    g.rated += 1;
  }
  const operators: DefenderEvidence['operators'] = {};
  for (const op of [...new Set([...sortedKeys(run.defender.tallies), ...sortedKeys(gains)])].sort()) {
    const t = getEntry(run.defender.tallies, op) ?? { children: 0, matches: 0, points: 0 };
    const g = getEntry(gains, op) ?? { gainSum: 0, rated: 0 };
    putEntry(operators, op, { ...t, ...g });
  }
  return { role, epoch: run.defender.epoch, operators };
}
