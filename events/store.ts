// The EventStore port, shaped like KurrentDB's: streams with optimistic concurrency, a global order,
// idempotent appends by event id, and subscriptions that catch up and then stay live.
import type { AuroraEvent } from './catalogue.js';

/** What the writer expects the stream to look like: a revision is the 0-based index of its last event. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** An event as stored: the event itself plus where and when it was stored. */
export type RecordedEvent = AuroraEvent & {
  readonly stream: string;
  /** 0-based index within its stream. */
  readonly revision: number;
  /** 1-based, gap-free position in the store's global order. */
  readonly position: number;
  /** Wall time of the append (ISO 8601): information only, outside the fingerprint. */
  readonly recordedAt: string;
  /** SHA-256 (hex) of the event's canonical bytes. */
  readonly fingerprint: string;
};

export interface AppendResult {
  /** Revision of the last event of the stream after the append. */
  readonly nextRevision: number;
  /** Global position of the last appended (or, for a repeated append, originally stored) event. */
  readonly position: number;
}

export interface ReadStreamOptions {
  /** First revision to read (default 0). */
  from?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events with position >= fromPosition (default 1). */
  fromPosition?: number;
  maxCount?: number;
}

export interface SubscriptionFilter {
  /** Only streams starting with this prefix (e.g. `run-`). */
  streamPrefix?: string;
  /** Only these event types. */
  types?: readonly string[];
}

export interface SubscribeOptions {
  fromPosition?: number;
  filter?: SubscriptionFilter;
}

/** Catches up from `fromPosition`, then delivers each new committed event in global order. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  appendToStream(
    stream: string,
    events: readonly AuroraEvent[],
    options?: { expected?: ExpectedRevision },
  ): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Optional: readAll page after page from `fromPosition` until a page comes back empty, each page checked
   * as readAll checks it, for a store that reads faster than `readAllInPages` can (SQLite reads ahead on a
   * worker thread). Stop early by leaving the loop.
   */
  readAllPages?(fromPosition: number, pageSize: number): AsyncIterable<RecordedEvent[]>;
  subscribe(options?: SubscribeOptions): Subscription;
  /** Highest global position stored (0 when empty). */
  headPosition(): Promise<number>;
  close(): Promise<void>;
}

/** A wrong expected revision: someone else wrote the stream first. */
/** readAll page after page from `fromPosition` until a page comes back empty. */
export async function* readAllInPages(store: Pick<EventStore, 'readAll'>, fromPosition: number, pageSize: number): AsyncGenerator<RecordedEvent[]> {
  for (let next = fromPosition; ; ) {
    const page = await store.readAll({ fromPosition: next, maxCount: pageSize });
    if (page.length === 0) return;
    yield page;
    next = page[page.length - 1]!.position + 1;
    // A synchronous store (SQLite) would otherwise hold the event loop for the whole of a long read.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, found ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * An append whose event ids clash with stored events in a way a retry never would: a batch mixing stored
 * and new ids, an id stored in another stream, at other revisions, or with other content, or one id twice
 * in a batch. Nothing of the batch is stored. (Repeating a whole stored batch is not an error: it is a
 * no-op that returns the original result.)
 */
export class EventIdConflictError extends Error {
  constructor(
    readonly stream: string,
    readonly eventId: string,
    readonly detail: string,
  ) {
    super(`stream ${stream}: event id ${eventId}: ${detail}`);
    this.name = 'EventIdConflictError';
  }
}

/** Stored bytes that no longer match their fingerprint: the store was altered outside AURORA. */
export class TamperedEventError extends Error {
  constructor(
    readonly position: number,
    readonly detail: string,
  ) {
    super(`event at position ${position} was altered: ${detail}`);
    this.name = 'TamperedEventError';
  }
}

/** The stream that holds one run. */
export function runStream(runId: string): string {
  return `run-${runId}`;
}
