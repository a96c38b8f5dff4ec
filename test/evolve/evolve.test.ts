// The evolution driver on tiny budgets: what it guarantees (the elite is kept, so the best training
// fitness never falls and ends at least at the best seed's; the same seed gives the same champion), and
// the pieces it adds to the defender's operators.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseExpression } from '../../sim/policy/parser.js';
import { printExpression } from '../../sim/policy/printer.js';
import { rngFor } from '../../sim/random.js';
import { binpackFitness, binpackProblem } from '../../src/evolve/binpack-problem.js';
import { DEFAULT_SETTINGS, cpuMillis, evolve, type EvolveSettings } from '../../src/evolve/evolve.js';
import { stepConstant } from '../../src/evolve/operators.js';
import { pruneScore } from '../../src/evolve/prune.js';
import { championRecord } from '../../src/evolve/record.js';
import { DROP_PENALTY, scenarioFitness, scenarioProblem } from '../../src/evolve/scenario-problem.js';
import { recordProblem } from '../../src/eval/policy-record.js';
import { compileProblem } from '../../src/eval/library.js';
import { suiteByName } from '../../src/suites/registry.js';
import type { ScenarioSuiteDef } from '../../src/suites/scenario-suite.js';

const tiny: EvolveSettings = { ...DEFAULT_SETTINGS, islands: 2, islandSize: 4, children: 3, tuneSteps: 2, seedTuneSteps: 2, finalists: 3, migrateEvery: 2, generations: 4, maxMillis: null };

test('given the OR track and 4 generations, when evolution runs, then the best training fitness never falls and ends at least at the best seed', () => {
  const problem = binpackProblem('or', { seed: 3, train: 4, validate: 4 });
  const r = evolve(problem, 3, tiny);
  assert.is(r.generations, 4);
  assert.is(r.history.length, 5);
  for (let i = 1; i < r.history.length; i++) assert.ok(r.history[i]!.best.value >= r.history[i - 1]!.best.value, `generation ${i}`);
  assert.ok(r.history.at(-1)!.best.value >= r.bestSeed.fitness.value);
  // The champion is one of the finalists, chosen by validation, and it compiles for bin packing.
  assert.ok(r.finalists.some((f) => f.key === r.champion.key));
  assert.ok(r.finalists.every((f) => f.validation.value <= r.champion.validation.value));
  assert.is(compileProblem(r.champion.doc, 'binpack'), null);
});

test('given the same problem and seed, when evolution runs twice for the same generations, then the champion is the same', () => {
  const a = evolve(binpackProblem('or', { seed: 5, train: 4, validate: 4 }), 5, tiny);
  const b = evolve(binpackProblem('or', { seed: 5, train: 4, validate: 4 }), 5, tiny);
  assert.is(a.champion.doc.score, b.champion.doc.score);
  assert.is(a.evaluations, b.evaluations);
});

test('given a generation budget of 0 and no seed refinement, when evolution runs, then the champion is a seed and nothing is lost', () => {
  const problem = binpackProblem('or', { seed: 1, train: 4, validate: 4 });
  const r = evolve(problem, 1, { ...tiny, generations: 0, seedTuneSteps: 0 });
  assert.is(r.champion.operator, 'seed');
  assert.is(r.champion.lineage, r.champion.doc.name);
  assert.is(r.generations, 0);
  assert.ok(problem.seeds.some((s) => s.score === r.champion.doc.score));
});

test('given a scenario suite and one generation, when evolution runs, then it returns a champion that compiles and a record that validates', () => {
  const edge = suiteByName('edge') as ScenarioSuiteDef;
  const problem = scenarioProblem(edge, { seed: 2, dataDir: '', train: 1, validate: 1 });
  const settings = { ...tiny, generations: 1, islandSize: 3, children: 2 };
  const r = evolve(problem, 2, settings);
  assert.ok(r.history.at(-1)!.best.value >= r.bestSeed.fitness.value);
  assert.is(compileProblem(r.champion.doc, 'edge'), null);
  const record = championRecord({ name: 'edge-test', problem, result: r, seed: 2, settings, codeVersion: 'test', command: 'test', createdAt: null, test: null });
  assert.is(recordProblem(record), null);
  assert.is(record.provenance.trainingSuite, 'edge@1');
  assert.is(record.provenance.seed, 2);
});

