// Every model call is recorded, and a recorded call can stand in for a live one. Minds return their calls
// in the reply (`llmCalls`, the data of LlmCalled events); the controller appends them in call-id order.
// Replay and resume put the recorded calls of a request back into it (`recorded`), and a mind given a
// recorded call for a call id uses it instead of calling: with `exclusive`, no call reaches a model at all.
//
// Call ids are deterministic, so the same run asks the same questions under the same ids:
//   <runId>:<iteration>:attacker:<k>               k-th scenario of the iteration
//   <runId>:<iteration>:defender:<scenarioId>:<k>  k-th candidate for a scenario
//   <runId>:<iteration>:evolver:0                  meta-prompt evolution after the iteration
//   <id>.repair                                    the one repair of call <id>
import { z } from 'zod';
import { eventSchemas, type AuroraEvent, type EventData } from '../../../events/catalogue.js';

export const LlmCall = eventSchemas.LlmCalled.data;
export type LlmCall = EventData<'LlmCalled'>;

export const RecordedCalls = z
  .object({
    calls: z.record(z.string(), LlmCall).describe('recorded calls by call id'),
    exclusive: z.boolean().describe('true: never call a model; a call that is not recorded fails'),
  })
  .strict();
export type RecordedCalls = z.infer<typeof RecordedCalls>;

export const attackerCallId = (runId: string, iteration: number, k: number) => `${runId}:${iteration}:attacker:${k}`;
export const defenderCallId = (runId: string, iteration: number, scenarioId: string, k: number) =>
  `${runId}:${iteration}:defender:${scenarioId}:${k}`;
export const evolverCallId = (runId: string, iteration: number) => `${runId}:${iteration}:evolver:0`;
export const repairCallId = (callId: string) => `${callId}.repair`;

/** The calls of a request: those whose id starts with this prefix. */
export const attackerCallPrefix = (runId: string, iteration: number) => `${runId}:${iteration}:attacker:`;
export const defenderCallPrefix = (runId: string, iteration: number, scenarioId: string) => `${runId}:${iteration}:defender:${scenarioId}:`;

/** Canonical order of recorded calls: by call id. */
export function byCallId(a: LlmCall, b: LlmCall): number {
  return a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0;
}

/** A run's recorded answers, as replay and resume serve them. */
export interface RecordedAnswers {
  readonly calls: ReadonlyMap<string, LlmCall>;
  /** Replay: no call reaches a model; resume: only calls not recorded do. */
  readonly exclusive: boolean;
}

/** The recorded calls of a run's events (LlmCalled), by call id. */
export function recordedAnswersOf(events: Iterable<AuroraEvent>, exclusive: boolean): RecordedAnswers {
  const calls = new Map<string, LlmCall>();
  for (const e of events) if (e.type === 'LlmCalled') calls.set(e.data.callId, e.data);
  return { calls, exclusive };
}

/** What goes into one request: the recorded calls under `prefix`, sorted by id; nothing when there are none and calling is allowed. */
export function recordedFor(answers: RecordedAnswers | null | undefined, prefix: string): RecordedCalls | undefined {
  if (!answers) return undefined;
  const ids = [...answers.calls.keys()].filter((id) => id.startsWith(prefix)).sort();
  if (ids.length === 0 && !answers.exclusive) return undefined;
  const calls: Record<string, LlmCall> = {};
  for (const id of ids) calls[id] = answers.calls.get(id)!;
  return { calls, exclusive: answers.exclusive };
}

/** The recorded call for an id, if any. */
export function recordedCall(recorded: RecordedCalls | undefined, callId: string): LlmCall | undefined {
  if (!recorded || !Object.prototype.hasOwnProperty.call(recorded.calls, callId)) return undefined;
  return recorded.calls[callId];
}
