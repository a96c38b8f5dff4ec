// The bench's summary of repeated measurements: median, quartiles (linear interpolation) and range.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { median, summarize } from '../../src/bench/summary.js';

test('given an odd number of values in any order, when summarized, then the median is the middle one and min/max the extremes', () => {
  const s = summarize([9, 1, 5, 3, 7]);
  assert.equal(s, { n: 5, min: 1, q1: 3, median: 5, q3: 7, max: 9 });
});

test('given an even number of values, when summarized, then the median and quartiles interpolate between neighbours', () => {
  const s = summarize([4, 1, 3, 2]);
  assert.is(s.median, 2.5);
  assert.is(s.q1, 1.75);
  assert.is(s.q3, 3.25);
});

test('given one outlier among seven rounds, when summarized, then the median does not move with it but the max does', () => {
  const steady = [100, 102, 98, 101, 99, 100, 103];
  const withOutlier = [100, 102, 98, 101, 99, 100, 900];
  assert.is(median(steady), 100);
  assert.is(median(withOutlier), 100);
  assert.is(summarize(withOutlier).max, 900);
});

test('given a single value, when summarized, then every statistic is that value', () => {
  assert.equal(summarize([42]), { n: 1, min: 42, q1: 42, median: 42, q3: 42, max: 42 });
});

test('given the input array, when summarized, then it is left in its order', () => {
  const values = [3, 1, 2];
  summarize(values);
  assert.equal(values, [3, 1, 2]);
});

test('given no values or a NaN, when summarized, then it throws rather than report a figure', () => {
  assert.throws(() => summarize([]), /no values/);
  assert.throws(() => summarize([1, Number.NaN]), /not a finite number/);
});

test.run();
