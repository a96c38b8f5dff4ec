// The KurrentDB adapter (@kurrent/kurrentdb-client). KurrentDB already has streams, revisions, optimistic
// concurrency and a global log ($all); this adapter maps AURORA's port onto it:
//
// - An event is a KurrentDB JSON event: type = our type, data = our data as JSON, metadata = our
//   metadata fields plus `fingerprint` (and `$correlationId`/`$causationId` for KurrentDB's own
//   projections). The KurrentDB event id is a UUID (version 8) derived from SHA-256 of our event id, so a
//   retried append carries the same ids. JSON round-trips every value the catalogue allows exactly, so
//   a read re-encodes {type, data, metadata} canonically and checks the hash against `fingerprint`.
// - Positions: KurrentDB's commit positions are byte offsets into its log, not gap-free. Our position is
//   the 1-based ordinal of the event in $all without system events (types starting with `$`). Each
//   process keeps an index of the commit/prepare position of every ordinal (16 bytes an event) and of
//   every event id (for idempotency across streams), extended incrementally by reading $all forward.
//   The first read from the middle, headPosition or append of a fresh process therefore scans $all once.
//   This numbering assumes the database holds only AURORA events and that no AURORA stream is deleted
//   or scavenged (either would renumber later events).
// - Appends check idempotency and the expected revision against that index, then append with the exact
//   revision they saw; when KurrentDB reports another writer got in first, they re-scan and decide again.
// - Live subscriptions are woken by a KurrentDB subscription to $all from its end.
import { createHash } from 'node:crypto';
import {
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type Filter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Position,
} from '@kurrent/kurrentdb-client';
import type { AuroraEvent, EventMetadata } from '../catalogue.js';
import { eventBytes } from '../fingerprint.js';
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
import { TamperedEventError } from '../store.js';
import { assertExpected, checkExpectedOption, resolveRepeat, type StoredIdentity } from './append-rules.js';
import { Notifier, type ChangeSignal } from './change-signal.js';
import type { StoreOptions } from './options.js';
import { fromPositionOf, fromRevisionOf, maxCountOf } from './paging.js';
import { checkStreamName, prepareBatch, type PreparedEvent } from './prepare.js';
import { Materializer, checkContiguous, checkStreamContiguous, type StoredRow } from './stored-row.js';
import { StoreSubscription } from './subscription.js';

export interface KurrentStoreOptions extends StoreOptions {
  /**
   * Keep this store's streams apart in a shared database: stream `s` is stored as `<namespace>:s`, and
   * only streams with that prefix count in this store's $all and positions. Also `?namespace=` in the URL.
   */
  namespace?: string;
}

/** KurrentDB metadata keys that are not ours and are left out of the fingerprint. */
const FOREIGN_METADATA = new Set(['fingerprint', '$correlationId', '$causationId']);
const SCAN_PAGE = 4096;
const APPEND_ATTEMPTS = 8;

