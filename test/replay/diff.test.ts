// The field-level difference replay reports: every differing leaf, by path, with both values.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { differences, showValue } from '../../src/replay/diff.js';

test('given two events differing in nested fields, when compared, then each differing leaf is named by its path', () => {
  const recorded = { type: 'EvaluationCompleted', data: { reward: 0.5, metrics: { cost: 1, tasks: 5 }, tags: ['a', 'b'] }, metadata: { eventId: 'r:1:0' } };
  const replayed = { type: 'EvaluationCompleted', data: { reward: 0.75, metrics: { cost: 1, tasks: 6 }, tags: ['a'] }, metadata: { eventId: 'r:1:0' } };
  assert.equal(differences(recorded, replayed), {
    total: 3,
    differences: [
      { path: 'data.metrics.tasks', recorded: 5, replayed: 6 },
      { path: 'data.reward', recorded: 0.5, replayed: 0.75 },
      { path: 'data.tags[1]', recorded: 'b', replayed: null, absent: 'replayed' },
    ],
  });
});

test('given equal values (keys in another order, -0 and 0), when compared, then nothing differs', () => {
  assert.equal(differences({ a: 1, b: { c: [1, 2], d: -0 } }, { b: { d: 0, c: [1, 2] }, a: 1 }), { total: 0, differences: [] });
});

test('given a key only one side has and a type change, when compared, then both show', () => {
  const { differences: d } = differences({ data: { x: { y: 1 } } }, { data: { x: [1], z: null } });
  assert.equal(d, [
    { path: 'data.x', recorded: { y: 1 }, replayed: [1] },
    { path: 'data.z', recorded: null, replayed: null, absent: 'recorded' },
  ]);
});

test('given many differences, when limited, then the first few are listed and all are counted', () => {
  const a = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i]));
  const b = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${String(i).padStart(2, '0')}`, -i - 1]));
  const out = differences(a, b, 4);
  assert.is(out.total, 30);
  assert.equal(out.differences.map((x) => x.path), ['k00', 'k01', 'k02', 'k03']);
  assert.is(showValue('x'.repeat(300)).length, 100);
  assert.is(showValue(0.1 + 0.2), '0.30000000000000004');
});

test.run();
