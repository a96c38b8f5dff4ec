// Exact replay: re-executes a recorded run from its RunStarted (seed, configuration, code version) in a
// fresh in-memory store, with its own roles (in-process by default), and compares the fingerprint of every
// event it produces with the recorded one, in order. The first difference stops it.
//
// What the replay takes from the log besides RunStarted — the run's outside inputs, never its decisions:
// - the model's answers (LlmCalled), served through `answers` (default: every recorded call, exclusively:
//   no call reaches a model);
// - where the run was interrupted (RunStopped with reason 'interrupted' or 'requested'): the replayed run is
//   stopped after the same iteration, through the same code path, and resumed as the recorded one was. A
//   run killed without a trace (SIGKILL) left no marker and needs none: its resume continues exactly as an
//   uninterrupted run would.
// - policies imported into the stopped run (PolicyImported, `aurora policy import --run`): where the replayed
//   run reaches one, it stops, the recorded events are written into its log as they are, and it resumes —
//   whether the recorded run had stopped cleanly (RunStopped) or been killed (no marker);
// - where the log ends: a run that never completed replays up to its last recorded event.
import type { RunConfigInput } from '../../actors/run-config.js';
import type { Requester } from '../../actors/requester.js';
import { runSelfPlay, type SelfPlayResult } from '../../actors/self-play.js';
import { recordedAnswersOf, type RecordedAnswers } from '../../actors/minds/llm/records.js';
import type { EventOf } from '../../events/catalogue.js';
import { openMemoryStore } from '../../events/adapters/memory.js';
import type { EventStore, RecordedEvent } from '../../events/store.js';
import { openInProcess } from '../wiring/open-transport.js';
import { ComparingStore, type Mismatch } from './comparing-store.js';
import { readRecordedRun, type RecordedEntry } from './recorded-log.js';

/**
 * Where recorded model answers come from. It is given the recorded run's readable events and returns
 * what the run's LLM minds are served instead of a model (actors/minds/llm/records.ts). The default
 * serves every LlmCalled event by call id, exclusively: a call that was not recorded fails rather than
 * reach a model, so a replay never depends on a model being there or answering the same.
 */
export type RecordedAnswerSource = (events: readonly RecordedEvent[]) => RecordedAnswers;

export const recordedAnswersFromLog: RecordedAnswerSource = (events) => recordedAnswersOf(events, true);

export interface ReplayOptions {
  /** The store that holds the recorded run. */
  store: EventStore;
  runId: string;
  /** Who answers the replayed run's requests (default: every role in this process, opened and closed here). */
  requester?: Requester;
  /** Recorded model answers (default: recordedAnswersFromLog). */
  answers?: RecordedAnswerSource;
  /** Version of the replaying code, for the report (the replay itself writes the recorded one). */
  codeVersion?: string;
  /** After each replayed iteration. */
  onProgress?: (progress: { iteration: number; iterations: number; matched: number; events: number }) => void;
  /** Wall clock for the time taken, information only (default performance.now). */
  clock?: () => number;
}

export interface ReplayResult {
  runId: string;
  /** identical: every recorded event was produced again, bit for bit; mismatch: see `mismatch`; failed: see `failure`. */
  status: 'identical' | 'mismatch' | 'failed';
  /** Events recorded in the run, and how many the replay produced identically before stopping. */
  events: number;
  matched: number;
  /** Of `matched`, those equal only after the store upcast them (recorded by older code). */
  matchedAfterUpcast: number;
  /** The recorded run has no RunCompleted: replayed up to its last event. */
  incomplete: boolean;
  /** How often the replay stopped and resumed the run, as the recorded run was (RunStopped, then a resume). */
  resumes: number;
  /** Wall time of the replay, and the recorded run's span (first to last recordedAt), in seconds. */
  seconds: number;
  recordedSeconds: number | null;
  codeVersion: { recorded: string | null; replaying: string | null };
  mismatch: Mismatch | null;
  /** Why the replay could not run to a verdict (its roles failed, the configuration no longer parses, …). */
  failure: string | null;
}

/** A run id the store does not hold: bad input, not a failed replay. */
export class ReplayInputError extends Error {
  override name = 'ReplayInputError';
}

interface StopPoint {
  /** The last iteration completed before it. */
  iteration: number;
  reason: EventOf<'RunStopped'>['data']['reason'];
}

/** The run's interruptions, in order: the points where the replay stops and resumes as the recorded run did. */
function stopPoints(events: readonly RecordedEvent[]): StopPoint[] {
  return events.filter((e): e is RecordedEvent & EventOf<'RunStopped'> => e.type === 'RunStopped').map((e) => ({ iteration: e.data.iteration, reason: e.data.reason }));
}

