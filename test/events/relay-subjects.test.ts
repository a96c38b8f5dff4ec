import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { isOlderThan, serverVersionWarning } from '../../events/relay/server-version.js';
import { eventSubject, fromSubjectToken, subjectToken } from '../../events/relay/subjects.js';

test('given a plain run id, when building the subject, then it is aurora.events.<runId>.<EventType>', () => {
  assert.is(eventSubject('r-2025_01', 'MatchPlayed'), 'aurora.events.r-2025_01.MatchPlayed');
});

test('given a run id with subject wildcards, dots or spaces, when building the subject, then they are escaped into one token', () => {
  assert.is(subjectToken('a.b*c >d%'), 'a%2Eb%2Ac%20%3Ed%25');
  assert.is(eventSubject('x.y', 'RunStarted'), 'aurora.events.x%2Ey.RunStarted');
});

test('given any run id, when escaped and unescaped, then it comes back and the token is a valid single NATS token', () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (runId) => {
      const token = subjectToken(runId);
      assert.ok(/^[A-Za-z0-9_%-]+$/.test(token), token);
      assert.is(fromSubjectToken(token), runId);
    }),
  );
});

test('given server versions, when compared with 2.9.0, then only older ones get the one-line warning', () => {
  assert.ok(isOlderThan('2.8.4'));
  assert.ok(isOlderThan('v1.4.0'));
  assert.not.ok(isOlderThan('2.9.0'));
  assert.not.ok(isOlderThan('2.9.10'));
  assert.not.ok(isOlderThan('2.10.1-beta.2'));
  assert.not.ok(isOlderThan('garbage'));
  assert.match(serverVersionWarning('2.8.4') ?? '', /^warning: nats-server 2\.8\.4 is older than 2\.9\.0/);
  assert.is(serverVersionWarning('2.9.10'), null);
  assert.is(serverVersionWarning(undefined), null);
});

test.run();
