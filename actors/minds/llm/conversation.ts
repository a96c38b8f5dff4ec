// One question to a model, recorded, and the validate-then-repair-once loop every LLM mind uses.
// A question is answered from the recorded calls when its id is there (replay, resume), else by the
// port; either way the result is an LlmCall record, so a replayed call yields the same record as the
// original. Nothing here throws for a bad or missing answer: failures are outcomes the minds record.
import { extractJson } from './extract.js';
import { LlmCallError, type AnswerSchema, type ChatMessage, type LlmPort, type Usage } from './port.js';
import { recordedCall, repairCallId, type LlmCall, type RecordedCalls } from './records.js';
import type { LlmRequest } from './settings.js';

type Json = LlmCall['parameters'];

export interface Asker {
  port: LlmPort | null;
  llm: LlmRequest;
  recorded: RecordedCalls | undefined;
  /** Recorded as the call's role. */
  role: string;
}

export interface Question {
  callId: string;
  messages: ChatMessage[];
  temperature: number;
  seed: number;
  schema: AnswerSchema | null;
  /** The prompt variant the question was built with (recorded with the call). */
  variantId: string | null;
}

export interface Asked {
  call: LlmCall;
  text: string | null;
  error: string | null;
}

const NO_USAGE: Usage = { prompt: 0, completion: 0, total: 0 };

export function costOf(usage: Usage, price: LlmRequest['price']): number {
  if (price === null) return 0;
  return (usage.prompt * price.prompt + usage.completion * price.completion) / 1_000_000;
}

function parametersOf(asker: Asker, q: Question, repairOf: string | null, transport: Json): Json {
  return {
    temperature: q.temperature,
    seed: q.seed,
    maxTokens: asker.llm.maxTokens,
    structured: asker.llm.structured,
    schema: q.schema?.name ?? null,
    promptVariant: q.variantId,
    repairOf,
    transport,
  };
}

function transportOf(call: LlmCall): Json {
  const p = call.parameters;
  return typeof p === 'object' && p !== null && !Array.isArray(p) && 'transport' in p ? (p.transport ?? null) : null;
}

