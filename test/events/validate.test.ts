import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidEventError, validateEvent } from '../../events/validate.js';
import { match, meta, rating, runStarted } from './fixtures.js';

function message(event: unknown): string {
  try {
    validateEvent(event);
  } catch (err) {
    assert.instance(err, InvalidEventError);
    return (err as Error).message;
  }
  throw new Error('expected InvalidEventError');
}

test('given valid events, when validated, then the same objects come back', () => {
  for (const e of [rating('a'), match('b'), runStarted('c')]) assert.is(validateEvent(e), e);
});

test('given a recorded event with store fields, when validated, then only type, data and metadata count', () => {
  const e = { ...rating('a'), stream: 's', position: 3, revision: 0, recordedAt: 'x', fingerprint: 'y' };
  assert.is(validateEvent(e), e);
});

test('given invalid events, when validated, then the error names type and first path', () => {
  assert.is(message(null), 'invalid (untyped) event: (root): an event must be an object {type, data, metadata}');
  assert.is(message({ data: {}, metadata: meta('a') }), 'invalid (untyped) event: type: must be a string');
  assert.is(message({ ...rating('a'), data: { ...rating('a').data, after: NaN } }), 'invalid RatingChanged event: data.after: NaN is not allowed');
  assert.match(message({ ...match('a'), data: { ...match('a').data, outcomes: [0.3] } }), /^invalid MatchPlayed event: data\.outcomes/);
  assert.match(message({ ...match('a'), data: { ...match('a').data, outcomes: [] } }), /^invalid MatchPlayed event: data: a round of n players has n rewards and n·\(n − 1\)\/2 outcomes/);
  assert.match(message({ ...rating('a'), data: { ...rating('a').data, policyId: '' } }), /^invalid RatingChanged event: data\.policyId: /);
  assert.match(message({ ...rating('a'), metadata: { ...meta('a'), iteration: -1 } }), /^invalid RatingChanged event: metadata\.iteration: /);
  assert.match(message({ ...rating('a'), metadata: { ...meta('a'), extra: 1 } }), /^invalid RatingChanged event: metadata: .*extra/);
  assert.match(
    message({ ...rating('a'), data: { policyId: 'p', matchId: 'm' } }),
    /^invalid RatingChanged event: data\.before: .*\(and 1 more\)$/,
  );
});

test('given an event at an old version, when validated for append, then it is refused; for a read, only its data counts', () => {
  const old = { ...rating('a'), metadata: meta('a', { schemaVersion: 2 }) };
  assert.match(message(old), 'metadata.schemaVersion: version 2 is not the current version 1');
  assert.is(validateEvent(old, { currentVersion: false }), old);
});

test.run();