test('given a CPU-time budget, when evolution runs, then the clock stops the run at the budget and the record says which clock', () => {
  const problem = binpackProblem('or', { seed: 3, train: 2, validate: 2 });
  const clocks: string[] = [];
  let cpu = 0;
  // The injected clock stands in for the process's CPU time: each generation "costs" 40 ms of it.
  const settings: EvolveSettings = { ...tiny, generations: null, maxMillis: 100, budgetClock: 'cpu' };
  const r = evolve(problem, 3, settings, { now: () => (clocks.push('read'), cpu), onGeneration: () => (cpu += 40) });
  assert.ok(clocks.length > 0);
  // The seeds' generation takes the clock to 40, generations 1 and 2 to 80 and 120 ≥ 100: it stops after 2.
  assert.is(r.generations, 2);
  const record = championRecord({ name: 'or-cpu', problem, result: r, seed: 3, settings, codeVersion: 'test', command: 'test', createdAt: null, test: null });
  assert.equal((record.provenance.config as { budget: unknown }).budget, { generations: null, maxMillis: 100, clock: 'cpu' });
  // The record says how much the seeds were refined and which seed the champion descends from.
  assert.is((record.provenance.config as { settings: { seedTuneSteps: number } }).settings.seedTuneSteps, 2);
  assert.is((record.provenance.results as { lineage: string }).lineage, r.champion.lineage);
  assert.ok(problem.seeds.some((s) => s.name === r.champion.lineage));
  assert.match(record.policy.explain, `descends from the seed '${r.champion.lineage}'`);
  // Without a hook, 'cpu' uses this process's CPU time, which only grows.
  const a = cpuMillis();
  let x = 0;
  for (let i = 0; i < 1e6; i++) x += i;
  assert.ok(cpuMillis() >= a && x > 0);
});

test('given bin-packing fitness, when best fit is scored, then the fitness is minus the mean excess over sizes', () => {
  const problem = binpackProblem('or', { seed: 4, train: 4, validate: 4 });
  const f = problem.train({ name: 'bf', explain: '', order: 'fifo', filter: 'true', score: '-node.free_cores_after' });
  assert.ok(f.value < 0 && Number.isFinite(f.value));
  assert.is(f.detail.excess, -f.value);
  assert.ok(['excess120', 'excess250', 'excess500', 'excess1000'].every((k) => k in f.detail));
  const faulty = binpackFitness({ name: 'x', explain: '', order: 'fifo', filter: 'true', score: 'log(node.free_cores_after)' }, { name: 'd', capacity: 10, instances: [{ id: 'a', capacity: 10, items: [10], l1: 1, bestKnown: null }] });
  assert.is(faulty.value, -Infinity);
});

test('given a score with node-independent terms and a zero power, when pruned, then only terms that rank nodes remain', () => {
  const p = (s: string) => printExpression(pruneScore(parseExpression(s).expr));
  assert.is(p('-node.free_cores_after + 3 * task.cores - sim.queue_length / 2'), '-node.free_cores_after');
  assert.is(p('node.load ^ 0 + node.open'), 'node.open');
  assert.is(p('node.open ^ 0'), '1');
  assert.is(p('task.cores + 1'), 'task.cores + 1');
  assert.is(p('abs(node.free_cores_after - task.cores)'), 'abs(node.free_cores_after - task.cores)');
});

test('given a constant, when stepped, then it moves by 1, 2 or 5 units of its second digit (whole steps below 10)', () => {
  const rng = rngFor(1, 'test');
  const seen = new Set<number>();
  for (let i = 0; i < 40; i++) {
    const m = stepConstant(parseExpression('node.free_cores_after * 40').expr, rng)!;
    const v = Number(/\* (-?[\d.]+)$/.exec(printExpression(m.expr))![1]);
    seen.add(v);
  }
  assert.equal([...seen].sort((a, b) => a - b), [35, 38, 39, 41, 42, 45]);
  const small = stepConstant(parseExpression('node.free_cores_after * 2').expr, rng)!;
  assert.ok([-3, 0, 1, 3, 4, 7].includes(Number(/\* (-?[\d.]+)$/.exec(printExpression(small.expr))?.[1] ?? 0)), printExpression(small.expr));
  assert.is(stepConstant(parseExpression('node.open').expr, rng), null);
});

test('given a policy whose filter never accepts some tasks, when its scenario fitness is taken, then the unfinished share costs DROP_PENALTY on top of the reward', () => {
  const edge = suiteByName('edge') as ScenarioSuiteDef;
  const cases = edge.test('').slice(0, 1);
  const fits = scenarioFitness({ name: 'ff', explain: '', order: 'fifo', filter: 'node.free_cores_after >= 0', score: '-node.index' }, cases);
  assert.is(fits.detail.unfinished, 0);
  assert.is(fits.value, fits.detail.reward);
  const picky = scenarioFitness({ name: 'picky', explain: '', order: 'fifo', filter: 'node.free_cores_after >= 0 and task.cores <= 1', score: '-node.index' }, cases);
  assert.ok(picky.detail.unfinished > 0);
  assert.ok(Math.abs(picky.value - (picky.detail.reward - DROP_PENALTY * picky.detail.unfinished)) < 1e-12);
  assert.ok(picky.value < fits.value);
});

test.run();
