// A small LLM self-play run against a scripted endpoint, and what the tests compare runs by.
import { openMemoryStore } from '../../../events/adapters/memory.js';
import { runStream, type EventStore, type RecordedEvent } from '../../../events/store.js';
import { fingerprint } from '../../../events/fingerprint.js';
import { runSelfPlay, type SelfPlayResult } from '../../../actors/self-play.js';
import type { RunConfigInput } from '../../../actors/run-config.js';
import type { LlmRunOptions } from '../../../actors/minds/llm/llm-run.js';
import type { LlmPort } from '../../../actors/minds/llm/port.js';
import { openLlmInProcess } from '../../../src/llm/wiring.js';
import { openInProcess } from '../../../src/wiring/open-transport.js';
import type { Script } from './scripted-server.js';
import { EVOLVED_PROMPTS, INJECTION_POLICY, UNKNOWN_FEATURE_POLICY, VALID_POLICY, VALID_SCENARIO, json } from './answers.js';
import { KEY_ENV } from './requests.js';

export const RUN_ID = 'rllm-1';

export function llmRunConfig(url: string, over: Record<string, unknown> = {}): RunConfigInput {
  return {
    iterations: 3,
    scenariosPerIteration: 2,
    candidatesPerScenario: 2,
    incumbents: 2,
    evolveEvery: 2,
    mind: 'llm',
    llm: {
      baseUrl: url,
      apiKeyEnv: KEY_ENV,
      models: { attacker: 'small', defender: 'small', evolver: 'big' },
      byLevel: [{ fromLevel: 3, models: { defender: 'big' } }],
      prices: { small: { prompt: 0.5, completion: 1.5 }, big: { prompt: 5, completion: 15 } },
      retries: 1,
      timeoutMs: 5000,
      ...over,
    },
  } as RunConfigInput;
}

/**
 * A pure function of the request, so two live runs get the same answers: scenarios are valid; of each
 * scenario's two candidates the first is valid (its rationale a prompt injection on s-1-0), the second
 * names an unknown feature and is repaired — except on s-2-1, where it stays malformed and the offline
 * mind takes over; the evolver writes new prompts.
 */
export const runScript: Script = (r) => {
  const user = r.messages[1]?.content ?? '';
  switch (r.role) {
    case 'attacker':
      return { content: json(VALID_SCENARIO), usage: { prompt_tokens: 300, completion_tokens: 60 } };
    case 'evolver':
      return { content: json(EVOLVED_PROMPTS), usage: { prompt_tokens: 400, completion_tokens: 80 } };
    case 'defender': {
      const second = /This is candidate 2 of/.test(user);
      if (!second) return { content: json(/^Scenario s-1-0,/.test(user) ? INJECTION_POLICY : VALID_POLICY) };
      if (/^Scenario s-2-1,/.test(user)) return { content: '{"rationale": "cut off", "policy": {"score": ' };
      return { content: json(r.isRepair ? VALID_POLICY : UNKNOWN_FEATURE_POLICY) };
    }
    default:
      return { status: 400, body: { error: { message: 'unexpected request' } } };
  }
};

export interface LlmRunOutcome {
  result: SelfPlayResult;
  events: RecordedEvent[];
  store: EventStore;
}

export async function readAll(store: EventStore, runId = RUN_ID): Promise<RecordedEvent[]> {
  return store.readStream(runStream(runId), { from: 0, maxCount: 1_000_000 });
}

/** Runs (or resumes) the LLM run; `port` null: the roles have no model endpoint (replay). */
export async function runLlm(
  config: RunConfigInput,
  port: LlmPort | null,
  llm: LlmRunOptions = {},
  store: EventStore = openMemoryStore(),
  resume = false,
): Promise<LlmRunOutcome> {
  const transport = port === null ? await openInProcess() : await openLlmInProcess(port, 4);
  try {
    const result = await runSelfPlay({ store, requester: transport, runId: RUN_ID, seed: 3, config, codeVersion: 'test', resume, llm: { port, ...llm } });
    return { result, events: await readAll(store), store };
  } finally {
    await transport.close();
  }
}

export const fingerprints = (events: readonly RecordedEvent[]) => events.map((e) => fingerprint(e));

/** Fingerprints with the wall-clock latency of LlmCalled zeroed: what two live runs must share. */
export const fingerprintsWithoutLatency = (events: readonly RecordedEvent[]) =>
  events.map((e) => fingerprint(e.type === 'LlmCalled' ? { ...e, data: { ...e.data, latencyMs: 0 } } : e));
