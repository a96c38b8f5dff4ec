// The in-memory store, for unit tests. It keeps the same canonical bytes and fingerprints as the durable
// adapters, so reads return fresh objects and tamper checks run as they do on disk. Several store
// instances can share one MemoryLog (a "reopen", or two writers), and `memory:<name>` URLs share a
// process-wide log by name.
import type { AuroraEvent } from '../catalogue.js';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../store.js';
import { assertExpected, checkExpectedOption, resolveRepeat, type StoredIdentity } from './append-rules.js';
import { Notifier } from './change-signal.js';
import type { StoreOptions } from './options.js';
import { fromPositionOf, fromRevisionOf, maxCountOf } from './paging.js';
import { checkStreamName, prepareBatch } from './prepare.js';
import { Materializer, type StoredRow } from './stored-row.js';
import { StoreSubscription } from './subscription.js';

/** The storage behind memory stores: rows in position order (rows[i].position === i + 1). */
export class MemoryLog {
  readonly rows: StoredRow[] = [];
  readonly byId = new Map<string, StoredRow>();
  readonly streams = new Map<string, StoredRow[]>();
  readonly notifier = new Notifier();
}

const named = new Map<string, MemoryLog>();

/** The process-wide log of that name (created empty on first use). */
export function namedMemoryLog(name: string): MemoryLog {
  let log = named.get(name);
  if (!log) named.set(name, (log = new MemoryLog()));
  return log;
}

export interface MemoryStoreOptions extends StoreOptions {
  /** The log to use (default: a new, empty one). */
  log?: MemoryLog;
}

export class MemoryEventStore implements EventStore {
  readonly log: MemoryLog;
  private readonly materializer: Materializer;
  private readonly subscriptions = new Set<StoreSubscription<StoredRow>>();
  private readonly pageSize: number;
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.log = options.log ?? new MemoryLog();
    this.materializer = new Materializer(options);
    this.pageSize = options.subscriptionPageSize ?? 512;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }

  async appendToStream(
    stream: string,
    events: readonly AuroraEvent[],
    options: { expected?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    this.checkOpen();
    const expected = options.expected ?? 'any';
    checkExpectedOption(expected);
    const batch = prepareBatch(stream, events);
    const log = this.log;
    const stored = new Map<string, StoredIdentity>();
    for (const p of batch) {
      const row = log.byId.get(p.eventId);
      if (row) stored.set(p.eventId, row);
    }
    const repeat = resolveRepeat(stream, batch, stored);
    if (repeat) return repeat;
    const streamRows = log.streams.get(stream) ?? [];
    const current = streamRows.length - 1;
    assertExpected(stream, expected, current);
    if (batch.length === 0) return { nextRevision: current, position: streamRows[current]?.position ?? 0 };
    const recordedAt = new Date().toISOString();
    const rows = batch.map(
      (p, i): StoredRow => ({
        position: log.rows.length + 1 + i,
        stream,
        revision: current + 1 + i,
        eventId: p.eventId,
        type: p.type,
        bytes: p.bytes,
        fingerprint: p.fingerprint,
        recordedAt,
      }),
    );
    // Everything above may throw; from here on nothing does, so the batch lands whole or not at all.
    for (const row of rows) {
      log.rows.push(row);
      log.byId.set(row.eventId, row);
      streamRows.push(row);
    }
    log.streams.set(stream, streamRows);
    log.notifier.bump();
    const last = rows[rows.length - 1]!;
    return { nextRevision: last.revision, position: last.position };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.checkOpen();
    checkStreamName(stream);
    const from = fromRevisionOf(options.from);
    const rows = this.log.streams.get(stream) ?? [];
    return rows.slice(from, limitEnd(from, options.maxCount)).map((row) => this.materializer.toRecorded(row));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.checkOpen();
    const from = fromPositionOf(options.fromPosition);
    return this.readRowsSync(from, options.maxCount).map((row) => this.materializer.toRecorded(row));
  }

  private readRowsSync(from: number, maxCount: number | undefined): StoredRow[] {
    return this.log.rows.slice(from - 1, limitEnd(from - 1, maxCount));
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    this.checkOpen();
    const subscription = new StoreSubscription<StoredRow>(
      {
        readRows: async (from, max) => this.readRowsSync(from, max),
        toRecorded: (row) => this.materializer.toRecorded(row),
        signal: this.log.notifier,
      },
      options,
      this.pageSize,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    this.checkOpen();
    return this.log.rows.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.closed = true;
  }
}

function limitEnd(start: number, maxCount: number | undefined): number | undefined {
  const max = maxCountOf(maxCount);
  return max === null ? undefined : start + max;
}

export function openMemoryStore(options: MemoryStoreOptions = {}): MemoryEventStore {
  return new MemoryEventStore(options);
}