/** The UUID KurrentDB stores for one of our event ids: SHA-256 based, RFC 9562 version 8. */
export function kurrentEventId(eventId: string): string {
  const h = createHash('sha256').update(`aurora-event:${eventId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The client's connection string and AURORA's own parameters from a store URL. `esdb://` is KurrentDB's
 * former scheme; the client warns about it, so it is rewritten.
 */
export function parseKurrentUrl(url: string): { connectionString: string; namespace: string | null } {
  let connectionString = url.replace(/^esdb(\+discover)?:\/\//, (_m, discover: string | undefined) => `kurrentdb${discover ?? ''}://`);
  let namespace: string | null = null;
  connectionString = connectionString.replace(/([?&])namespace=([^&]*)&?/, (_m, lead: string, value: string) => {
    namespace = decodeURIComponent(value);
    return lead;
  });
  connectionString = connectionString.replace(/[?&]$/, '');
  if (namespace !== null && !/^[A-Za-z0-9_.-]+$/.test(namespace)) {
    throw new Error(`namespace '${namespace as string}': use letters, digits, _, . and -`);
  }
  return { connectionString, namespace };
}

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** A KurrentDB record as our stored row: the canonical bytes are re-derived from its JSON. */
function toRow(record: NonNullable<AllStreamResolvedEvent['event']> | KurrentRecord, ordinal: number, prefix: string): StoredRow {
  const raw = (record.metadata ?? {}) as Record<string, unknown>;
  const metadata: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) if (!FOREIGN_METADATA.has(key)) metadata[key] = raw[key];
  const fingerprint = typeof raw.fingerprint === 'string' ? raw.fingerprint : '';
  if (!record.isJson) throw new TamperedEventError(ordinal, `KurrentDB event ${record.id} is not a JSON event`);
  let bytes: Uint8Array;
  try {
    bytes = eventBytes({ type: record.type, data: record.data, metadata });
  } catch (err) {
    throw new TamperedEventError(ordinal, `KurrentDB event ${record.id} holds data AURORA cannot encode: ${(err as Error).message}`);
  }
  return {
    position: ordinal,
    stream: record.streamId.startsWith(prefix) ? record.streamId.slice(prefix.length) : record.streamId,
    revision: Number(record.revision),
    eventId: typeof metadata.eventId === 'string' ? metadata.eventId : '',
    type: record.type,
    bytes,
    fingerprint,
    recordedAt: record.created.toISOString(),
  };
}

interface KurrentRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  isJson: boolean;
  created: Date;
  position?: Position;
}

/** Ordinal ↔ KurrentDB position, event ids and stream heads, for the prefix of $all scanned so far. */
class LogIndex {
  private commits = new Float64Array(1024);
  private prepares = new Float64Array(1024);
  count = 0;
  readonly ids = new Map<string, StoredIdentity>();
  readonly streamHeads = new Map<string, { revision: number; position: number }>();

  positionOf(ordinal: number): Position {
    return { commit: BigInt(this.commits[ordinal - 1]!), prepare: BigInt(this.prepares[ordinal - 1]!) };
  }

  /** The ordinal of an indexed KurrentDB position, or 0. */
  ordinalOf(p: Position): number {
    let lo = 1;
    let hi = this.count;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = comparePositions(this.positionOf(mid), p);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  add(record: KurrentRecord, row: StoredRow): void {
    if (this.count === this.commits.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.commits = grow(this.commits);
      this.prepares = grow(this.prepares);
    }
    this.commits[this.count] = Number(record.position!.commit);
    this.prepares[this.count] = Number(record.position!.prepare);
    this.count++;
    this.ids.set(row.eventId, {
      eventId: row.eventId,
      stream: row.stream,
      revision: row.revision,
      position: row.position,
      fingerprint: row.fingerprint,
    });
    this.streamHeads.set(row.stream, { revision: row.revision, position: row.position });
  }
}

/** Wakes subscribers when KurrentDB delivers a new non-system event to a subscription on $all. */
class AllSignal implements ChangeSignal {
  private readonly notifier = new Notifier();
  private subscription: AllStreamSubscription | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly client: KurrentDBClient,
    private readonly filter: Filter,
  ) {}

  get generation(): number {
    return this.notifier.generation;
  }

  ready(): Promise<void> {
    this.starting ??= new Promise<void>((resolve, reject) => {
      const sub = this.client.subscribeToAll({ fromPosition: END, filter: this.filter });
      this.subscription = sub;
      sub.on('confirmation', () => resolve());
      sub.on('caughtUp', () => resolve());
      sub.on('data', () => this.notifier.bump());
      sub.on('error', (err) => {
        this.starting = null;
        this.subscription = null;
        reject(err);
        this.notifier.bump();
      });
    });
    return this.starting;
  }

  waitBeyond(seen: number, abort: AbortSignal): Promise<void> {
    return this.notifier.waitBeyond(seen, abort);
  }

  async stop(): Promise<void> {
    const sub = this.subscription;
    this.subscription = null;
    this.starting = null;
    await sub?.unsubscribe().catch(() => undefined);
  }
}

export class KurrentEventStore implements EventStore {
  private readonly materializer: Materializer;
  private readonly subscriptions = new Set<StoreSubscription<StoredRow>>();
  private readonly pageSize: number;
  private readonly index = new LogIndex();
  private readonly signal: AllSignal;
  private scanning: Promise<void> = Promise.resolve();
  private closed = false;
  /** Prefix of our streams in KurrentDB ('' without a namespace). */
  private readonly prefix: string;
  private readonly filter: Filter;

  constructor(
    readonly client: KurrentDBClient,
    options: KurrentStoreOptions = {},
  ) {
    this.materializer = new Materializer(options);
    this.pageSize = options.subscriptionPageSize ?? 512;
    this.prefix = options.namespace ? `${options.namespace}:` : '';
    this.filter = this.prefix ? streamNameFilter({ prefixes: [this.prefix] }) : excludeSystemEvents();
    this.signal = new AllSignal(client, this.filter);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }

  /**
   * Reads up to `max` events of $all after ordinal `after`, numbering them after + 1, …, and extends the
   * index with every event it reads past its end. Stops early at the end of $all.
   */
  private async scan(after: number, max: number): Promise<StoredRow[]> {
    if (max <= 0) return [];
    if (after > this.index.count) await this.extend(after - this.index.count);
    if (after > this.index.count) return [];
    const start = after === 0 ? START : this.index.positionOf(after);
    const rows: StoredRow[] = [];
    // Reading from the position of ordinal `after` and skipping it works whether KurrentDB treats
    // fromPosition as inclusive or exclusive.
    for await (const resolved of this.client.readAll({
      fromPosition: start,
      maxCount: max + 1,
      direction: FORWARDS,
      filter: this.filter,
    })) {
      const record = resolved.event as KurrentRecord | undefined;
      if (!record?.position) continue;
      if (start !== START && comparePositions(record.position, start) <= 0) continue;
      const ordinal = after + rows.length + 1;
      const row = toRow(record, ordinal, this.prefix);
      if (ordinal === this.index.count + 1) this.index.add(record, row);
      rows.push(row);
      if (rows.length === max) break;
    }
    return rows;
  }

  /** Extends the index by up to `wanted` events (Infinity: to the end of $all); one scan at a time. */
  private extend(wanted: number): Promise<void> {
    const run = this.scanning.then(async () => {
      let remaining = wanted;
      while (remaining > 0) {
        const page = Math.min(SCAN_PAGE, remaining);
        const rows = await this.scanFromEnd(page);
        remaining -= rows;
        if (rows < page) break;
      }
    });
    this.scanning = run.catch(() => undefined);
    return run;
  }

  private async scanFromEnd(max: number): Promise<number> {
    const after = this.index.count;
    const start = after === 0 ? START : this.index.positionOf(after);
    let read = 0;
    for await (const resolved of this.client.readAll({
      fromPosition: start,
      maxCount: max + 1,
      direction: FORWARDS,
      filter: this.filter,
    })) {
      const record = resolved.event as KurrentRecord | undefined;
      if (!record?.position) continue;
      if (start !== START && comparePositions(record.position, start) <= 0) continue;
      this.index.add(record, toRow(record, this.index.count + 1, this.prefix));
      if (++read === max) break;
    }
    return read;
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
    for (let attempt = 1; ; attempt++) {
      await this.extend(Infinity);
      const stored = new Map<string, StoredIdentity>();
      for (const p of batch) {
        const found = this.index.ids.get(p.eventId);
        if (found) stored.set(p.eventId, found);
      }
      const repeat = resolveRepeat(stream, batch, stored);
      if (repeat) return repeat;
      const head = this.index.streamHeads.get(stream);
      const current = head ? head.revision : -1;
      assertExpected(stream, expected, current);
      if (batch.length === 0) return { nextRevision: current, position: head?.position ?? 0 };
      try {
        await this.client.appendToStream(this.prefix + stream, batch.map(toKurrentEvent), {
          streamState: current < 0 ? NO_STREAM : BigInt(current),
        });
      } catch (err) {
        // Someone appended to the stream after our scan: look again (it may even be this very batch).
        if (err instanceof WrongExpectedVersionError && attempt < APPEND_ATTEMPTS) continue;
        throw err;
      }
      await this.extend(Infinity);
      const last = this.index.ids.get(batch[batch.length - 1]!.eventId);
      if (!last) throw new Error(`stream ${stream}: the appended events are not in $all`);
      return { nextRevision: last.revision, position: last.position };
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.checkOpen();
    checkStreamName(stream);
    const from = fromRevisionOf(options.from);
    const max = maxCountOf(options.maxCount);
    if (max === 0) return [];
    const records: KurrentRecord[] = [];
    try {
      for await (const resolved of this.client.readStream(this.prefix + stream, {
        fromRevision: BigInt(from),
        direction: FORWARDS,
        ...(max === null ? {} : { maxCount: max }),
      })) {
        if (resolved.event) records.push(resolved.event as KurrentRecord);
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return [];
      throw err;
    }
    if (records.length > 0) await this.extend(Infinity);
    const rows = records.map((record) => {
      const ordinal = record.position ? this.index.ordinalOf(record.position) : 0;
      if (ordinal === 0) throw new Error(`stream ${stream}: event ${record.id} has no position in $all (KurrentDB 22.6 or later is needed)`);
      return toRow(record, ordinal, this.prefix);
    });
    checkStreamContiguous(stream, rows, from);
    return rows.map((row) => this.materializer.toRecorded(row));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.checkOpen();
    const from = fromPositionOf(options.fromPosition);
    const rows = await this.scan(from - 1, maxCountOf(options.maxCount) ?? Number.MAX_SAFE_INTEGER);
    checkContiguous(rows, from);
    return rows.map((row) => this.materializer.toRecorded(row));
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    this.checkOpen();
    const subscription = new StoreSubscription<StoredRow>(
      {
        readRows: (from, max) => this.scan(from - 1, max),
        toRecorded: (row) => this.materializer.toRecorded(row),
        signal: this.signal,
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
    await this.extend(Infinity);
    return this.index.count;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.signal.stop();
    await this.client.dispose();
  }
}

function toKurrentEvent(p: PreparedEvent) {
  const m: EventMetadata = p.event.metadata;
  return jsonEvent({
    id: kurrentEventId(p.eventId),
    type: p.type,
    data: p.event.data as Record<string, unknown>,
    metadata: {
      ...m,
      fingerprint: p.fingerprint,
      ...(m.correlationId === null ? {} : { $correlationId: m.correlationId }),
      ...(m.causationId === null ? {} : { $causationId: m.causationId }),
    },
  });
}

/** Connects to KurrentDB (`kurrentdb://host:2113?tls=false`, or the older `esdb://`). */
export async function openKurrentStore(url: string, options: KurrentStoreOptions = {}): Promise<KurrentEventStore> {
  const { connectionString, namespace } = parseKurrentUrl(url);
  const client = KurrentDBClient.connectionString(connectionString);
  return new KurrentEventStore(client, { ...(namespace === null ? {} : { namespace }), ...options });
}
