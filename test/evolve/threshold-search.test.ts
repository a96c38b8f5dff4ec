// Why the OR search was stuck and what unsticks it, on fresh training instances only: the tight-fit seed
// with its generic threshold (a gap of 2) scores below best fit, so selection drops it, although the
// same structure at a gap of 6 beats best fit; the `threshold` move jumps a compared constant anywhere
// in its feature's range, and seed refinement climbs each seed's constants before selection starts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseExpression } from '../../sim/policy/parser.js';
import { printExpression } from '../../sim/policy/printer.js';
import { rngFor } from '../../sim/random.js';
import { binpackFeatureRanges, binpackFitness, binpackProblem } from '../../src/evolve/binpack-problem.js';
import { DEFAULT_SETTINGS, evolve } from '../../src/evolve/evolve.js';
import { resetThreshold, type MoveProblem } from '../../src/evolve/operators.js';
import { BINPACK_TRACK_DEFS } from '../../src/suites/binpack.js';

const A = 'node.free_cores_after';
const tightFit = (gap: number) => ({
  name: `tight-${gap}`,
  explain: '',
  order: 'fifo' as const,
  filter: 'true',
  score: `if ${A} <= ${gap} then 1000 - ${A} else if ${A} < 0.15 * node.cores then -500 - ${A} else 0`,
});
const ranged = (lo: number, hi: number): MoveProblem =>
  ({ featureRange: (name: string) => (name === A ? { lo, hi, integral: true } : null) }) as unknown as MoveProblem;
const unranged = {} as MoveProblem;
const constantOf = (e: string) => Number(/(-?[\d.]+)\)?$/.exec(e.split(' then ')[0]!.replace(/^if /, ''))![1]);

test('given fresh OR training instances, when the tight-fit seed is scored at gaps 2 and 6, then it is below best fit at 2 and above it at 6', () => {
  // 128 instances, as evolution trains on: the 120-item ones decide (a gap of 2 leaves ~10 % there).
  const data = BINPACK_TRACK_DEFS.or.instances(11, 'train', 128);
  const bestFit = -binpackFitness({ name: 'bf', explain: '', order: 'fifo', filter: 'true', score: `-${A}` }, data).value;
  const at2 = -binpackFitness(tightFit(2), data).value;
  const at6 = -binpackFitness(tightFit(6), data).value;
  assert.ok(at2 > bestFit, `gap 2: ${at2} % against best fit ${bestFit} %`);
  assert.ok(at6 < bestFit, `gap 6: ${at6} % against best fit ${bestFit} %`);
});

test('given a comparison with a feature of known range, when its threshold is reset, then the new value is a whole number in the range, near either end or anywhere', () => {
  const e = parseExpression(`if ${A} <= 2 then 1000 - ${A} else 0`).expr;
  const rng = rngFor(1, 'test');
  const seen: number[] = [];
  for (let i = 0; i < 200; i++) {
    const m = resetThreshold(e, rng, ranged(0, 150));
    if (m === null) continue;
    const v = constantOf(printExpression(m.expr));
    assert.ok(Number.isInteger(v) && v >= 0 && v <= 150 && v !== 2, `${v}`);
    seen.push(v);
  }
  assert.ok(seen.length > 150);
  assert.ok(seen.filter((v) => v >= 4 && v <= 10).length >= 10, 'small gaps are drawn often');
  assert.ok(seen.some((v) => v > 100), 'large gaps too');
});

test('given a comparison with a feature of unknown range, when its threshold is reset, then it keeps its sign within a factor of 10', () => {
  const rng = rngFor(2, 'test');
  for (let i = 0; i < 50; i++) {
    const m = resetThreshold(parseExpression('min(node.queue_len, -40)').expr, rng, unranged);
    if (m === null) continue;
    const v = Number(/(-?[\d.]+)\)$/.exec(printExpression(m.expr))![1]);
    assert.ok(v <= -4 && v >= -400, `${v}`);
  }
});

test('given a score whose constants are compared with nothing, when a threshold reset is asked, then there is no move', () => {
  const rng = rngFor(3, 'test');
  assert.is(resetThreshold(parseExpression(`3 * ${A} - 2`).expr, rng, ranged(0, 150)), null);
  assert.is(resetThreshold(parseExpression(`${A} <= task.cores`).expr, rng, ranged(0, 150)), null);
});

test('given OR training instances, when their feature ranges are read, then gaps span the capacity, item sizes span the items seen, and other names have none', () => {
  const data = BINPACK_TRACK_DEFS.or.instances(4, 'train', 4);
  const range = binpackFeatureRanges(data);
  assert.equal(range(A), { lo: 0, hi: data.capacity, integral: true });
  const sizes = data.instances.flatMap((i) => i.items);
  assert.equal(range('task.cores'), { lo: Math.min(...sizes), hi: Math.max(...sizes), integral: true });
  assert.is(range('node.same_free_bins'), null);
  assert.is(range('constructor'), null);
});

test('given the OR problem, when the seeds are refined before generation 0, then the tight-fit lineage starts ahead of best fit', () => {
  // Seed 1 (the shipped runs' seed). The climb is a random walk: on seed 7's equal-items mix its
  // threshold draws take it to a gap of 58, where it packs like best fit, and no later step leaves it.
  const full = binpackProblem('or', { seed: 1, train: 64, validate: 2 });
  const problem = { ...full, seeds: full.seeds.filter((s) => s.name === 'best-fit' || s.name === 'tight-no-sliver-first-fit') };
  const settings = { ...DEFAULT_SETTINGS, generations: 0, maxMillis: null, finalists: 4, seedTuneSteps: 24 };
  const r = evolve(problem, 1, settings);
  const tight = r.finalists.find((f) => f.lineage === 'tight-no-sliver-first-fit')!;
  const bestFit = r.finalists.find((f) => f.lineage === 'best-fit')!;
  assert.ok(tight.fitness.value > bestFit.fitness.value, `${tight.fitness.summary} against ${bestFit.fitness.summary}`);
  // Without refinement the seeds start as written, and the tight-fit seed is behind.
  const raw = evolve(problem, 1, { ...settings, seedTuneSteps: 0 });
  const rawTight = raw.finalists.find((f) => f.lineage === 'tight-no-sliver-first-fit')!;
  assert.is(rawTight.doc.score, printExpression(parseExpression(problem.seeds.find((s) => s.name === 'tight-no-sliver-first-fit')!.score).expr));
  assert.ok(rawTight.fitness.value < tight.fitness.value);
});

test.run();
