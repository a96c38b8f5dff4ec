import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rngFor } from '../../../sim/random.js';
import { arrivalTimes, gapStatistics, type ArrivalParams, type ArrivalPattern } from '../../../sim/workload/arrivals.js';
import { defaultParams } from '../../../sim/workload/defaults.js';

const shape = (pattern: ArrivalPattern, extra: Partial<ArrivalParams> = {}): ArrivalParams => ({ ...defaultParams('cloud', 5).arrival, pattern, ...extra });
const N = 4000;
const H = 10_000;
const cv = (pattern: ArrivalPattern, extra: Partial<ArrivalParams> = {}) => gapStatistics(arrivalTimes(shape(pattern, extra), N, H, rngFor(1, pattern))).cv;

test('given every pattern, when drawing arrivals, then there are n sorted times in [0, horizon) to the millisecond', () => {
  for (const pattern of ['poisson', 'bursty', 'periodic', 'sporadic', 'diurnal'] as const) {
    const times = arrivalTimes(shape(pattern), 500, 123.4, rngFor(3, pattern));
    assert.is(times.length, 500, pattern);
    times.forEach((t, i) => {
      assert.ok(t >= 0 && t < 123.4, `${pattern} ${t}`);
      assert.is(Math.round(t * 1000) / 1000, t);
      if (i > 0) assert.ok(t >= times[i - 1]!, pattern);
    });
  }
  assert.equal(arrivalTimes(shape('poisson'), 0, 10, rngFor(1, 'x')), []);
});

test('given the same stream, when drawing arrivals, then the times are identical', () => {
  assert.equal(arrivalTimes(shape('bursty'), 300, 1000, rngFor(9, 'a')), arrivalTimes(shape('bursty'), 300, 1000, rngFor(9, 'a')));
});

test('given poisson arrivals, when measuring gaps, then their coefficient of variation is about 1 (exponential gaps)', () => {
  const c = cv('poisson');
  assert.ok(c > 0.9 && c < 1.1, `cv ${c}`);
});

test('given periodic arrivals, when measuring gaps, then they are nearly regular', () => {
  assert.ok(cv('periodic', { jitter: 0.1 }) < 0.1, `cv ${cv('periodic', { jitter: 0.1 })}`);
  assert.ok(cv('periodic', { jitter: 0 }) < 0.01);
});

test('given bursty arrivals, when measuring gaps, then they vary far more than periodic or poisson ones', () => {
  const bursty = cv('bursty', { bursts: 5, burstWidth: 0.01, background: 0.05 });
  assert.ok(bursty > 3, `bursty cv ${bursty}`);
  assert.ok(bursty > 10 * cv('periodic'));
  assert.ok(bursty > 2 * cv('poisson'));
});

test('given bursty arrivals, when counting per burst window, then most arrivals fall inside a few short windows', () => {
  const times = arrivalTimes(shape('bursty', { bursts: 4, burstWidth: 0.02, background: 0 }), N, H, rngFor(2, 'b'));
  // With no background, 4 bursts of 2 % of the horizon hold everything: at most 8 % of 1 %-bins are used... plus edges.
  const bins = new Set(times.map((t) => Math.floor(t / (H / 100))));
  assert.ok(bins.size <= 12, `occupied bins ${bins.size}`);
});

test('given sporadic arrivals, when measuring gaps, then the heavy tail makes them more variable than poisson', () => {
  const sporadic = cv('sporadic', { tailIndex: 1.3 });
  assert.ok(sporadic > 1.5, `sporadic cv ${sporadic}`);
  assert.ok(sporadic > cv('poisson'));
});

test('given diurnal arrivals, when comparing day and night, then the peak half holds most arrivals', () => {
  const times = arrivalTimes(shape('diurnal', { amplitude: 0.9, cycles: 1 }), N, H, rngFor(4, 'd'));
  // Rate 1 + a·sin(2πt/H − π/2): trough at 0 and H, peak at H/2.
  const middle = times.filter((t) => t >= H / 4 && t < (3 * H) / 4).length;
  const expected = 0.5 + 0.9 / Math.PI; // ∫ over the middle half of the normalised rate
  assert.ok(Math.abs(middle / N - expected) < 0.03, `${middle / N} vs ${expected}`);
  const flat = arrivalTimes(shape('diurnal', { amplitude: 0 }), N, H, rngFor(4, 'd'));
  const flatMiddle = flat.filter((t) => t >= H / 4 && t < (3 * H) / 4).length / N;
  assert.ok(Math.abs(flatMiddle - 0.5) < 0.03);
});

test.run();
