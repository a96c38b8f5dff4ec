// The llm configuration: per-role and per-level models, resolution from flags, file and environment.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LlmSettings, llmRequestFor, modelFor } from '../../actors/minds/llm/settings.js';
import { LlmConfigError, resolveLlmSection } from '../../src/llm/config.js';
import { RunConfig } from '../../actors/run-config.js';

const base = { models: { attacker: 'small', defender: 'small', evolver: 'mid' } };

test('given models by level, when a role asks at a difficulty, then the last step at or below it decides', () => {
  const s = LlmSettings.parse({ ...base, byLevel: [{ fromLevel: 7, models: { defender: 'huge' } }, { fromLevel: 3, models: { defender: 'big', attacker: 'big' } }] });
  assert.is(modelFor(s, 'defender', 1), 'small');
  assert.is(modelFor(s, 'defender', 5), 'big');
  assert.is(modelFor(s, 'defender', 10), 'huge');
  assert.is(modelFor(s, 'attacker', 10), 'big');
  assert.is(modelFor(s, 'evolver', 10), 'mid');
});

test('given a price table, when a request is built, then it carries the price of its model only and no key', () => {
  const s = LlmSettings.parse({ ...base, prices: { small: { prompt: 0.15, completion: 0.6 } } });
  const r = llmRequestFor(s, 'attacker', 1, [{ variantId: 'a', text: 'x' }]);
  assert.equal(r.price, { prompt: 0.15, completion: 0.6 });
  assert.is(llmRequestFor(s, 'evolver', 1, [{ variantId: 'a', text: 'x' }]).price, null);
  assert.is(r.apiKeyEnv, 'OPENAI_API_KEY');
  assert.not.ok('apiKey' in r);
});

test('given the environment only, when resolved, then AURORA_MODEL and OPENAI_BASE_URL fill the section', () => {
  const section = resolveLlmSection(undefined, { AURORA_MODEL: 'llama3.1:8b', AURORA_MODEL_EVOLVER: 'qwen2.5:32b', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' });
  assert.equal(section.models, { attacker: 'llama3.1:8b', defender: 'llama3.1:8b', evolver: 'qwen2.5:32b' });
  assert.is(section.baseUrl, 'http://127.0.0.1:11434/v1');
  assert.ok(RunConfig.safeParse({ mind: 'llm', llm: section }).success);
});

test('given flags, a file and the environment, when resolved, then flags win over the file and the file over the environment', () => {
  const section = resolveLlmSection(
    { models: { attacker: 'file-a', defender: 'file-d', evolver: 'file-e' }, baseUrl: 'http://file/v1', budget: { tokens: 10 } },
    { AURORA_MODEL: 'env', OPENAI_BASE_URL: 'http://env/v1' },
    { baseUrl: 'http://flag/v1', budgetTokens: 99 },
  );
  assert.equal(section.models, { attacker: 'file-a', defender: 'file-d', evolver: 'file-e' });
  assert.is(section.baseUrl, 'http://flag/v1');
  assert.equal(section.budget, { tokens: 99 });
  assert.equal(resolveLlmSection(undefined, { AURORA_MODEL: 'env' }, { model: 'flag' }).models, { attacker: 'flag', defender: 'flag', evolver: 'flag' });
});

test('given a secret or credentials in the section, when resolved, then it is refused without echoing the value', () => {
  const secret = 'sk-do-not-echo-0123456789';
  for (const file of [{ ...base, apiKey: secret }, { ...base, extra: { token: secret } }, { ...base, baseUrl: `https://me:${secret}@example.com/v1` }]) {
    try {
      resolveLlmSection(file, {});
      assert.unreachable('should refuse');
    } catch (err) {
      assert.instance(err, LlmConfigError);
      assert.not.match((err as Error).message, secret);
    }
  }
});

test('given an offline configuration, when parsed, then it has no llm section (offline runs record what they did before)', () => {
  assert.not.ok('llm' in RunConfig.parse({}));
});

test.run();
