// The store a team shares: PostgreSQL through `pg`, any number of writer processes.
//
// Gap-free global order with concurrent writers: a sequence would hand out positions in the order
// transactions start, and they may commit in another order, so a reader could see position 8 before 7
// and skip 7 forever. Instead every append locks the single row of `aurora_head` first (SELECT … FOR
// UPDATE), checks idempotency and the expected revision, inserts at head + 1 …, moves the head and
// commits. Appends are thereby serialised, positions are assigned in commit order, and when a reader
// sees position p every position below p is already visible. A rolled-back append gives its positions
// back with the head row.
//
// Live subscriptions without polling: the append transaction also runs pg_notify on the schema's
// channel, which PostgreSQL delivers on commit to a dedicated LISTEN connection in every process.
//
// URL: postgres://user@host:port/db?schema=name (default schema `public`; created when missing).
import pg from 'pg';
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
import { Notifier, type ChangeSignal } from './change-signal.js';
import type { StoreOptions } from './options.js';
import { fromPositionOf, fromRevisionOf, maxCountOf } from './paging.js';
import { checkStreamName, prepareBatch, type PreparedEvent } from './prepare.js';
import { Materializer, checkContiguous, checkStreamContiguous, type StoredRow } from './stored-row.js';
import { StoreSubscription } from './subscription.js';

export interface PostgresStoreOptions extends StoreOptions {
  /** Connections in the pool (default 4); subscriptions take one more for LISTEN. */
  poolSize?: number;
}

/** The connection string without AURORA's own parameters, and the schema it names. */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema)) {
    throw new Error(`schema '${schema}': use lower-case letters, digits and _ (at most 48), starting with a letter or _`);
  }
  return { connectionString: parsed.toString(), schema };
}

const COLUMNS = 'position, stream, revision, event_id, type, bytes, fingerprint, recorded_at';
type RawRow = [string, string, string, string, string, Buffer, string, Date];

function toRow(r: RawRow): StoredRow {
  return {
    position: Number(r[0]),
    stream: r[1],
    revision: Number(r[2]),
    eventId: r[3],
    type: r[4],
    bytes: r[5],
    fingerprint: r[6],
    recordedAt: r[7].toISOString(),
  };
}

/** Wakes subscribers on NOTIFY; one LISTEN connection per store, opened by the first subscription. */
class ListenSignal implements ChangeSignal {
  private readonly notifier = new Notifier();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
  ) {}

  get generation(): number {
    return this.notifier.generation;
  }

  bump(): void {
    this.notifier.bump();
  }

  ready(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('the event store is closed'));
    this.connecting ??= this.connect().catch((err: unknown) => {
      this.connecting = null;
      throw err;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', () => this.notifier.bump());
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (err) {
      this.client = null;
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  /**
   * The LISTEN connection dropped: reconnect (retrying with a growing delay), then wake everyone, since
   * commits made while it was down sent no notification we heard.
   */
  private lost(client: pg.Client, delay = 250): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    this.connecting = null;
    this.reconnect(delay);
  }

  private reconnect(delay: number): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.ready().then(
        () => this.notifier.bump(),
        () => this.reconnect(Math.min(delay * 2, 5000)),
      );
    }, delay);
  }

  waitBeyond(seen: number, abort: AbortSignal): Promise<void> {
    return this.notifier.waitBeyond(seen, abort);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const pending = this.connecting;
    this.connecting = null;
    await pending?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}

