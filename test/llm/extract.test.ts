import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extractJson } from '../../actors/minds/llm/extract.js';

test('given bare JSON, when extracted, then the object is returned', () => {
  const r = extractJson('{"a": 1, "b": {"c": [1, 2]}}');
  assert.equal(r, { ok: true, value: { a: 1, b: { c: [1, 2] } } });
});

test('given JSON in a fenced block among prose, when extracted, then the fenced object is returned', () => {
  const r = extractJson('Sure! Here it is:\n```json\n{"score": "node.cores"}\n```\nAnything else?');
  assert.equal(r, { ok: true, value: { score: 'node.cores' } });
});

test('given a think block and a JSON object after prose, when extracted, then braces inside strings do not confuse it', () => {
  const r = extractJson('<think>maybe {"wrong": true}</think> The policy is {"explain": "a } brace", "score": "1"} as asked.');
  assert.equal(r, { ok: true, value: { explain: 'a } brace', score: '1' } });
});

test('given malformed JSON, when extracted, then the error says it is malformed', () => {
  const r = extractJson('{"score": "node.cores",}');
  assert.is(r.ok, false);
  if (!r.ok) assert.match(r.error, /malformed JSON/);
});

test('given an array or no JSON at all, when extracted, then it is refused with a reason', () => {
  const a = extractJson('[1, 2]');
  const b = extractJson('I cannot help with that.');
  const c = extractJson('   ');
  assert.is(a.ok, false);
  assert.is(b.ok, false);
  assert.is(c.ok, false);
  if (!b.ok) assert.match(b.error, /no JSON object/);
  if (!c.ok) assert.match(c.error, /empty/);
});

test.run();
