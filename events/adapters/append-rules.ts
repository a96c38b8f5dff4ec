// The rules of an append that every adapter applies the same way, inside its transaction:
// first idempotency (a repeated batch returns its original result whatever `expected` says, since a
// retry after a lost reply would otherwise fail its own revision check), then the expected revision.
import {
  EventIdConflictError,
  WrongExpectedRevisionError,
  type AppendResult,
  type ExpectedRevision,
} from '../store.js';
import type { PreparedEvent } from './prepare.js';

/** What a store knows of an event id it holds. */
export interface StoredIdentity {
  readonly eventId: string;
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
  readonly fingerprint: string;
}

/** Refuses an `expected` that is none of 'any', 'no_stream', 'stream_exists' or a revision >= 0. */
export function checkExpectedOption(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new TypeError(
    `expected must be 'any', 'no_stream', 'stream_exists' or a revision (an integer >= 0), not ${JSON.stringify(expected)}`,
  );
}

/** Throws WrongExpectedRevisionError unless the stream, now at `current` (-1: no stream), is as expected. */
export function assertExpected(stream: string, expected: ExpectedRevision, current: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current < 0) ||
    (expected === 'stream_exists' && current >= 0) ||
    expected === current;
  if (!ok) throw new WrongExpectedRevisionError(stream, expected, current < 0 ? 'no_stream' : current);
}

/**
 * Given the stored events that share an id with the batch, returns the original result of a fully
 * repeated batch, null when every id is new, and throws EventIdConflictError for anything in between:
 * a repeat must be the same events, in the same order, in the same stream.
 */
export function resolveRepeat(
  stream: string,
  batch: readonly PreparedEvent[],
  stored: ReadonlyMap<string, StoredIdentity>,
): AppendResult | null {
  if (stored.size === 0) return null;
  if (stored.size < batch.length) {
    const firstOld = batch.find((p) => stored.has(p.eventId))!;
    const firstNew = batch.find((p) => !stored.has(p.eventId))!;
    throw new EventIdConflictError(
      stream,
      firstOld.eventId,
      `is already stored but ${firstNew.eventId} is not: a batch must be all new or all already stored`,
    );
  }
  const first = stored.get(batch[0]!.eventId)!;
  batch.forEach((p, i) => {
    const s = stored.get(p.eventId)!;
    if (s.stream !== stream) throw new EventIdConflictError(stream, p.eventId, `is already stored in stream ${s.stream}`);
    if (s.fingerprint !== p.fingerprint) {
      throw new EventIdConflictError(stream, p.eventId, `is already stored (position ${s.position}) with other content`);
    }
    if (s.revision !== first.revision + i) {
      throw new EventIdConflictError(stream, p.eventId, 'is already stored, but the batch repeats stored events in another order');
    }
  });
  const last = stored.get(batch[batch.length - 1]!.eventId)!;
  return { nextRevision: last.revision, position: last.position };
}