function spanSeconds(events: readonly RecordedEvent[]): number | null {
  if (events.length === 0) return null;
  const first = Date.parse(events[0]!.recordedAt);
  const last = Date.parse(events[events.length - 1]!.recordedAt);
  return Number.isFinite(first) && Number.isFinite(last) ? (last - first) / 1000 : null;
}

export async function replayRun(options: ReplayOptions): Promise<ReplayResult> {
  const clock = options.clock ?? (() => performance.now());
  const began = clock();
  const recorded: RecordedEntry[] = await readRecordedRun(options.store, options.runId);
  if (recorded.length === 0) throw new ReplayInputError(`no run '${options.runId}' in this store`);
  const readable = recorded.flatMap((e) => (e.kind === 'event' ? [e.event] : []));
  const first = recorded[0]!;
  const started = first.kind === 'event' && first.event.type === 'RunStarted' ? (first.event as RecordedEvent & EventOf<'RunStarted'>) : null;

  const inner = openMemoryStore();
  const comparing = new ComparingStore(inner, recorded);
  const result = (extra: Partial<ReplayResult>): ReplayResult => ({
    runId: options.runId,
    status: 'identical',
    events: recorded.length,
    matched: comparing.matched,
    matchedAfterUpcast: comparing.matchedAfterUpcast,
    incomplete: !readable.some((e) => e.type === 'RunCompleted'),
    resumes: 0,
    seconds: (clock() - began) / 1000,
    recordedSeconds: spanSeconds(readable),
    codeVersion: { recorded: started?.data.codeVersion ?? null, replaying: options.codeVersion ?? null },
    mismatch: null,
    failure: null,
    ...extra,
  });

  if (started === null) {
    if (first.kind === 'unreadable') {
      comparing.finish();
      return result({ status: 'mismatch', mismatch: comparing.mismatch });
    }
    throw new ReplayInputError(`run '${options.runId}' does not begin with RunStarted (it begins with ${first.event.type})`);
  }

  const ownRoles = options.requester === undefined ? await openInProcess() : null;
  const requester = options.requester ?? ownRoles!;
  const answers = (options.answers ?? recordedAnswersFromLog)(readable);
  const stops = stopPoints(readable);
  const config = started.data.config as RunConfigInput;
  let resumes = 0;
  try {
    let resume = false;
    let lastIteration = 0;
    let afterBudgetStop = false;
    for (let stopIndex = 0; ; ) {
      const next = stops[stopIndex];
      // Interruptions came from outside and are reproduced; a budget stop is the run's own decision.
      const interruptAt = next !== undefined && next.reason !== 'budget' ? next.iteration : null;
      const abort = new AbortController();
      if (interruptAt !== null && interruptAt <= lastIteration) abort.abort();
      let outcome: SelfPlayResult;
      try {
        outcome = await runSelfPlay({
          store: comparing,
          requester,
          runId: options.runId,
          seed: started.data.seed,
          config,
          codeVersion: started.data.codeVersion,
          resume,
          signal: abort.signal,
          llm: { recorded: answers, ...(afterBudgetStop ? { budget: { tokens: null, cost: null } } : {}) },
          onProgress: (p) => {
            lastIteration = p.iteration;
            options.onProgress?.({ iteration: p.iteration, iterations: p.iterations, matched: comparing.matched, events: recorded.length });
            if ((interruptAt !== null && p.iteration >= interruptAt) || comparing.matched >= recorded.length) abort.abort();
          },
        });
      } catch (err) {
        if (comparing.mismatch !== null || comparing.reachedEnd) break;
        if (!comparing.awaitsInput) throw err;
        // The recorded run stopped here without a trace and was given a policy: take it and resume.
        await comparing.takeRecordedInputs();
        resumes += 1;
        resume = true;
        continue;
      }
      if (outcome.status === 'completed') {
        comparing.finish();
        break;
      }
      // Stopped: by the abort (an interruption, or the end of the log) or by its budget.
      if (comparing.mismatch !== null || comparing.reachedEnd || comparing.matched >= recorded.length) break;
      if (next === undefined) {
        comparing.finish(); // the replay stopped where the recorded run did not
        break;
      }
      afterBudgetStop = next.reason === 'budget';
      await comparing.takeRecordedInputs();
      resumes += 1;
      stopIndex += 1;
      resume = true;
    }
  } catch (err) {
    return result({ status: 'failed', resumes, failure: (err as Error).message });
  } finally {
    await ownRoles?.close();
    await inner.close();
  }
  if (comparing.mismatch !== null) return result({ status: 'mismatch', resumes, mismatch: comparing.mismatch });
  return result({ status: 'identical', resumes });
}
