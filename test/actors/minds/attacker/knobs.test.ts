import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KNOBS, fitToRange, readKnob, writeKnob } from '../../../../actors/minds/attacker/knobs.js';
import { defaultRanges, readAttackerSearch } from '../../../../actors/minds/attacker/search.js';
import { defaultParams } from '../../../../sim/workload/defaults.js';
import { GeneratorParams } from '../../../../sim/workload/params.js';

test('given every knob, when set to its schema bounds, then the generator schema accepts both and rejects beyond them', () => {
  const base = defaultParams('hybrid', 5);
  for (const k of KNOBS) {
    assert.ok(readKnob(base, k.path) !== undefined, `${k.path} is not a number in GeneratorParams`);
    assert.ok(k.schema.min <= k.search.min && k.search.max <= k.schema.max, `${k.path}: search range outside the schema`);
    for (const v of [k.schema.min, k.schema.max]) {
      assert.ok(GeneratorParams.safeParse(writeKnob(base, k.path, v)).success, `${k.path} = ${v} rejected`);
    }
    const beyond = k.integer ? k.schema.max + 1 : k.schema.max + 0.5;
    assert.not.ok(GeneratorParams.safeParse(writeKnob(base, k.path, beyond)).success, `${k.path} = ${beyond} accepted`);
  }
});

test('given a value outside a range, when fitted, then it lands inside, on an integer for integer knobs', () => {
  const windows = KNOBS.find((k) => k.path === 'congestion.windows')!;
  assert.is(fitToRange(windows, 50.7, { min: 0, max: 12 }), 12);
  assert.is(fitToRange(windows, 3.4, { min: 0, max: 12 }), 3);
  const load = KNOBS.find((k) => k.path === 'loadFactor')!;
  assert.is(fitToRange(load, -1, { min: 0.2, max: 1.6 }), 0.2);
  assert.is(fitToRange(load, Number.NaN, { min: 0.2, max: 1.6 }), 0.2);
});

test('given writeKnob, when it changes a nested value, then the original parameters are untouched', () => {
  const base = defaultParams('cloud', 3);
  const copy = structuredClone(base);
  const next = writeKnob(base, 'sla.tightness', 0.9);
  assert.equal(base, copy);
  assert.is(next.sla.tightness, 0.9);
});

test('given a search state with a malformed range, when read, then that knob keeps its default and the others are read', () => {
  const search = readAttackerSearch({ ranges: { loadFactor: { min: 0.5, max: 0.9 }, 'sla.tightness': 'wide', 'failures.fraction': { min: 0.9, max: 0.1 } } });
  assert.equal(search.ranges.loadFactor, { min: 0.5, max: 0.9 });
  assert.equal(search.ranges['sla.tightness'], defaultRanges()['sla.tightness']);
  assert.equal(search.ranges['failures.fraction'], { min: 0.1, max: 0.9 });
});

test.run();
