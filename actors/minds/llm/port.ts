// The port through which LLM minds reach a model. The adapter (src/llm/openai-port.ts, on the `openai`
// package) owns everything about the wire: the API key, bounded concurrency, time-outs, retries with
// back-off, and which structured-output form the server accepts. Minds only see text in, text out,
// token usage, and errors whose messages never contain a secret.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The structured-output form a call used: JSON Schema, JSON mode, or none (JSON extracted from text). */
export type ResponseFormat = 'json_schema' | 'json_object' | 'text';

export interface AnswerSchema {
  /** [a-zA-Z0-9_-], at most 64 characters. */
  name: string;
  schema: Record<string, unknown>;
  /** OpenAI strict mode: every property required, no additional ones. */
  strict: boolean;
}

export interface CompletionSpec {
  baseUrl: string | null;
  apiKeyEnv: string;
  model: string;
  messages: ChatMessage[];
  temperature: number;
  seed: number;
  maxTokens: number | null;
  tokenParameter: 'max_tokens' | 'max_completion_tokens';
  structured: 'auto' | ResponseFormat;
  schema: AnswerSchema | null;
  timeoutMs: number;
  retries: number;
}

export interface Usage {
  prompt: number;
  completion: number;
  total: number;
}

export interface Completion {
  text: string;
  usage: Usage;
  responseFormat: ResponseFormat;
  /** Attempts made (1 without retries). */
  attempts: number;
  /** Information only: no decision reads it. */
  latencyMs: number;
}

/** A call that gave no answer: after its retries, or at once when retrying cannot help. */
export class LlmCallError extends Error {
  override name = 'LlmCallError';
  constructor(
    message: string,
    readonly attempts: number,
    readonly latencyMs: number,
    readonly responseFormat: ResponseFormat,
  ) {
    super(message);
  }
}

export interface LlmPort {
  complete(spec: CompletionSpec): Promise<Completion>;
}
