// The real `openai` client against a scripted local endpoint: retries, time-outs, structured-output
// fallback, bounded concurrency, usage, and a key that never appears in an error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LlmCallError, type CompletionSpec } from '../../actors/minds/llm/port.js';
import { createOpenAiPort } from '../../src/llm/openai-port.js';
import { startScriptedServer, type Script } from './support/scripted-server.js';

const KEY = 'sk-aurora-test-SECRET-0123456789abcdef';
const env = { AURORA_TEST_KEY: KEY };

function spec(url: string, over: Partial<CompletionSpec> = {}): CompletionSpec {
  return {
    baseUrl: url,
    apiKeyEnv: 'AURORA_TEST_KEY',
    model: 'test-model',
    messages: [
      { role: 'system', content: 'Answer with JSON.' },
      { role: 'user', content: 'Say hello in JSON.' },
    ],
    temperature: 0.7,
    seed: 42,
    maxTokens: 256,
    tokenParameter: 'max_tokens',
    structured: 'auto',
    schema: { name: 'hello', strict: true, schema: { type: 'object', properties: { hello: { type: 'string' } }, required: ['hello'], additionalProperties: false } },
    timeoutMs: 5000,
    retries: 3,
    ...over,
  };
}

async function withServer(script: Script, body: (url: string, requests: Awaited<ReturnType<typeof startScriptedServer>>['requests']) => Promise<void>) {
  const server = await startScriptedServer(script);
  try {
    await body(server.url, server.requests);
  } finally {
    await server.close();
  }
}

const port = (concurrency = 4) => createOpenAiPort({ env, concurrency, backoff: { baseMs: 1, maxMs: 20 } });

test('given a valid answer, when a call completes, then text, usage, format and the key sent as a bearer token are as expected', async () => {
  await withServer(
    () => ({ content: '{"hello": "world"}', usage: { prompt_tokens: 12, completion_tokens: 5 } }),
    async (url, requests) => {
      const done = await port().complete(spec(url));
      assert.is(done.text, '{"hello": "world"}');
      assert.equal(done.usage, { prompt: 12, completion: 5, total: 17 });
      assert.is(done.responseFormat, 'json_schema');
      assert.is(done.attempts, 1);
      assert.is(requests[0]!.authorization, `Bearer ${KEY}`);
      assert.is(requests[0]!.body.max_tokens, 256);
      assert.is(requests[0]!.body.seed, 42);
      assert.is(requests[0]!.body.response_format.json_schema.name, 'hello');
    },
  );
});

test('given two 429s with Retry-After, when a call is made, then it is retried and succeeds on the third attempt', async () => {
  await withServer(
    (r) => (r.index < 2 ? { status: 429, headers: { 'retry-after-ms': '5' }, body: { error: { message: 'Rate limit reached' } } } : { content: '{"hello": "again"}' }),
    async (url, requests) => {
      const done = await port().complete(spec(url));
      assert.is(done.attempts, 3);
      assert.is(requests.length, 3);
      assert.is(done.text, '{"hello": "again"}');
    },
  );
});

test('given a server that keeps failing with 500, when the retries are spent, then an LlmCallError says so', async () => {
  await withServer(
    () => ({ status: 500, body: { error: { message: 'upstream exploded' } } }),
    async (url, requests) => {
      try {
        await port().complete(spec(url, { retries: 2 }));
        assert.unreachable('should have failed');
      } catch (err) {
        assert.instance(err, LlmCallError);
        assert.is((err as LlmCallError).attempts, 3);
        assert.match((err as Error).message, /500/);
        assert.match((err as Error).message, /after 3 attempts/);
      }
      assert.is(requests.length, 3);
    },
  );
});

test('given a 400 that is not about the format, when a call is made, then it is not retried', async () => {
  await withServer(
    () => ({ status: 400, body: { error: { message: 'context length exceeded' } } }),
    async (url, requests) => {
      await port().complete(spec(url)).then(
        () => assert.unreachable('should have failed'),
        (err) => assert.match((err as Error).message, /context length/),
      );
      assert.is(requests.length, 1);
    },
  );
});

test('given a slow answer, when it takes longer than the time-out, then the call times out (and is retried the configured times)', async () => {
  await withServer(
    () => ({ content: '{"hello": "late"}', delayMs: 400 }),
    async (url, requests) => {
      const started = Date.now();
      await port().complete(spec(url, { timeoutMs: 60, retries: 1 })).then(
        () => assert.unreachable('should have timed out'),
        (err) => {
          assert.instance(err, LlmCallError);
          assert.match((err as Error).message, /no answer within 60 ms/);
          assert.is((err as LlmCallError).attempts, 2);
        },
      );
      assert.is(requests.length, 2);
      assert.ok(Date.now() - started < 5000);
    },
  );
});

test('given a server without JSON Schema or JSON mode, when auto, then it falls back to json_object, then to text, and remembers', async () => {
  const script: Script = (r) =>
    r.responseFormat === 'text'
      ? { content: 'Sure:\n```json\n{"hello": "text"}\n```' }
      : { status: 400, body: { error: { message: `response_format type ${r.responseFormat} is not supported by this server` } } };
  await withServer(script, async (url, requests) => {
    const p = port();
    const done = await p.complete(spec(url));
    assert.is(done.responseFormat, 'text');
    assert.equal(requests.map((r) => r.responseFormat), ['json_schema', 'json_object', 'text']);
    assert.is(p.formatFor(url, 'test-model'), 'text');
    await p.complete(spec(url));
    assert.is(requests.length, 4, 'the second call goes straight to text');
    assert.is(requests[3]!.responseFormat, 'text');
  });
});

test('given json_schema configured explicitly and a server that refuses it, when a call is made, then it fails rather than change the format', async () => {
  await withServer(
    () => ({ status: 400, body: { error: { message: 'response_format json_schema is not supported' } } }),
    async (url, requests) => {
      await port().complete(spec(url, { structured: 'json_schema' })).then(
        () => assert.unreachable('should have failed'),
        (err) => assert.match((err as Error).message, /not supported/),
      );
      assert.is(requests.length, 1);
    },
  );
});

test('given concurrency 2, when six calls are made at once, then the server never sees more than two in flight', async () => {
  let inFlight = 0;
  let most = 0;
  await withServer(
    async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      return { content: '{"hello": "x"}' };
    },
    async (url) => {
      const p = port(2);
      await Promise.all(Array.from({ length: 6 }, () => p.complete(spec(url))));
      assert.ok(most <= 2, `saw ${most} in flight`);
      assert.is(most, 2);
    },
  );
});

test('given a server that echoes the key in its error, when the call fails, then the error message does not contain the key', async () => {
  await withServer(
    (r) => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${r.authorization?.replace('Bearer ', '')}. Sent: ${r.authorization}` } } }),
    async (url) => {
      await port().complete(spec(url)).then(
        () => assert.unreachable('should have failed'),
        (err) => {
          assert.match((err as Error).message, /401/);
          assert.not.match((err as Error).message, KEY);
          assert.not.match((err as Error).message, KEY.slice(-8));
        },
      );
    },
  );
});

test('given an endpoint nobody listens on, when a call is made, then the error says the endpoint could not be reached', async () => {
  const server = await startScriptedServer(() => ({ content: '{}' }));
  const url = server.url;
  await server.close();
  await port().complete(spec(url, { retries: 1 })).then(
    () => assert.unreachable('should have failed'),
    (err) => assert.match((err as Error).message, /could not reach the model endpoint/),
  );
});

test.run();
