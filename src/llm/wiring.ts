// How `aurora run` wires an LLM run: every role in this process with the LLM minds reaching the model
// through one port (bounded concurrency for the whole process), and the run's model usage for the report.
import type { LlmPort } from '../../actors/minds/llm/port.js';
import { PromptLedger, type LlmUsage } from '../../actors/minds/llm/prompt-ledger.js';
import { runStream, type EventStore } from '../../events/store.js';
import type { Transport } from '../transport/port.js';
import { openInProcess } from '../wiring/open-transport.js';

/**
 * In-process roles whose attacker and defender answer LLM requests through `port`. They take up to
 * `concurrency` requests at once (the port bounds the calls themselves); the simulator one at a time, as
 * in the offline wiring.
 */
export function openLlmInProcess(port: LlmPort, concurrency: number): Promise<Transport> {
  return openInProcess({ mindConcurrency: concurrency, handlers: { llm: port } });
}

/** The recorded configuration of a stored run (its RunStarted), or null when there is none. */
export async function storedRunConfig(store: EventStore, runId: string): Promise<Record<string, unknown> | null> {
  const [first] = await store.readStream(runStream(runId), { from: 0, maxCount: 1 });
  if (first === undefined || first.type !== 'RunStarted') return null;
  const config = first.data.config;
  return typeof config === 'object' && config !== null && !Array.isArray(config) ? (config as Record<string, unknown>) : null;
}

/** Model calls, tokens and cost of a stored run (its LlmCalled events). */
export async function llmUsageOf(store: EventStore, runId: string): Promise<LlmUsage> {
  const ledger = new PromptLedger(runId);
  for (let from = 0; ; ) {
    const page = await store.readStream(runStream(runId), { from, maxCount: 10_000 });
    ledger.applyAll(page);
    from += page.length;
    if (page.length < 10_000) return ledger.usage;
  }
}

export function formatUsage(u: LlmUsage): string {
  return `LLM: ${u.calls} calls, ${u.total} tokens (${u.prompt} prompt + ${u.completion} completion), cost ${u.cost.toFixed(4)}`;
}

/** The run's last RunStopped, when it stopped for its LLM budget. */
export async function budgetStop(store: EventStore, runId: string): Promise<string | null> {
  let last: string | null = null;
  for (let from = 0; ; ) {
    const page = await store.readStream(runStream(runId), { from, maxCount: 10_000 });
    for (const e of page) if (e.type === 'RunStopped') last = e.data.reason === 'budget' ? e.data.detail : null;
    from += page.length;
    if (page.length < 10_000) return last;
  }
}