/** Asks one question: from the recording when it holds the call id, else from the model. */
export async function ask(asker: Asker, q: Question, repairOf: string | null = null): Promise<Asked> {
  const base = { callId: q.callId, role: asker.role, prompt: q.messages as unknown as Json };
  const recorded = recordedCall(asker.recorded, q.callId);
  if (recorded !== undefined) {
    const call: LlmCall = {
      ...base,
      model: recorded.model,
      parameters: parametersOf(asker, q, repairOf, transportOf(recorded)),
      answer: recorded.answer,
      error: recorded.error,
      usage: recorded.usage,
      cost: recorded.cost,
      latencyMs: recorded.latencyMs,
    };
    return { call, text: recorded.answer, error: recorded.error };
  }
  const failed = (error: string, transport: Json, latencyMs = 0): Asked => ({
    call: { ...base, model: asker.llm.model, parameters: parametersOf(asker, q, repairOf, transport), answer: null, error, usage: NO_USAGE, cost: 0, latencyMs },
    text: null,
    error,
  });
  if (asker.recorded?.exclusive) return failed(`no recorded answer for ${q.callId}: a replay never calls the model`, null);
  if (asker.port === null) return failed('no model endpoint in this process (the worker was started without an LLM client)', null);
  try {
    const done = await asker.port.complete({
      baseUrl: asker.llm.baseUrl,
      apiKeyEnv: asker.llm.apiKeyEnv,
      model: asker.llm.model,
      messages: q.messages,
      temperature: q.temperature,
      seed: q.seed,
      maxTokens: asker.llm.maxTokens,
      tokenParameter: asker.llm.tokenParameter,
      structured: asker.llm.structured,
      schema: q.schema,
      timeoutMs: asker.llm.timeoutMs,
      retries: asker.llm.retries,
    });
    const call: LlmCall = {
      ...base,
      model: asker.llm.model,
      parameters: parametersOf(asker, q, repairOf, { responseFormat: done.responseFormat, attempts: done.attempts }),
      answer: done.text,
      error: null,
      usage: done.usage,
      cost: costOf(done.usage, asker.llm.price),
      latencyMs: done.latencyMs,
    };
    return { call, text: done.text, error: null };
  } catch (err) {
    if (err instanceof LlmCallError) return failed(err.message, { responseFormat: err.responseFormat, attempts: err.attempts }, err.latencyMs);
    // The port promises redacted LlmCallErrors only; anything else is reported by kind, not by message.
    return failed(`the model call failed (${(err as Error)?.name ?? 'error'})`, null);
  }
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export interface Outcome<T> {
  value: T | null;
  calls: LlmCall[];
  /** Why there is no value: every problem met, first answer first. */
  errors: string[];
  /** What the model last proposed, as data, for the rejection record. */
  raw: Json | null;
  /** When the repair succeeded: what was wrong with the first answer, and that answer as data. */
  repaired: { errors: string[]; raw: Json } | null;
}

const MAX_ERRORS = 20;
const MAX_ERROR_LENGTH = 500;
const MAX_RAW_TEXT = 20_000;

const trimErrors = (errors: readonly string[]) => errors.slice(0, MAX_ERRORS).map((e) => (e.length > MAX_ERROR_LENGTH ? `${e.slice(0, MAX_ERROR_LENGTH)}…` : e));

function check<T>(text: string, validate: (json: Record<string, unknown>) => Validation<T>): { result: Validation<T>; raw: Json } {
  const parsed = extractJson(text);
  if (!parsed.ok) return { result: { ok: false, errors: [parsed.error] }, raw: { answer: text.slice(0, MAX_RAW_TEXT) } };
  let result: Validation<T>;
  try {
    result = validate(parsed.value);
  } catch (err) {
    result = { ok: false, errors: [(err as Error).message] };
  }
  return { result: result.ok ? result : { ok: false, errors: trimErrors(result.errors) }, raw: parsed.value as Json };
}

export function repairMessage(errors: readonly string[]): string {
  return [
    'Your answer was not accepted:',
    ...errors.map((e) => `- ${e}`),
    'Answer again with the complete, corrected JSON object only, in the same format.',
  ].join('\n');
}

/** Asks, validates the JSON answer, and when it does not validate asks once more with the errors. */
export async function askValid<T>(asker: Asker, q: Question, validate: (json: Record<string, unknown>) => Validation<T>): Promise<Outcome<T>> {
  const first = await ask(asker, q);
  if (first.error !== null || first.text === null) {
    return { value: null, calls: [first.call], errors: [`model call failed: ${first.error ?? 'no answer'}`], raw: null, repaired: null };
  }
  const one = check(first.text, validate);
  if (one.result.ok) return { value: one.result.value, calls: [first.call], errors: [], raw: one.raw, repaired: null };
  const firstErrors = one.result.errors;
  if (!asker.llm.repair) return { value: null, calls: [first.call], errors: firstErrors, raw: one.raw, repaired: null };

  const repair: Question = {
    ...q,
    callId: repairCallId(q.callId),
    messages: [...q.messages, { role: 'assistant', content: first.text }, { role: 'user', content: repairMessage(firstErrors) }],
  };
  const second = await ask(asker, repair, q.callId);
  const calls = [first.call, second.call];
  if (second.error !== null || second.text === null) {
    return { value: null, calls, errors: [...firstErrors, `repair call failed: ${second.error ?? 'no answer'}`], raw: one.raw, repaired: null };
  }
  const two = check(second.text, validate);
  if (two.result.ok) return { value: two.result.value, calls, errors: [], raw: two.raw, repaired: { errors: firstErrors, raw: one.raw } };
  return { value: null, calls, errors: [...firstErrors, ...two.result.errors.map((e) => `after repair: ${e}`)], raw: two.raw, repaired: null };
}
