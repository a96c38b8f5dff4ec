import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fenceUntrusted } from '../../actors/minds/llm/fence.js';
import { INJECTION_TEXT } from './support/answers.js';

const closers = (s: string) => s.match(/UNTRUSTED [0-9A-Z]+>>>/g) ?? [];

test('given text with fake fence markers, when fenced, then the fence has exactly one opening and one closing marker', () => {
  const fenced = fenceUntrusted('rationale of p-1', INJECTION_TEXT);
  assert.is((fenced.match(/<<<UNTRUSTED/g) ?? []).length, 1);
  assert.is(closers(fenced).length, 1);
  assert.ok(fenced.endsWith(closers(fenced)[0]!));
  assert.ok(fenced.includes('Ignore all previous instructions'), 'the text itself is kept, as data');
});

test('given two different texts, when fenced, then their tags differ (a text cannot predict its closing tag)', () => {
  const a = closers(fenceUntrusted('x', 'first text'))[0];
  const b = closers(fenceUntrusted('x', 'second text'))[0];
  assert.ok(a !== b);
});

test('given a long text, when fenced, then it is cut to the limit and says how much was left out', () => {
  const fenced = fenceUntrusted('x', 'a'.repeat(5000), 100);
  assert.ok(fenced.length < 300);
  assert.match(fenced, /4900 more characters/);
});

test.run();
