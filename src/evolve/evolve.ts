// The focused evolution driver: a population of policies on a fixed set of fresh training instances,
// improved generation by generation, then a champion picked on fresh validation instances.
// - islands: the population is split in `islands` groups that evolve apart (seeds dealt round-robin, the
//   best seed in every island); every `migrateEvery` generations each island's best is copied into the
//   next island, and crossover draws its donor there (FunSearch's island model, as the defender's);
// - selection: parents by tournament on training fitness (the defender's tournament, fitness as rating);
// - elitism: (μ + λ) survival, the island keeps its `islandSize` best of parents and children, so the
//   best policy found is never lost and the best fitness never falls;
// - seed refinement: before the islands are dealt, every seed gets `seedTuneSteps` hill-climbing steps
//   on its constants, so a seed whose structure is right but whose generic constants are off is judged
//   near its best and is not out-bred at once by descendants of a seed that happened to start higher
//   (bin packing's tight-fit seed starts below best fit at a gap of 2 and beats it from a gap of 4);
// - constant tuning: after each generation, the best of each island gets `tuneSteps` hill-climbing steps
//   on its constants (one nudged, one threshold reset, or all jittered; kept only when training fitness
//   improves);
// - the champion: the `finalists` best distinct policies by training fitness are scored on the
//   validation set; the best there wins (training fitness breaks ties).
// Deterministic: the same problem, seed and number of generations give the same champion. A wall-clock
// budget only decides how many generations run (recorded, so the result can be reproduced with it).
import type { ParentParts } from '../../actors/minds/defender/crossover.js';
import { bloatProblem, simplify } from '../../actors/minds/defender/simplify.js';
import { tournament } from '../../actors/minds/defender/tournament.js';
import type { PolicyDocument } from '../../sim/policy/document.js';
import { parseExpression } from '../../sim/policy/parser.js';
import { printExpression } from '../../sim/policy/printer.js';
import { rngFor, type Rng } from '../../sim/random.js';
import { pickWeighted } from '../../sim/workload/distributions.js';
import { applicableOperators, jitterConstants, makeChild, OPERATOR_WEIGHTS, resetThreshold, stepConstant, type EvolveOperator, type MoveProblem } from './operators.js';
import type { Fitness } from './problem.js';
import { pruneScore } from './prune.js';

/** A problem as the driver sees it: it may know feature ranges and how much its seeds are worth tuning. */
export type DriverProblem = MoveProblem & { readonly seedTuneSteps?: number };

export interface EvolveSettings {
  readonly islands: number;
  readonly islandSize: number;
  /** Children bred per island per generation. */
  readonly children: number;
  readonly tournament: number;
  readonly migrateEvery: number;
  readonly tuneSteps: number;
  /**
   * Hill-climbing steps each seed gets before generation 0 (absent: the problem's `seedTuneSteps`, else
   * 0; a problem whose evaluations are cheap asks for them, scenario problems do not).
   */
  readonly seedTuneSteps?: number;
  readonly finalists: number;
  /** Stop after this many generations (null: no limit, then maxMillis must be set). */
  readonly generations: number | null;
  /** Stop once a generation ends after this much time on `budgetClock` (null: no limit). */
  readonly maxMillis: number | null;
  /**
   * What `maxMillis` and the recorded time count (default 'wall'): 'cpu' counts this process's CPU time,
   * so a budget buys the same search on a busy machine as on an idle one.
   */
  readonly budgetClock?: 'wall' | 'cpu';
}

