import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CanonicalBatch, CodecError, decode, encodeCanonical, encodeCanonicalOwned, encodeEnvelope, encodeWithLibrary, ScratchEncoder } from '../../events/codec.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function refusal(value: unknown, root: string[] = ['data']): string {
  try {
    encodeCanonical(value, root);
  } catch (err) {
    assert.instance(err, CodecError);
    return (err as Error).message;
  }
  throw new Error('expected a CodecError');
}

test('given objects with the same entries in another order, when encoded, then the bytes are identical at every depth', () => {
  const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: 'x' }, c: null };
  const b = { c: null, a: { x: 'x', y: [1, { p: 2, q: 1 }] }, b: 1 };
  assert.is(hex(encodeCanonical(a)), hex(encodeCanonical(b)));
  // fixmap of 3, keys a, b, c in order
  assert.is(hex(encodeCanonical({ b: 2, c: 3, a: 1 })), '83a16101a16202a16303');
});

test('given numbers, when encoded, then integers take the int formats and everything else float64', () => {
  assert.is(hex(encodeCanonical(1)), '01');
  assert.is(hex(encodeCanonical(1.0)), hex(encodeCanonical(1)), '1.0 and 1 are one number');
  assert.is(hex(encodeCanonical(-0)), '00', '-0 is written as 0');
  assert.is(hex(encodeCanonical(0.5)), 'cb3fe0000000000000');
  assert.is(hex(encodeCanonical(2 ** 53 + 2)), 'cb4340000000000001', 'beyond the safe integers: float64');
});

test('given values that are not plain data, when encoded, then each is refused with its path', () => {
  assert.is(refusal({ metrics: { cost: NaN } }), 'data.metrics.cost: NaN is not allowed');
  assert.is(refusal({ a: Infinity }), 'data.a: Infinity is not allowed');
  assert.is(refusal({ a: -Infinity }), 'data.a: -Infinity is not allowed');
  assert.is(refusal({ a: undefined }), 'data.a: undefined is not allowed (use null)');
  assert.is(refusal({ list: [1, undefined] }), 'data.list[1]: undefined is not allowed (use null)');
  assert.is(refusal({ m: new Map() }), 'data.m: a Map');
  assert.is(refusal({ s: new Set([1]) }), 'data.s: a Set');
  assert.is(refusal({ d: new Date(0) }), 'data.d: a Date (use an ISO string)');
  assert.is(refusal({ f: () => 1 }), 'data.f: a function is not allowed');
  assert.is(refusal({ n: 10n }), 'data.n: a bigint is not allowed (use a number or a string)');
  assert.is(refusal({ k: new (class Point { x = 1 })() }), 'data.k: an instance of Point');
  assert.is(refusal({ 'odd key': { x: NaN } }), 'data["odd key"].x: NaN is not allowed');
  // eslint-disable-next-line no-sparse-arrays
  assert.is(refusal({ holes: [1, , 3] }), 'data.holes[1]: a hole in an array is not allowed (use null)');
  assert.is(refusal({ s: 'a\ud800b' }), 'data.s: a string with a lone surrogate is not allowed');
  assert.is(refusal(JSON.parse('{"__proto__": 1}')), 'data.__proto__: the key __proto__ is not allowed');
  assert.is(refusal({ [Symbol('x')]: 1 }), 'data: a symbol key is not allowed');
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.match(refusal(cycle), 'nested deeper than');
  assert.is(refusal(NaN, []), '(root): NaN is not allowed');
});

test('given plain data with binary, when encoded and decoded, then it round-trips', () => {
  const value = { bin: new Uint8Array([1, 2, 3]), nested: Object.assign(Object.create(null), { z: true }), s: 'é☃😀' };
  const back = decode(encodeCanonical(value)) as typeof value;
  assert.equal([...back.bin], [1, 2, 3]);
  assert.is(back.nested.z, true);
  assert.is(back.s, 'é☃😀');
});

const jsonValue = fc
  .jsonValue()
  .filter((v) => !JSON.stringify(v).includes('"__proto__"'))
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);

