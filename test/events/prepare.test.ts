import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prepareBatch } from '../../events/adapters/prepare.js';
import type { AuroraEvent } from '../../events/catalogue.js';
import { encodeWithLibrary } from '../../events/codec.js';
import { eventBytes, fingerprint } from '../../events/fingerprint.js';
import { EventIdConflictError } from '../../events/store.js';
import { InvalidEventError } from '../../events/validate.js';
import { match, rating, ratings, runStarted } from './fixtures.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('given a batch, when prepared, then each event has the bytes and fingerprint it has alone', () => {
  const events: AuroraEvent[] = [rating('a'), runStarted('b'), match('c'), ...ratings('r', 40)];
  const prepared = prepareBatch('s', events);
  assert.is(prepared.length, events.length);
  prepared.forEach((p, i) => {
    const e = events[i]!;
    assert.is(p.event, e);
    assert.is(p.eventId, e.metadata.eventId);
    assert.is(hex(p.bytes), hex(eventBytes(e)), `bytes of ${p.eventId}`);
    assert.is(hex(p.bytes), hex(encodeWithLibrary({ type: e.type, data: e.data, metadata: e.metadata })));
    assert.is(p.fingerprint, fingerprint(e));
  });
});

test('given two batches prepared one after the other, when the second is prepared, then the first keeps its bytes', () => {
  const first = prepareBatch('s', ratings('x', 30));
  const before = first.map((p) => hex(p.bytes));
  prepareBatch('s', ratings('y', 30));
  assert.equal(first.map((p) => hex(p.bytes)), before);
});

test('given a batch with an invalid event after valid ones, when prepared, then the error names the type and path', () => {
  const bad = { ...rating('b'), data: { ...rating('b').data, before: NaN } };
  assert.throws(() => prepareBatch('s', [rating('a'), bad as AuroraEvent]), (err: Error) => err instanceof InvalidEventError && err.message === 'invalid RatingChanged event: data.before: NaN is not allowed');
  const wrong = { ...rating('c'), data: { ...rating('c').data, policyId: '' } };
  assert.throws(() => prepareBatch('s', [rating('a'), wrong]), (err: Error) => err instanceof InvalidEventError && /^invalid RatingChanged event: data\.policyId: /.test(err.message));
  // After a refusal the next batch is whole and right.
  const next = prepareBatch('s', [rating('d')]);
  assert.is(hex(next[0]!.bytes), hex(eventBytes(rating('d'))));
});

test('given a batch naming one id twice, when prepared, then it is refused', () => {
  assert.throws(() => prepareBatch('s', [rating('a'), rating('a')]), (err: Error) => err instanceof EventIdConflictError);
});

test.run();