export class PostgresEventStore implements EventStore {
  private readonly materializer: Materializer;
  private readonly subscriptions = new Set<StoreSubscription<StoredRow>>();
  private readonly pageSize: number;
  private readonly signal: ListenSignal;
  private readonly events: string;
  private readonly head: string;
  private readonly channel: string;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    connectionString: string,
    readonly schema: string,
    options: PostgresStoreOptions = {},
  ) {
    this.materializer = new Materializer(options);
    this.pageSize = options.subscriptionPageSize ?? 512;
    this.events = `"${schema}".aurora_events`;
    this.head = `"${schema}".aurora_head`;
    this.channel = `aurora_events_${schema}`;
    this.signal = new ListenSignal(connectionString, this.channel);
  }

  /** Creates the schema and tables when missing (serialised, so two processes may start at once). */
  async init(): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`aurora:init:${this.schema}`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${this.events} (
          position       bigint      PRIMARY KEY,      -- 1-based, gap-free, in commit order
          stream         text        NOT NULL,
          revision       bigint      NOT NULL,         -- 0-based index within the stream
          event_id       text        NOT NULL UNIQUE,  -- idempotency key
          type           text        NOT NULL,
          schema_version integer     NOT NULL,
          bytes          bytea       NOT NULL,         -- canonical MessagePack of {type, data, metadata}
          fingerprint    text        NOT NULL,         -- SHA-256 hex of bytes
          recorded_at    timestamptz NOT NULL,         -- wall time of the append, information only
          UNIQUE (stream, revision)
        )`);
      await c.query(`
        CREATE TABLE IF NOT EXISTS ${this.head} (
          id       boolean PRIMARY KEY DEFAULT true CHECK (id),
          position bigint  NOT NULL
        )`);
      await c.query(
        `INSERT INTO ${this.head} (id, position)
         SELECT true, COALESCE((SELECT MAX(position) FROM ${this.events}), 0)
         ON CONFLICT (id) DO NOTHING`,
      );
    });
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
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
    return this.transaction((c) => this.appendInTransaction(c, stream, expected, batch));
  }

  private async appendInTransaction(
    c: pg.PoolClient,
    stream: string,
    expected: ExpectedRevision,
    batch: PreparedEvent[],
  ): Promise<AppendResult> {
    // The head row lock serialises appends: everything below happens as if no one else were writing.
    const head = Number((await c.query<{ position: string }>(`SELECT position FROM ${this.head} FOR UPDATE`)).rows[0]!.position);
    const stored = new Map<string, StoredIdentity>();
    if (batch.length > 0) {
      const found = await c.query<{ event_id: string; stream: string; revision: string; position: string; fingerprint: string }>(
        `SELECT event_id, stream, revision, position, fingerprint FROM ${this.events} WHERE event_id = ANY($1::text[])`,
        [batch.map((p) => p.eventId)],
      );
      for (const r of found.rows) {
        stored.set(r.event_id, {
          eventId: r.event_id,
          stream: r.stream,
          revision: Number(r.revision),
          position: Number(r.position),
          fingerprint: r.fingerprint,
        });
      }
    }
    const repeat = resolveRepeat(stream, batch, stored);
    if (repeat) return repeat;
    const last = (
      await c.query<{ revision: string; position: string }>(
        `SELECT revision, position FROM ${this.events} WHERE stream = $1 ORDER BY revision DESC LIMIT 1`,
        [stream],
      )
    ).rows[0];
    const current = last ? Number(last.revision) : -1;
    assertExpected(stream, expected, current);
    if (batch.length === 0) return { nextRevision: current, position: last ? Number(last.position) : 0 };
    await c.query(
      `INSERT INTO ${this.events} (position, stream, revision, event_id, type, schema_version, bytes, fingerprint, recorded_at)
       SELECT $1::bigint + o, $2, $3::bigint + o, e, t, v, b, f, now()
       FROM unnest($4::text[], $5::text[], $6::int[], $7::bytea[], $8::text[]) WITH ORDINALITY AS x(e, t, v, b, f, o)`,
      [
        head,
        stream,
        current,
        batch.map((p) => p.eventId),
        batch.map((p) => p.type),
        batch.map((p) => p.schemaVersion),
        batch.map((p) => Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength)),
        batch.map((p) => p.fingerprint),
      ],
    );
    const position = head + batch.length;
    await c.query(`UPDATE ${this.head} SET position = $1`, [position]);
    await c.query(`SELECT pg_notify($1, $2)`, [this.channel, String(position)]);
    return { nextRevision: current + batch.length, position };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.checkOpen();
    checkStreamName(stream);
    const from = fromRevisionOf(options.from);
    const result = await this.pool.query<RawRow>({
      text: `SELECT ${COLUMNS} FROM ${this.events} WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      values: [stream, from, maxCountOf(options.maxCount)],
      rowMode: 'array',
    });
    const rows = result.rows.map(toRow);
    checkStreamContiguous(stream, rows, from);
    return rows.map((row) => this.materializer.toRecorded(row));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.checkOpen();
    const from = fromPositionOf(options.fromPosition);
    const rows = await this.readRows(from, maxCountOf(options.maxCount));
    checkContiguous(rows, from);
    return rows.map((row) => this.materializer.toRecorded(row));
  }

  private async readRows(from: number, max: number | null): Promise<StoredRow[]> {
    const result = await this.pool.query<RawRow>({
      text: `SELECT ${COLUMNS} FROM ${this.events} WHERE position >= $1 ORDER BY position LIMIT $2`,
      values: [from, max],
      rowMode: 'array',
    });
    return result.rows.map(toRow);
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    this.checkOpen();
    const subscription = new StoreSubscription<StoredRow>(
      {
        readRows: (from, max) => this.readRows(from, max),
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
    const result = await this.pool.query<{ position: string }>(`SELECT position FROM ${this.head}`);
    return Number(result.rows[0]?.position ?? 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.signal.stop();
    await this.pool.end();
  }
}

/** Connects to PostgreSQL and creates AURORA's tables in the URL's schema when missing. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresEventStore> {
  const { connectionString, schema } = parsePostgresUrl(url);
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 4 });
  // An idle client's connection error must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const store = new PostgresEventStore(pool, connectionString, schema, options);
  try {
    await store.init();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return store;
}