function shuffleKeys(v: unknown, seed: number): unknown {
  if (Array.isArray(v)) return v.map((x, i) => shuffleKeys(x, seed + i));
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    const rotated = keys.map((_, i) => keys[(i + seed) % keys.length]!).reverse();
    return Object.fromEntries(rotated.map((k) => [k, shuffleKeys((v as Record<string, unknown>)[k], seed + 1)]));
  }
  return v;
}

test('property: any JSON value round-trips through the codec, and key order never changes the bytes', () => {
  fc.assert(
    fc.property(jsonValue, fc.nat(50), (value, seed) => {
      const bytes = encodeCanonical(value);
      assert.equal(decode(bytes), value);
      assert.is(hex(encodeCanonical(shuffleKeys(value, seed))), hex(bytes));
      assert.is(hex(encodeCanonical(decode(bytes))), hex(bytes), 'decoding and re-encoding is stable');
    }),
    { numRuns: 300, seed: 20240601, endOnFailure: true },
  );
});

const wellFormed = (unit: 'grapheme' | 'binary') =>
  fc.string({ unit, maxLength: 300 }).filter((x) => (x as string & { isWellFormed(): boolean }).isWellFormed());

const { data } = fc.letrec((tie) => ({
  data: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -200, max: 300 }),
    fc.maxSafeInteger(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.oneof(wellFormed('grapheme'), wellFormed('binary')),
    fc.uint8Array({ maxLength: 300 }),
    fc.array(tie('data'), { maxLength: 20 }),
    fc.dictionary(wellFormed('grapheme').filter((k) => k !== '__proto__'), tie('data'), { maxKeys: 20 }),
  ),
}));

test('property: the canonical writer gives exactly the bytes of @msgpack/msgpack with sortKeys', () => {
  fc.assert(
    fc.property(data, (value) => {
      assert.is(hex(encodeCanonical(value)), hex(encodeWithLibrary(value)));
    }),
    { numRuns: 1000, seed: 7, endOnFailure: true },
  );
  // The size boundaries of every length-prefixed format, and of the int formats.
  for (const n of [15, 16, 31, 32, 255, 256, 65535, 65536]) {
    const cases = ['x'.repeat(n), 'é'.repeat(n), new Uint8Array(n), Array.from({ length: n }, () => 0), Object.fromEntries(Array.from({ length: Math.min(n, 70000) }, (_, i) => [`k${i}`, i]))];
    for (const v of cases) assert.is(hex(encodeCanonical(v)), hex(encodeWithLibrary(v)), `size ${n}`);
  }
  for (const n of [0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53) + 1, 0.1, -0, 1e300]) {
    assert.is(hex(encodeCanonical(n)), hex(encodeWithLibrary(n)), `number ${n}`);
  }
});

test('given strings whose UTF-8 length crosses a str header size, when encoded, then the bytes are the library\'s', () => {
  // The writer sizes the header for 3 bytes per character and moves the bytes back when fewer were needed.
  const units = ['x', 'é', '☃', '😀', 'a😀', 'xé☃'];
  for (const n of [10, 11, 12, 21, 31, 32, 33, 85, 86, 87, 127, 128, 255, 256, 257, 21845, 21846, 21847, 32767, 65535, 65536]) {
    for (const u of units) {
      const s = u.repeat(Math.ceil(n / u.length)).slice(0, n);
      if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) continue;
      assert.is(hex(encodeCanonical(s)), hex(encodeWithLibrary(s)), `${u} × ${n}`);
      assert.is(hex(encodeCanonical({ [s.slice(0, 40)]: s })), hex(encodeWithLibrary({ [s.slice(0, 40)]: s })), `key ${u} × ${n}`);
    }
  }
});

