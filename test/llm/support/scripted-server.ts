// A local OpenAI-compatible endpoint for tests (node:http): POST /v1/chat/completions answered by a
// script — valid answers, malformed JSON, schema violations, 429s, 500s, slow answers, refused response
// formats — so the real `openai` client is exercised end to end against a server the test controls.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  /** 0-based arrival order. */
  index: number;
  body: Record<string, any>;
  model: string;
  messages: { role: string; content: string }[];
  /** json_schema, json_object or text (no response_format). */
  responseFormat: 'json_schema' | 'json_object' | 'text';
  schemaName: string | null;
  /** Which AURORA role asked, from the answer schema's name or the prompt. */
  role: 'attacker' | 'defender' | 'evolver' | 'transfer' | 'unknown';
  /** A repair: the conversation already holds an answer and the errors sent back. */
  isRepair: boolean;
  temperature: number | null;
  seed: number | null;
  authorization: string | undefined;
}

export interface ScriptedReply {
  status?: number;
  /** The assistant message content (status 200). */
  content?: string;
  /** A whole JSON body instead (errors, odd shapes). */
  body?: unknown;
  /** Bytes sent as they are. */
  raw?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
  headers?: Record<string, string>;
  delayMs?: number;
}

export type Script = (req: ChatRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface ScriptedServer {
  /** Base URL for the client, ending in /v1. */
  url: string;
  requests: ChatRequest[];
  close(): Promise<void>;
}

function roleOf(schemaName: string | null, messages: ChatRequest['messages']): ChatRequest['role'] {
  if (schemaName === 'aurora_scenario') return 'attacker';
  if (schemaName === 'aurora_prompts') return 'evolver';
  const system = messages[0]?.content ?? '';
  const user = messages[1]?.content ?? '';
  if (/^You successfully solved this/.test(user)) return 'transfer';
  if (schemaName === 'aurora_policy') return 'defender';
  if (/scenario designer/i.test(system) || /Generate a JSON scenario/.test(user)) return 'attacker';
  if (/meta-prompt engineer/i.test(system)) return 'evolver';
  if (/allocation strategist/i.test(system) || /Feature vocabulary/.test(user)) return 'defender';
  return 'unknown';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function completion(content: string, usage = { prompt_tokens: 100, completion_tokens: 50 }, model = 'scripted'): unknown {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const requests: ChatRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      const body = JSON.parse(await readBody(req)) as Record<string, any>;
      const messages = (body.messages ?? []) as ChatRequest['messages'];
      const rf = body.response_format?.type as string | undefined;
      const schemaName = (body.response_format?.json_schema?.name as string | undefined) ?? null;
      const request: ChatRequest = {
        index: requests.length,
        body,
        model: body.model,
        messages,
        responseFormat: rf === 'json_schema' ? 'json_schema' : rf === 'json_object' ? 'json_object' : 'text',
        schemaName,
        role: roleOf(schemaName, messages),
        isRepair: messages.some((m) => m.role === 'assistant'),
        temperature: typeof body.temperature === 'number' ? body.temperature : null,
        seed: typeof body.seed === 'number' ? body.seed : null,
        authorization: req.headers.authorization,
      };
      requests.push(request);
      const reply = await script(request);
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      const status = reply.status ?? 200;
      const text =
        reply.raw ?? JSON.stringify(reply.body ?? (status === 200 ? completion(reply.content ?? '', reply.usage, request.model) : { error: { message: `status ${status}` } }));
      res.writeHead(status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(text);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `scripted server: ${(err as Error).message}` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
