import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCanonical } from '../../events/codec.js';
import { eventBytes, fingerprint } from '../../events/fingerprint.js';
import { rating, runStarted } from './fixtures.js';

test('given an event, when fingerprinted, then it is the SHA-256 hex of the canonical bytes of {type, data, metadata}', () => {
  const e = runStarted('a');
  const bytes = encodeCanonical({ type: e.type, data: e.data, metadata: e.metadata });
  assert.is(fingerprint(e), createHash('sha256').update(bytes).digest('hex'));
  assert.is(Buffer.from(eventBytes(e)).toString('hex'), Buffer.from(bytes).toString('hex'));
});

test('given the same event as recorded by a store, when fingerprinted, then store fields and key order do not matter', () => {
  const e = rating('a');
  const recorded = { stream: 's', position: 9, revision: 0, recordedAt: '2020-01-01T00:00:00Z', fingerprint: 'x', ...e };
  const reordered = { metadata: { ...e.metadata }, data: { after: e.data.after, before: e.data.before, matchId: e.data.matchId, policyId: e.data.policyId }, type: e.type };
  assert.is(fingerprint(recorded), fingerprint(e));
  assert.is(fingerprint(reordered), fingerprint(e));
});

test('given events differing in one value, when fingerprinted, then the fingerprints differ', () => {
  assert.is.not(fingerprint(rating('a', 1500, 1516)), fingerprint(rating('a', 1500, 1517)));
  assert.is.not(fingerprint(rating('a')), fingerprint(rating('b')));
});

// The bytes are a format: if this changes, every stored run's fingerprints change. The value was checked
// against an independent MessagePack encoder (sorted keys, smallest int formats).
test('given a known event, when fingerprinted, then the fingerprint is the golden one', () => {
  assert.is(fingerprint(rating('a', 1500, 1516)), GOLDEN);
});
const GOLDEN = '37344ff113354657ac09d18d830f113617a70c30c9525c6bca295bef88fd0551';

test.run();
