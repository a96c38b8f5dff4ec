// Confidence intervals: the Student t quantile against the printed table, and one interval worked by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { interval95, mean, sampleSd, studentTCdf, studentTQuantile } from '../../src/eval/stats.js';

const close = (a: number, b: number, eps: number, what: string) => assert.ok(Math.abs(a - b) <= eps, `${what}: ${a} vs ${b}`);

test('given degrees of freedom 1, 4, 9, 29 and a large number, when the 0.975 quantile is computed, then it matches the t table to 4 decimals', () => {
  const table: [number, number][] = [
    [1, 12.7062],
    [2, 4.3027],
    [4, 2.7764],
    [5, 2.5706],
    [9, 2.2622],
    [29, 2.0452],
    [100_000, 1.96],
  ];
  for (const [df, t] of table) close(studentTQuantile(0.975, df), t, 1e-4, `df ${df}`);
});

test('given t = 0, when the t CDF is computed, then it is one half, and it is symmetric', () => {
  close(studentTCdf(0, 7), 0.5, 1e-12, 'cdf(0)');
  close(studentTCdf(1.3, 7) + studentTCdf(-1.3, 7), 1, 1e-12, 'symmetry');
});

test('given the replicates 1, 2, 3, 4, 5, when the 95 % interval is computed, then it is 3 ± 2.7764 × 1.5811 / √5 = 3 ± 1.9632', () => {
  const iv = interval95([1, 2, 3, 4, 5]);
  assert.is(iv.n, 5);
  assert.is(iv.mean, 3);
  close(iv.sd, Math.sqrt(2.5), 1e-12, 'sd');
  close(iv.halfWidth!, 1.9632, 1e-4, 'half-width');
  close(iv.low!, 1.0368, 1e-4, 'low');
  close(iv.high!, 4.9632, 1e-4, 'high');
});

test('given one replicate, when the interval is computed, then there is a mean and no interval', () => {
  const iv = interval95([0.42]);
  assert.is(iv.mean, 0.42);
  assert.is(iv.halfWidth, null);
  assert.is(iv.low, null);
  assert.is(sampleSd([0.42]), 0);
});

test('given equal replicates, when the interval is computed, then its half-width is 0', () => {
  const iv = interval95([2, 2, 2, 2, 2]);
  assert.is(iv.halfWidth, 0);
  assert.is(mean([2, 2]), 2);
});

test.run();
