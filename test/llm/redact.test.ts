import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasCredentials, redact } from '../../src/llm/redact.js';

const KEY = 'sk-aurora-test-SECRET-0123456789abcdef';

test('given a message with the key, its fragments, a bearer token and key-shaped text, when redacted, then none of them remains', () => {
  const text = `401: Incorrect API key provided: ${KEY}. Also sk-auror*********cdef, ${KEY.slice(0, 8)}…${KEY.slice(-8)}; Authorization: Bearer abc.def and api_key=hunter22`;
  const out = redact(text, [KEY]);
  assert.not.match(out, KEY);
  assert.not.match(out, KEY.slice(0, 8));
  assert.not.match(out, KEY.slice(-8));
  assert.not.match(out, 'abc.def');
  assert.not.match(out, 'hunter22');
  assert.match(out, /Incorrect API key provided/);
});

test('given URLs, when checked for credentials, then only those with user info are flagged', () => {
  assert.is(hasCredentials('https://user:pw@example.com/v1'), true);
  assert.is(hasCredentials('http://127.0.0.1:11434/v1'), false);
});

test.run();
