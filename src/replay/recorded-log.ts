// A run's recorded events as replay needs them: every event of the run's stream in revision order, and
// for an event the store refuses to give back (its bytes no longer match its fingerprint, a revision is
// missing, it does not decode or validate with this code), a marker at its place with the store's reason.
// Reading goes on after such an event, so replay still knows where the run ends.
import { runStream, TamperedEventError, type EventStore, type RecordedEvent } from '../../events/store.js';
import { UnknownEventTypeError, UnknownSchemaVersionError } from '../../events/upcasters.js';
import { InvalidEventError } from '../../events/validate.js';

export interface UnreadableEvent {
  /** The revision (0-based index in the run's stream) it should sit at. */
  revision: number;
  /** Its global position, when the store named one. */
  position: number | null;
  /** TamperedEventError, UnknownEventTypeError, … */
  error: string;
  /** The store's message. */
  reason: string;
}

export type RecordedEntry = { kind: 'event'; event: RecordedEvent } | { kind: 'unreadable'; unreadable: UnreadableEvent };

const PAGE = 2_000;

/** An error a store raises about one stored event (altered, missing, unknown type or version, invalid). */
export function isUnreadableEventError(err: unknown): err is Error {
  return (
    err instanceof TamperedEventError ||
    err instanceof UnknownEventTypeError ||
    err instanceof UnknownSchemaVersionError ||
    err instanceof InvalidEventError
  );
}

/** The marker for such an error; null for anything else (a lost connection, …), which is not caught. */
function unreadableOf(err: unknown, revision: number): UnreadableEvent | null {
  if (isUnreadableEventError(err)) {
    const position = (err as { position?: number }).position;
    return { revision, position: position ?? null, error: err.name, reason: err.message };
  }
  return null;
}

/** Every entry of the run's stream, in revision order. */
export async function readRecordedRun(store: EventStore, runId: string): Promise<RecordedEntry[]> {
  const stream = runStream(runId);
  const out: RecordedEntry[] = [];
  for (;;) {
    let page: RecordedEvent[];
    try {
      page = await store.readStream(stream, { from: out.length, maxCount: PAGE });
    } catch (err) {
      if (unreadableOf(err, out.length) === null) throw err;
      // Somewhere in this page: read it one event at a time to find which.
      const end = out.length + PAGE;
      let done = false;
      while (out.length < end) {
        try {
          const one = await store.readStream(stream, { from: out.length, maxCount: 1 });
          if (one.length === 0) {
            done = true;
            break;
          }
          out.push({ kind: 'event', event: one[0]! });
        } catch (inner) {
          const bad = unreadableOf(inner, out.length);
          if (bad === null) throw inner;
          out.push({ kind: 'unreadable', unreadable: bad });
        }
      }
      if (done) return out;
      continue;
    }
    for (const event of page) out.push({ kind: 'event', event });
    if (page.length < PAGE) return out;
  }
}
