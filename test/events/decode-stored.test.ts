import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { encode } from '@msgpack/msgpack';
import { decode, decodeStored, encodeCanonical } from '../../events/codec.js';

// decodeStored is the stores' fast reader; it must agree with the library-backed decode on every input,
// values and errors alike, or a read could differ from what was written.
function outcome(f: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: f() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

// The canonical encoder refuses the key __proto__ (it would change an object's prototype on decode).
const jsonValue = fc.jsonValue({ maxDepth: 5 }).filter((v) => !JSON.stringify(v).includes('"__proto__"'));

test('given canonical bytes of JSON values, when decoded both ways, then the values are equal', () => {
  fc.assert(
    fc.property(jsonValue, (v) => {
      const bytes = encodeCanonical(JSON.parse(JSON.stringify(v)));
      assert.equal(decodeStored(bytes), decode(bytes));
    }),
    { numRuns: 2000, seed: 1 },
  );
});

test('given values the library encodes (binary, big integers, non-string keys), when decoded both ways, then the outcomes agree', () => {
  const value = fc.oneof(
    jsonValue,
    fc.uint8Array({ maxLength: 40 }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }).map((b) => (b >= -(2n ** 63n) && b < 2n ** 64n ? b : 0n)),
    fc.array(fc.tuple(fc.integer(), fc.string()), { maxLength: 4 }).map((pairs) => new Map(pairs)),
  );
  fc.assert(
    fc.property(value, (v) => {
      const bytes = encode(v, { useBigInt64: true });
      assert.equal(outcome(() => decodeStored(bytes)), outcome(() => decode(bytes)));
    }),
    { numRuns: 2000, seed: 2 },
  );
});

test('given many short strings that differ only slightly (far more than the reader remembers), when decoded, then each is itself', () => {
  // The fast reader remembers short strings by a hash of their bytes: a hit must never return a neighbour.
  const strings: string[] = [];
  for (let length = 0; length <= 18; length++) {
    for (let i = 0; i < 600; i++) {
      const base = `${i.toString(36)}-`.padEnd(length, 'x').slice(0, length);
      strings.push(base, base.slice(0, -1) + '\u0000', base + '\u0000', base.toUpperCase());
    }
  }
  strings.push('é', 'ü'.repeat(5), '\u{1F600}', 'a\u0000', 'a', '\u0000');
  const asKeys = Object.fromEntries(strings.filter((s) => s !== '__proto__').map((s, i) => [s, i]));
  for (const value of [strings, asKeys, [...strings].reverse()]) {
    const bytes = encodeCanonical(value);
    assert.equal(decodeStored(bytes), decode(bytes));
    assert.equal(decodeStored(bytes), value);
  }
});

test('given truncated or corrupted canonical bytes, when decoded both ways, then both fail or both give the same value', () => {
  fc.assert(
    fc.property(jsonValue, fc.nat(), fc.nat(255), fc.boolean(), (v, at, byte, truncate) => {
      const bytes = encodeCanonical(JSON.parse(JSON.stringify(v)));
      if (bytes.length === 0) return;
      const i = at % bytes.length;
      const broken = truncate ? bytes.subarray(0, i) : Uint8Array.from(bytes, (b, k) => (k === i ? byte : b));
      const fast = outcome(() => decodeStored(broken));
      const slow = outcome(() => decode(broken));
      assert.is(fast.error === undefined, slow.error === undefined, `one failed and the other did not on ${Buffer.from(broken).toString('hex')}`);
      if (fast.error === undefined) assert.equal(fast.value, slow.value);
    }),
    { numRuns: 3000, seed: 3 },
  );
});

test.run();