test('given objects of one shape in different key orders, when encoded many times, then every encoding is the library\'s', () => {
  // The writer remembers each key order it has seen; a remembered order must never leak into another.
  const orders = [['b', 'a', 'c'], ['a', 'b', 'c'], ['c', 'b', 'a'], ['b', 'a'], ['b', 'a', 'c', 'é'], ['ba', 'b', 'a']];
  for (let round = 0; round < 3; round++) {
    for (const order of orders) {
      const value = Object.fromEntries(order.map((k, i) => [k, { [k]: i, z: round }]));
      assert.is(hex(encodeCanonical(value)), hex(encodeWithLibrary(value)), order.join(','));
    }
  }
  const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${29 - i}`, i]));
  assert.is(hex(encodeCanonical(many)), hex(encodeWithLibrary(many)), 'more keys than a remembered shape holds');
  assert.is(refusal(JSON.parse('{"a": 1, "__proto__": 2}')), 'data.__proto__: the key __proto__ is not allowed');
  assert.is(refusal(JSON.parse('{"a": 1, "__proto__": 2}')), 'data.__proto__: the key __proto__ is not allowed', 'also when the shape is remembered');
});

test('given many dictionaries whose ids share a first key, when encoded, then every encoding is the library\'s', () => {
  // Past the key sets remembered per first key, dictionaries are sorted as they come instead.
  for (let d = 0; d < 40; d++) {
    const dict = Object.fromEntries(['p0', ...Array.from({ length: 20 }, (_, i) => `p${d * 100 + 20 - i}`)].map((k, i) => [k, [i, 0.5]]));
    assert.is(hex(encodeCanonical(dict)), hex(encodeWithLibrary(dict)), `dictionary ${d}`);
  }
  assert.is(refusal(JSON.parse('{"p0": 1, "x": 2, "__proto__": 3}')), 'data.__proto__: the key __proto__ is not allowed');
});

test('given a scratch encoder, when it encodes values one after another, then each is the library\'s bytes until the next', () => {
  const scratch = new ScratchEncoder(16); // smaller than the values: it grows
  const big = { ids: Array.from({ length: 5000 }, (_, i) => `policy-${i}`), score: 0.25 };
  const first = scratch.encode(big);
  assert.is(hex(first), hex(encodeWithLibrary(big)));
  const second = scratch.encode({ b: 1, a: 'x' });
  assert.is(hex(second), hex(encodeWithLibrary({ a: 'x', b: 1 })));
  assert.throws(() => scratch.encode({ a: [1, Number.NaN] }), (err: unknown) => err instanceof CodecError && /a\[1\]: NaN is not allowed/.test(err.message));
});

test('given a value of more than 1 MB, when encoded to own, then its bytes are the library\'s and later encodes leave them alone', () => {
  const big = Object.fromEntries(Array.from({ length: 80_000 }, (_, i) => [`s${i}`, [i, i / 3, 'x'.repeat(5)]]));
  const owned = encodeCanonicalOwned(big);
  assert.ok(owned.length > 2 ** 20);
  const expected = hex(encodeWithLibrary(big));
  encodeCanonical(big);
  encodeCanonicalOwned({ other: 'value' });
  assert.is(hex(owned), expected);
});

test('given events, when written as envelopes and as a batch, then each has the bytes of encoding {type, data, metadata}', () => {
  const events = [
    { type: 'A', data: { z: 1, a: [1.5, 'x'] }, metadata: { eventId: 'e1', n: null } },
    { type: 'B', data: 'é'.repeat(300), metadata: { eventId: 'e2' } },
    { type: 'C', data: { bin: new Uint8Array([1, 2, 3]) }, metadata: {} },
  ];
  const batch = new CanonicalBatch();
  for (const e of events) batch.add(e.type, e.data, e.metadata);
  const bytes = batch.finish();
  assert.is(bytes.length, events.length);
  events.forEach((e, i) => {
    const expected = hex(encodeWithLibrary({ type: e.type, data: e.data, metadata: e.metadata }));
    assert.is(hex(bytes[i]!), expected, e.type);
    assert.is(hex(encodeEnvelope(e.type, e.data, e.metadata)), expected, e.type);
  });
});

test('given a batch with a refused event, when added, then the error names its path and the batch keeps the others', () => {
  const batch = new CanonicalBatch();
  batch.add('A', { a: 1 }, { eventId: 'e1' });
  assert.throws(() => batch.add('B', { list: [1, NaN] }, { eventId: 'e2' }), (err: Error) => err instanceof CodecError && err.message === 'data.list[1]: NaN is not allowed');
  batch.add('C', { c: 3 }, { eventId: 'e3' });
  const bytes = batch.finish();
  assert.equal(bytes.map((b) => (decode(b) as { type: string }).type), ['A', 'C']);
});

test.run();
