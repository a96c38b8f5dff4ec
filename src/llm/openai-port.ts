// The LLM port on the `openai` package (v6, Chat Completions): works with OpenAI, vLLM, Ollama and
// llama.cpp's server, anything that speaks /v1/chat/completions. Per process it keeps one client per
// endpoint and key variable, bounds the calls in flight, and for each call:
// - time-out per attempt, retries with exponential back-off on 429, 5xx, time-outs and lost connections
//   (honouring Retry-After), none on other errors; the package's own retries are off so every attempt
//   is counted here;
// - structured output: JSON Schema (`response_format: json_schema`) where the server accepts it, else
//   `json_object`, else plain text from which the mind extracts the JSON; in `auto` mode a server that
//   refuses a form is asked again with the next one and remembered per endpoint and model;
// - the API key is read from the environment variable the request names, and every error message
//   that leaves is redacted, so the key never reaches events, logs or output.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import {
  LlmCallError,
  type Completion,
  type CompletionSpec,
  type LlmPort,
  type ResponseFormat,
  type Usage,
} from '../../actors/minds/llm/port.js';
import { redact } from './redact.js';
import { Semaphore } from './semaphore.js';

export interface OpenAiPortOptions {
  /** Where keys and OPENAI_BASE_URL are read (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Calls in flight at once, across every endpoint (default 4). */
  concurrency?: number;
  /** Back-off before retry n (0-based): min(maxMs, baseMs · 2^n), or the server's Retry-After when shorter than maxMs. */
  backoff?: { baseMs: number; maxMs: number };
  sleep?: (ms: number) => Promise<void>;
  /** Clock for latency figures only. */
  now?: () => number;
  fetch?: typeof fetch;
}

export interface OpenAiPort extends LlmPort {
  readonly semaphore: Semaphore;
  /** The structured-output form last seen to work for an endpoint and model. */
  formatFor(baseUrl: string | null, model: string): ResponseFormat | undefined;
}

/** Sent when the key variable is unset: local servers (Ollama, llama.cpp, vLLM) ignore the key. */
const NO_KEY = 'no-key';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function count(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? Math.round(x) : 0;
}

function usageOf(u: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | undefined | null): Usage {
  const prompt = count(u?.prompt_tokens);
  const completion = count(u?.completion_tokens);
  const total = count(u?.total_tokens) || prompt + completion;
  return { prompt, completion, total };
}

function retryable(err: unknown): boolean {
  if (err instanceof APIUserAbortError) return false;
  if (err instanceof APIConnectionError) return true; // time-outs included
  if (err instanceof APIError) return err.status === 408 || err.status === 429 || (err.status !== undefined && err.status >= 500);
  return false;
}

/** A 4xx that says the server does not take this response_format: ask again with the next form. */
function formatRefused(err: unknown): boolean {
  if (!(err instanceof APIError) || err.status === undefined) return false;
  if (err.status !== 400 && err.status !== 422 && err.status !== 501) return false;
  return /response_format|json_schema|json_object|schema|format|grammar/i.test(err.message);
}

function retryAfterMs(err: unknown): number | null {
  if (!(err instanceof APIError) || !err.headers) return null;
  const ms = Number(err.headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && err.headers.get('retry-after-ms') !== null) return ms;
  const header = err.headers.get('retry-after');
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

function describe(err: unknown, spec: CompletionSpec): string {
  if (err instanceof APIConnectionTimeoutError) return `no answer within ${spec.timeoutMs} ms`;
  if (err instanceof APIConnectionError) {
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : err.message;
    return `could not reach the model endpoint (${code})`;
  }
  if (err instanceof APIError) return err.status === undefined ? err.message : `HTTP ${err.message}`;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function bodyOf(spec: CompletionSpec, format: ResponseFormat): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: spec.model,
    messages: spec.messages.map((m) => ({ role: m.role, content: m.content })),
    temperature: spec.temperature,
    seed: spec.seed,
  };
  if (spec.maxTokens !== null) body[spec.tokenParameter] = spec.maxTokens;
  if (format === 'json_schema' && spec.schema !== null) {
    body.response_format = { type: 'json_schema', json_schema: { name: spec.schema.name, schema: spec.schema.schema, strict: spec.schema.strict } };
  } else if (format !== 'text') {
    body.response_format = { type: 'json_object' };
  }
  return body;
}

export function createOpenAiPort(options: OpenAiPortOptions = {}): OpenAiPort {
  const env = options.env ?? process.env;
  const semaphore = new Semaphore(options.concurrency ?? 4);
  const backoff = options.backoff ?? { baseMs: 500, maxMs: 20_000 };
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => performance.now());
  const clients = new Map<string, OpenAI>();
  const formats = new Map<string, ResponseFormat>();
  const formatKey = (baseUrl: string | null, model: string) => `${baseUrl ?? ''}\n${model}`;

  const clientFor = (spec: CompletionSpec): OpenAI => {
    const key = `${spec.baseUrl ?? ''}\n${spec.apiKeyEnv}`;
    let client = clients.get(key);
    if (client === undefined) {
      client = new OpenAI({
        apiKey: env[spec.apiKeyEnv] || NO_KEY,
        baseURL: spec.baseUrl ?? env.OPENAI_BASE_URL ?? undefined,
        maxRetries: 0,
        logLevel: 'off',
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      clients.set(key, client);
    }
    return client;
  };

  const firstFormat = (spec: CompletionSpec): ResponseFormat => {
    if (spec.structured === 'auto') return formats.get(formatKey(spec.baseUrl, spec.model)) ?? (spec.schema !== null ? 'json_schema' : 'json_object');
    return spec.structured === 'json_schema' && spec.schema === null ? 'json_object' : spec.structured;
  };

  return {
    semaphore,
    formatFor: (baseUrl, model) => formats.get(formatKey(baseUrl, model)),
    async complete(spec: CompletionSpec): Promise<Completion> {
      const secrets = [env[spec.apiKeyEnv]];
      const started = now();
      let format = firstFormat(spec);
      let attempts = 0;
      let retries = 0;
      let client: OpenAI;
      try {
        client = clientFor(spec);
      } catch (err) {
        throw new LlmCallError(redact(`cannot set up the model client: ${describe(err, spec)}`, secrets), 0, 0, format);
      }
      for (;;) {
        attempts++;
        try {
          const res = await semaphore.run(() => client.chat.completions.create(bodyOf(spec, format), { timeout: spec.timeoutMs, maxRetries: 0 }));
          const message = res.choices?.[0]?.message;
          const text = message?.content ?? message?.refusal ?? '';
          if (spec.structured === 'auto') formats.set(formatKey(spec.baseUrl, spec.model), format);
          return { text, usage: usageOf(res.usage), responseFormat: format, attempts, latencyMs: now() - started };
        } catch (err) {
          if (spec.structured === 'auto' && format !== 'text' && formatRefused(err)) {
            format = format === 'json_schema' ? 'json_object' : 'text';
            continue;
          }
          if (retryable(err) && retries < spec.retries) {
            const wait = Math.min(backoff.maxMs, retryAfterMs(err) ?? backoff.baseMs * 2 ** retries);
            retries++;
            await sleep(wait);
            continue;
          }
          const after = attempts > 1 ? ` (after ${attempts} attempts)` : '';
          throw new LlmCallError(redact(`${spec.model}: ${describe(err, spec)}${after}`, secrets), attempts, now() - started, format);
        }
      }
    },
  };
}
