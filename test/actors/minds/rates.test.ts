import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { normaliseRates, pickByRates, readRates } from '../../../actors/minds/rates.js';
import { rngFor } from '../../../sim/random.js';

const sum = (r: Record<string, number>) => Object.values(r).reduce((s, x) => s + x, 0);

test('given any weights, when normalised with a floor, then rates sum to 1, none is below the floor, keys are sorted', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 9 }), fc.double({ min: 0, max: 0.1, noNaN: true }), (ws, floor) => {
      const names = ws.map((_, i) => `op${String.fromCharCode(105 - i)}`);
      const weights = Object.fromEntries(names.map((n, i) => [n, ws[i]!]));
      const rates = normaliseRates(weights, names, floor);
      assert.ok(Math.abs(sum(rates) - 1) < 1e-7);
      const f = Math.min(floor, 1 / names.length);
      for (const v of Object.values(rates)) assert.ok(v >= f - 1e-8, `${v} below ${f}`);
      assert.equal(Object.keys(rates), [...names].sort());
    }),
  );
});

test('given rates that already sum to 1 above the floor, when normalised again, then they come back unchanged', () => {
  const once = normaliseRates({ a: 5, b: 1, c: 0.001 }, ['a', 'b', 'c'], 0.05);
  assert.equal(normaliseRates(once, ['a', 'b', 'c'], 0.05), once);
  assert.ok(once.c! >= 0.05 - 1e-9);
  assert.ok(once.a! > once.b!);
});

test('given rates, when drawing many times, then each operator is drawn about as often as its rate says', () => {
  const rates = { a: 0.7, b: 0.2, c: 0.1 };
  const rng = rngFor(1, 'test');
  const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
  for (let i = 0; i < 5000; i++) counts[pickByRates(rng, rates)]! += 1;
  assert.ok(Math.abs(counts.a! / 5000 - 0.7) < 0.03);
  assert.ok(Math.abs(counts.c! / 5000 - 0.1) < 0.02);
});

test('given an allowed subset, when drawing, then only allowed operators come out', () => {
  const rng = rngFor(2, 'test');
  for (let i = 0; i < 200; i++) assert.ok(['b', 'c'].includes(pickByRates(rng, { a: 0.9, b: 0.05, c: 0.05 }, ['b', 'c'])));
});

test('given malformed rates in a search state, when read, then defaults fill the gaps and unknown operators are dropped', () => {
  const rates = readRates({ a: 'x', b: 3, zzz: 4 }, ['a', 'b'], { a: 1, b: 1 }, 0.01);
  assert.equal(Object.keys(rates), ['a', 'b']);
  assert.ok(rates.b! > rates.a!);
  assert.equal(readRates(null, ['a', 'b'], { a: 1, b: 1 }, 0.01), { a: 0.5, b: 0.5 });
});

test.run();
