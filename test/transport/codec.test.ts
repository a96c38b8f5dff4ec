import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { decodeMessage, encodeFields, encodeMessage, joinFields, withoutUndefinedProperties } from '../../src/transport/codec.js';
import { evaluate, proposeScenarios } from './fixtures/messages.js';

test('given an object with undefined optional fields, when it is encoded, then they are dropped as if absent', () => {
  const withUndefined = { b: 1, a: { x: undefined, y: [1, { z: undefined, w: 2 }] } };
  assert.equal(encodeMessage(withUndefined), encodeMessage({ a: { y: [1, { w: 2 }] }, b: 1 }));
  assert.equal(decodeMessage(encodeMessage(withUndefined)), { a: { y: [1, { w: 2 }] }, b: 1 });
});

test('given a value with nothing undefined, when cleaned, then the very same object comes back (no copy)', () => {
  const value = { a: [1, 2, { b: 'c' }] };
  assert.is(withoutUndefinedProperties(value), value);
});

test('given keys in any order, when encoded, then the bytes are the same', () => {
  assert.equal(encodeMessage({ a: 1, b: { c: 2, d: 3 } }), encodeMessage({ b: { d: 3, c: 2 }, a: 1 }));
});

test('given NaN or a Map, when encoded, then the codec refuses it', () => {
  assert.throws(() => encodeMessage({ a: Number.NaN }), /NaN/);
  assert.throws(() => encodeMessage({ a: new Map() }), /Map/);
  assert.throws(() => encodeMessage([undefined]), /undefined/);
});

test('given any plain object, when encoded field by field and joined, then the bytes are those of encoding it whole', () => {
  // The codec refuses the key __proto__ in both forms; the property is about every other object.
  const key = fc.string({ maxLength: 40 }).filter((k) => k !== '__proto__');
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.string(),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  })).value;
  fc.assert(
    fc.property(fc.dictionary(key, json, { maxKeys: 20 }), (object) => {
      assert.equal(joinFields(encodeFields(object)), encodeMessage(object));
    }),
  );
  for (const message of [evaluate(50, 'x', 3), proposeScenarios(2, 5)]) assert.equal(joinFields(encodeFields(message)), encodeMessage(message));
});

test.run();
