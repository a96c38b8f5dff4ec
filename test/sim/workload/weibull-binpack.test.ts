import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { generateWeibullBinpack } from '../../../sim/workload/weibull-binpack.js';

test('given a seed, when generating Weibull items, then capacity is 100 and sizes are whole numbers in 1–100', () => {
  const { capacity, items } = generateWeibullBinpack(5000, 1);
  assert.is(capacity, 100);
  assert.is(items.length, 5000);
  assert.ok(items.every((x) => Number.isInteger(x) && x >= 1 && x <= 100));
});

test('given many items, when measuring, then mean ≈ 45·Γ(4/3) − ½ = 39.68 (truncated) and the spread matches Weibull(45, 3)', () => {
  const { items } = generateWeibullBinpack(200_000, 7);
  const mean = items.reduce((a, b) => a + b, 0) / items.length;
  const sd = Math.sqrt(items.reduce((a, x) => a + (x - mean) ** 2, 0) / items.length);
  // Standard error of the mean is 14.6/√200000 ≈ 0.033; truncation takes about ½ off (FunSearch's recipe).
  assert.ok(Math.abs(mean - 39.68) < 0.15, `mean ${mean}`);
  assert.ok(mean < 40.18 - 0.3, `mean ${mean} is not below the rounded recipe's 40.18`);
  // σ = 45·√(Γ(5/3) − Γ(4/3)²) ≈ 14.60, plus truncation noise (1/12).
  assert.ok(Math.abs(sd - 14.6) < 0.15, `sd ${sd}`);
  // A truncated size ≤ 45 is a draw below 46: P = 1 − exp(−(46/45)³) ≈ 0.657.
  const belowScale = items.filter((x) => x <= 45).length / items.length;
  assert.ok(Math.abs(belowScale - (1 - Math.exp(-((46 / 45) ** 3)))) < 0.005, `P(X ≤ 45) = ${belowScale}`);
});

test('given the same or another seed, when generating, then items repeat or differ', () => {
  assert.equal(generateWeibullBinpack(100, 3), generateWeibullBinpack(100, 3));
  assert.not.equal(generateWeibullBinpack(100, 3).items, generateWeibullBinpack(100, 4).items);
});

test('given the FunSearch Weibull 5k test set, when compared, then our items have a like distribution', () => {
  const file = JSON.parse(readFileSync(new URL('../../../../shared/data/binpack/Weibull5k.json', import.meta.url), 'utf8')) as {
    capacity: number;
    instances: { items: number[] }[];
  };
  const theirs = file.instances.flatMap((i) => i.items);
  const ours = generateWeibullBinpack(theirs.length, 11).items;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.is(file.capacity, 100);
  // The released set's mean is 39.75; truncated draws give 39.68 (rounded ones 40.18).
  assert.ok(Math.abs(mean(theirs) - mean(ours)) < 0.3, `${mean(theirs)} vs ${mean(ours)}`);
  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * xs.length)]!;
  for (const q of [0.1, 0.5, 0.9]) assert.ok(Math.abs(quantile(theirs, q) - quantile(ours, q)) <= 2, `q${q}`);
});

test.run();