/** This process's CPU time (user + system), ms. */
export function cpuMillis(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export const DEFAULT_SETTINGS: EvolveSettings = {
  islands: 4,
  islandSize: 10,
  children: 8,
  tournament: 3,
  migrateEvery: 5,
  tuneSteps: 4,
  finalists: 8,
  generations: null,
  maxMillis: 10 * 60_000,
};

export interface Member {
  readonly id: string;
  readonly doc: PolicyDocument;
  readonly parts: ParentParts;
  readonly key: string;
  readonly fitness: Fitness;
  readonly island: number;
  readonly born: number;
  readonly operator: string;
  readonly parents: readonly string[];
  readonly detail: string;
  /** The seed this member descends from (through first parents): which starting structures survive. */
  readonly lineage: string;
}

export interface GenerationStats {
  readonly generation: number;
  /** Best training fitness over all islands. */
  readonly best: Fitness;
  readonly bestId: string;
  readonly evaluations: number;
  readonly millis: number;
}

export interface EvolveResult {
  readonly champion: Member & { readonly validation: Fitness };
  readonly finalists: readonly (Member & { readonly validation: Fitness })[];
  /** The best seed on training fitness, as written (before refinement). */
  readonly bestSeed: Member;
  /** Hill-climbing steps each seed got before generation 0. */
  readonly seedTuneSteps: number;
  readonly generations: number;
  readonly evaluations: number;
  readonly history: readonly GenerationStats[];
  readonly millis: number;
}

export interface EvolveHooks {
  /** Milliseconds, for the budget and progress only. */
  readonly now?: () => number;
  readonly onGeneration?: (stats: GenerationStats) => void;
}

/** Better first: higher fitness, then born earlier, then id. */
function byFitness(a: Member, b: Member): number {
  if (a.fitness.value !== b.fitness.value) return b.fitness.value - a.fitness.value;
  if (a.born !== b.born) return a.born - b.born;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function partsOf(doc: PolicyDocument): ParentParts {
  return { score: parseExpression(doc.score).expr, filter: parseExpression(doc.filter).expr, order: doc.order };
}

function keyOf(p: ParentParts): string {
  return JSON.stringify([typeof p.order === 'string' ? p.order : [p.order.key, p.order.direction], printExpression(p.filter), printExpression(p.score)]);
}

export function evolve(problem: DriverProblem, seed: number, settings: EvolveSettings = DEFAULT_SETTINGS, hooks: EvolveHooks = {}): EvolveResult {
  if (settings.generations === null && settings.maxMillis === null) throw new RangeError('give a generation limit or a time budget');
  const now = hooks.now ?? (settings.budgetClock === 'cpu' ? cpuMillis : () => performance.now());
  const started = now();
  const rng = rngFor(seed, `evolve/${problem.trainingSuite}`);
  const operators = applicableOperators(problem);
  const weights = operators.map((op) => OPERATOR_WEIGHTS[op]);
  // Training fitness of every program met, by key: the training set is fixed, so a repeat costs nothing.
  const cache = new Map<string, Fitness>();
  let evaluations = 0;

  const evaluate = (parts: ParentParts, base: PolicyDocument, id: string): { doc: PolicyDocument; fitness: Fitness; key: string } | null => {
    const key = keyOf(parts);
    const doc: PolicyDocument = {
      ...base,
      name: id,
      order: parts.order,
      filter: printExpression(parts.filter),
      score: printExpression(parts.score),
    };
    if (problem.check(doc) !== null) return null;
    let fitness = cache.get(key);
    if (fitness === undefined) {
      fitness = problem.train(doc);
      evaluations++;
      cache.set(key, fitness);
    }
    return { doc, fitness, key };
  };

  // ---- generation 0: the seeds, dealt round-robin; the best seed joins every island ----
  const seeds: Member[] = [];
  for (const s of problem.seeds) {
    const parts = partsOf(s);
    const e = evaluate(parts, s, `seed-${s.name}`);
    if (e === null || seeds.some((m) => m.key === e.key)) continue;
    seeds.push({ id: `seed-${s.name}`, doc: { ...e.doc, name: s.name }, parts, key: e.key, fitness: e.fitness, island: -1, born: 0, operator: 'seed', parents: [], detail: s.explain, lineage: s.name });
  }
  if (seeds.length === 0) throw new Error('no seed policy is valid for this problem');
  const bestSeed = [...seeds].sort(byFitness)[0]!;
  const seedTuneSteps = settings.seedTuneSteps ?? problem.seedTuneSteps ?? 0;
  const refined: Member[] = [];
  for (const m of seeds) {
    const r = climb(m, seedTuneSteps, rng.derive(`seed/${m.id}`), `${m.id}-t`, 0);
    if (!refined.some((x) => x.key === r.key)) refined.push(r);
  }
  const bestStart = [...refined].sort(byFitness)[0]!;
  const islands: Member[][] = Array.from({ length: settings.islands }, (_, i) => {
    const mine = refined.filter((_, j) => j % settings.islands === i);
    if (!mine.some((m) => m.key === bestStart.key)) mine.push(bestStart);
    return mine.map((m) => ({ ...m, island: i })).sort(byFitness).slice(0, settings.islandSize);
  });

  const history: GenerationStats[] = [];
  const globalBest = () => islands.flat().sort(byFitness)[0]!;
  const record = (generation: number) => {
    const best = globalBest();
    const stats = { generation, best: best.fitness, bestId: best.id, evaluations, millis: now() - started };
    history.push(stats);
    hooks.onGeneration?.(stats);
  };
  record(0);

  let generation = 0;
  for (;;) {
    if (settings.generations !== null && generation >= settings.generations) break;
    if (settings.maxMillis !== null && now() - started >= settings.maxMillis) break;
    generation++;
    const migration = settings.islands > 1 && generation % settings.migrateEvery === 0;
    for (let i = 0; i < islands.length; i++) {
      const grng = rng.derive(`g${generation}/i${i}`);
      const members = islands[i]!;
      const donors = migration ? islands[(i + 1) % islands.length]! : members;
      const keys = new Set(members.map((m) => m.key));
      const children: Member[] = [];
      for (let c = 0; c < settings.children; c++) {
        const child = breedOne(grng, members, donors, keys, `g${generation}-i${i}-${c}`);
        if (child === null) continue;
        keys.add(child.key);
        children.push({ ...child, island: i, born: generation });
      }
      islands[i] = [...members, ...children].sort(byFitness).slice(0, settings.islandSize);
      tune(grng, i, generation);
    }
    if (migration) {
      const bests = islands.map((m) => m[0]!);
      for (let i = 0; i < islands.length; i++) {
        const incoming = bests[(i + islands.length - 1) % islands.length]!;
        const mine = islands[i]!;
        if (mine.some((m) => m.key === incoming.key)) continue;
        islands[i] = [...mine.slice(0, settings.islandSize - 1), { ...incoming, island: i }].sort(byFitness);
      }
    }
    record(generation);
  }

  // ---- the champion: validation decides among the best distinct programs ----
  const distinct = new Map<string, Member>();
  for (const m of islands.flat().sort(byFitness)) if (!distinct.has(m.key)) distinct.set(m.key, m);
  const finalists = [...distinct.values()]
    .filter((m) => Number.isFinite(m.fitness.value))
    .slice(0, settings.finalists)
    .map((m) => ({ ...m, validation: problem.validate(m.doc) }));
  const champion = [...finalists].sort((a, b) => b.validation.value - a.validation.value || byFitness(a, b))[0]!;
  return { champion, finalists, bestSeed, seedTuneSteps, generations: generation, evaluations, history, millis: now() - started };

  function breedOne(grng: Rng, members: readonly Member[], donors: readonly Member[], keys: Set<string>, id: string): Omit<Member, 'island' | 'born'> | null {
    const rated = (ms: readonly Member[]) => ms.map((m) => ({ policyId: m.id, rating: Number.isFinite(m.fitness.value) ? m.fitness.value : -1e300, m }));
    for (let attempt = 0; attempt < 6; attempt++) {
      const a = tournament(grng, rated(members), settings.tournament).m;
      const op = operators[pickWeighted(grng, weights)] as EvolveOperator;
      const b = op === 'crossover' ? tournament(grng, rated(donors), settings.tournament).m : null;
      const move = makeChild(op, a.parts, b?.parts ?? null, grng, problem);
      if (move === null) continue;
      const parts: ParentParts = { ...move.parts, score: pruneScore(move.parts.score), filter: simplify(move.parts.filter) };
      if (bloatProblem(parts.score, 'score') !== null || bloatProblem(parts.filter, 'filter') !== null) continue;
      const key = keyOf(parts);
      if (keys.has(key)) continue;
      const e = evaluate(parts, a.doc, id);
      if (e === null) continue;
      return { id, doc: e.doc, parts, key, fitness: e.fitness, operator: op, parents: b === null ? [a.id] : [a.id, b.id], detail: move.detail, lineage: a.lineage };
    }
    return null;
  }

  /** The island's best after `tuneSteps` hill-climbing steps on its constants. */
  function tune(grng: Rng, i: number, generation: number): void {
    const first = islands[i]![0]!;
    const best = climb(first, settings.tuneSteps, grng, `g${generation}-i${i}-t`, generation);
    if (best !== first) islands[i] = [best, ...islands[i]!.filter((m) => m.key !== best.key)].sort(byFitness).slice(0, settings.islandSize);
  }

  /** `start` after `steps` tries at its constants, each kept only when training fitness improves. */
  function climb(start: Member, steps: number, grng: Rng, idPrefix: string, generation: number): Member {
    let best = start;
    if (!Number.isFinite(best.fitness.value)) return best;
    for (let s = 0; s < steps; s++) {
      const u = grng.float();
      const move =
        u < 0.5 ? stepConstant(best.parts.score, grng) : u < 0.75 ? resetThreshold(best.parts.score, grng, problem) : jitterConstants(best.parts.score, grng);
      if (move === null) continue;
      const parts: ParentParts = { ...best.parts, score: pruneScore(move.expr) };
      const id = `${idPrefix}${s}`;
      const e = evaluate(parts, best.doc, id);
      if (e === null || !(e.fitness.value > best.fitness.value)) continue;
      best = { ...best, id, doc: e.doc, parts, key: e.key, fitness: e.fitness, born: generation, operator: 'tune', parents: [best.id], detail: move.detail };
    }
    return best;
  }
}
