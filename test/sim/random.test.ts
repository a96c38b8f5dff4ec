import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rngFor, hashName } from '../../sim/random.js';

test('given the same seed and purpose, when drawing, then the streams are equal', () => {
  const a = rngFor(7, 'attacker');
  const b = rngFor(7, 'attacker');
  const xs = Array.from({ length: 5 }, () => a.float());
  const ys = Array.from({ length: 5 }, () => b.float());
  assert.equal(xs, ys);
});

test('given two purposes under one seed, when drawing, then the streams differ', () => {
  assert.not.equal(rngFor(7, 'attacker').float(), rngFor(7, 'defender').float());
  assert.not.equal(hashName(7, 'a'), hashName(8, 'a'));
});

test('int draws stay within their closed range', () => {
  const r = rngFor(1, 'dice');
  for (let i = 0; i < 1000; i++) {
    const v = r.int(1, 6);
    assert.ok(v >= 1 && v <= 6 && Number.isInteger(v));
  }
});

test.run();
