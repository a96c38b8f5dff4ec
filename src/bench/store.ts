// Event store benchmark: how fast AURORA appends and reads ~1 KB events, each figure printed beside a
// reference measured in the same run on the same machine: the same bytes written or read with the raw
// driver, without our validation, codec, hashing or checks. The ratio is what the store's safety costs.
// Goal: SQLite batched appends >= 50 000 events/s. PostgreSQL figures are for information.
// Where the append's time went (issue 3, 1 KB LlmCalled events, batches of 1 000, CPU per event against
// the raw inserts in the same process): zod's safeParse (~4.9 µs), canonical encoding (~3.9 µs), SHA-256
// and row building made it 3.1× the raw driver's CPU (18.3 µs against 5.9 µs, 47 600 events/s).
// Compiled schema checks (events/schema-check.ts), remembered key shapes and one buffer per batch in the
// codec, and inserting new events without a prior id lookup brought it to about 2× (docs/events.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { AuroraEvent, EventOf } from '../../events/catalogue.js';
import { encodeWithLibrary } from '../../events/codec.js';
import { eventBytes, fingerprintOfBytes } from '../../events/fingerprint.js';
import { prepareBatch } from '../../events/adapters/prepare.js';
import { openPostgresStore } from '../../events/adapters/postgres.js';
import { openSqliteStore } from '../../events/adapters/sqlite.js';
import type { EventStore } from '../../events/store.js';

const SYSTEM = 'You write resource-allocation policies as JSON documents. '.repeat(7);
const ANSWER = '{"name":"tight-fit","score":"-(free_cpu_after / cpu_capacity) + 0.1 * alignment","order":"sjf"}';

/** A realistic ~1 KB event: an LLM call with its prompt, answer and usage. */
function llmEvent(i: number): EventOf<'LlmCalled'> {
  return {
    type: 'LlmCalled',
    data: {
      callId: `call-${i}`,
      role: 'defender',
      model: 'qwen2.5-coder-7b-instruct',
      parameters: { temperature: 0.7, top_p: 0.95, max_tokens: 1024, seed: i },
      prompt: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: `Scenario ${i % 97}: 40 hosts, 1200 tasks, bursty arrivals. Improve policy p-${i % 13} (reward ${(i % 1000) / 1000}).` },
      ],
      answer: ANSWER,
      error: null,
      usage: { prompt: 600 + (i % 50), completion: 180 + (i % 20), total: 780 + (i % 70) },
      cost: 0.0012 + (i % 7) * 1e-5,
      latencyMs: 800 + (i % 300) + 0.5,
    },
    metadata: {
      runId: 'bench',
      iteration: Math.floor(i / 100),
      eventId: `bench-llm-${i}`,
      causationId: i > 0 ? `bench-llm-${i - 1}` : null,
      correlationId: `it-${Math.floor(i / 100)}`,
      schemaVersion: 1,
    },
  };
}

function events(count: number, offset = 0): AuroraEvent[] {
  return Array.from({ length: count }, (_, i) => llmEvent(offset + i));
}

function rate(count: number, ms: number): number {
  return (count / ms) * 1000;
}

function fmt(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')} events/s`;
}

/** Wall time, and this process's CPU time (less disturbed when other processes share the machine), in ms. */
interface Measure {
  wall: number;
  cpu: number;
}

function line(what: string, count: number, ours: Measure, reference: Measure, referenceWhat: string, extra = ''): void {
  const perEvent = (m: Measure) => `${((m.cpu * 1000) / count).toFixed(1)} µs CPU/event`;
  process.stdout.write(
    `  ${what}: ${fmt(rate(count, ours.wall))}, ${perEvent(ours)}  (reference, ${referenceWhat}: ` +
      `${fmt(rate(count, reference.wall))}, ${perEvent(reference)}; ratio ${(reference.wall / ours.wall).toFixed(2)})${extra}\n`,
  );
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function time(work: () => void): Measure {
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const start = performance.now();
  work();
  return { wall: performance.now() - start, cpu: cpuMsSince(cpu) };
}

async function timeAsync(work: () => Promise<void>): Promise<Measure> {
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  return { wall: performance.now() - start, cpu: cpuMsSince(cpu) };
}

async function appendAll(store: EventStore, all: AuroraEvent[], batch: number): Promise<void> {
  for (let i = 0; i < all.length; i += batch) await store.appendToStream('run-bench', all.slice(i, i + batch));
}

/** The raw reference: the same rows, bytes pre-encoded, straight into the same table with better-sqlite3. */
function rawSqliteWriter(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE aurora_events (
    position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL, schema_version INTEGER NOT NULL, bytes BLOB NOT NULL, fingerprint TEXT NOT NULL,
    recorded_at TEXT NOT NULL, UNIQUE (stream, revision)) STRICT`);
  const insert = db.prepare(`INSERT INTO aurora_events VALUES (?, 'run-bench', ?, ?, 'LlmCalled', 1, ?, ?, ?)`);
  let position = 0;
  const write = db.transaction((rows: { id: string; bytes: Buffer; fp: string }[]) => {
    const at = new Date().toISOString();
    for (const r of rows) {
      position++;
      insert.run(position, position - 1, r.id, r.bytes, r.fp, at);
    }
  });
  return { db, write };
}

function encoded(all: AuroraEvent[]) {
  return all.map((e) => {
    const bytes = eventBytes(e);
    return { id: e.metadata.eventId, bytes: Buffer.from(bytes), fp: fingerprintOfBytes(bytes) };
  });
}

/** Runs ours and the reference alternately `rounds` times and keeps the best of each: the machine may be shared. */
async function bestOf(
  rounds: number,
  ours: (round: number) => Promise<Measure>,
  reference: (round: number) => Measure | Promise<Measure>,
): Promise<{ ours: Measure; reference: Measure }> {
  const min = (a: Measure, b: Measure) => ({ wall: Math.min(a.wall, b.wall), cpu: Math.min(a.cpu, b.cpu) });
  let best = { ours: { wall: Infinity, cpu: Infinity }, reference: { wall: Infinity, cpu: Infinity } };
  for (let round = 0; round < rounds; round++) {
    best = { ours: min(best.ours, await ours(round)), reference: min(best.reference, await reference(round)) };
  }
  return best;
}

// AURORA_BENCH_QUICK=1 (see src/bench/main.ts): fewer events and one round.
const QUICK = process.env.AURORA_BENCH_QUICK === '1';
const ROUNDS = QUICK ? 1 : 3;

async function benchSqlite(dir: string): Promise<void> {
  const total = QUICK ? 10_000 : 50_000;
  const all = events(total);
  const rows = encoded(all);
  const size = rows.reduce((s, r) => s + r.bytes.length, 0) / rows.length;
  process.stdout.write(
    `SQLite (better-sqlite3, WAL, synchronous=FULL); events of ${Math.round(size)} bytes (LlmCalled); best of ${ROUNDS} alternating rounds\n`,
  );

  // Warm the code paths once, so the first measured round is not the JIT's.
  {
    const warm = openSqliteStore(join(dir, 'warm.db'));
    await appendAll(warm, all.slice(0, 5000), 500);
    await warm.close();
  }

  {
    // What an append does before SQLite, alone: the steadiest figure on a shared machine (no fsync).
    const batch = 1000;
    const ms = await bestOf(
      ROUNDS,
      async () =>
        time(() => {
          for (let i = 0; i < all.length; i += batch) prepareBatch('run-bench', all.slice(i, i + batch));
        }),
      () =>
        time(() => {
          for (const e of all) fingerprintOfBytes(encodeWithLibrary({ type: e.type, data: e.data, metadata: e.metadata }));
        }),
    );
    line(
      `prepare only: validate, canonical bytes, SHA-256 (${total.toLocaleString('en-US')} events)`,
      total,
      ms.ours,
      ms.reference,
      '@msgpack/msgpack sortKeys + SHA-256, no validation',
    );
  }

  for (const batch of [1000, 100]) {
    const ms = await bestOf(
      ROUNDS,
      async (round) => {
        const store = openSqliteStore(join(dir, `ours-${batch}-${round}.db`));
        const took = await timeAsync(() => appendAll(store, all, batch));
        await store.close();
        return took;
      },
      (round) => {
        const raw = rawSqliteWriter(join(dir, `raw-${batch}-${round}.db`));
        const took = time(() => {
          for (let i = 0; i < rows.length; i += batch) raw.write(rows.slice(i, i + batch));
        });
        raw.db.close();
        return took;
      },
    );
    const goal = rate(total, ms.ours.wall) >= 50_000 ? 'goal >= 50,000 events/s: met' : 'goal >= 50,000 events/s: NOT met';
    line(`append, batches of ${batch} (${total.toLocaleString('en-US')} events)`, total, ms.ours, ms.reference, 'raw inserts of the same bytes', `  ${goal}`);
  }

  const singles = QUICK ? 200 : 1000;
  {
    const some = all.slice(0, singles);
    const ms = await bestOf(
      ROUNDS,
      async (round) => {
        const store = openSqliteStore(join(dir, `ours-single-${round}.db`));
        const took = await timeAsync(async () => {
          for (const e of some) await store.appendToStream('run-bench', [e]);
        });
        await store.close();
        return took;
      },
      (round) => {
        const raw = rawSqliteWriter(join(dir, `raw-single-${round}.db`));
        const took = time(() => {
          for (const r of rows.slice(0, singles)) raw.write([r]);
        });
        raw.db.close();
        return took;
      },
    );
    line(`append, one event per transaction (${singles} appends)`, singles, ms.ours, ms.reference, 'raw single-row transactions');
  }

  {
    // Reading back the events of one batches-of-1000 file, in pages of 1000 (a projection rebuild).
    const path = join(dir, 'ours-1000-0.db');
    const page = 1000;
    const readThrough = async (options: { validateOnRead?: boolean }) => {
      const store = openSqliteStore(path, options);
      let seen = 0;
      const took = await timeAsync(async () => {
        for (let from = 1; ; from += page) {
          const got = await store.readAll({ fromPosition: from, maxCount: page });
          seen += got.length;
          if (got.length < page) break;
        }
      });
      await store.close();
      if (seen !== total) throw new Error(`read ${seen} of ${total} events`);
      return took;
    };
    const rawRead = () => {
      const db = new Database(path, { readonly: true });
      const select = db
        .prepare('SELECT position, stream, revision, event_id, type, bytes, fingerprint, recorded_at FROM aurora_events WHERE position >= ? ORDER BY position LIMIT ?')
        .raw(true);
      let seen = 0;
      const took = time(() => {
        for (let from = 1; ; from += page) {
          const got = select.all(from, page);
          seen += got.length;
          if (got.length < page) break;
        }
      });
      db.close();
      if (seen !== total) throw new Error(`read ${seen} of ${total} rows`);
      return took;
    };
    const plain = await bestOf(ROUNDS, () => readThrough({}), rawRead);
    const audited = await bestOf(ROUNDS, () => readThrough({ validateOnRead: true }), rawRead);
    line(`readAll, pages of ${page} (decode + verify fingerprint)`, total, plain.ours, plain.reference, 'raw SELECT of the same rows, no decoding');
    line(`readAll, pages of ${page}, validateOnRead`, total, audited.ours, audited.reference, 'raw SELECT of the same rows, no decoding');
  }
}

async function benchPostgres(): Promise<void> {
  const base = process.env.AURORA_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `aurora_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  try {
    await admin.connect();
  } catch (err) {
    process.stdout.write(`PostgreSQL: not measured (${base} unreachable: ${(err as Error).message})\n`);
    return;
  }
  try {
    const url = new URL(base);
    url.searchParams.set('schema', schema);
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const total = QUICK ? 5_000 : 20_000;
    const batch = 1000;
    const all = events(total);
    const rows = encoded(all);
    process.stdout.write(`PostgreSQL (${url.host}, for information)\n`);
    let round = 0;
    const ms = await bestOf(
      ROUNDS,
      async () => {
        const store = await openPostgresStore(url.toString().replace(`schema=${schema}`, `schema=${schema}_${++round}`));
        const took = await timeAsync(() => appendAll(store, all, batch));
        await store.close();
        return took;
      },
      async (r) => {
        await admin.query(`CREATE TABLE "${schema}".raw_${r} (LIKE "${schema}_1".aurora_events INCLUDING ALL)`);
        let position = 0;
        return timeAsync(async () => {
          for (let i = 0; i < rows.length; i += batch) {
            const part = rows.slice(i, i + batch);
            await admin.query('BEGIN');
            await admin.query(
              `INSERT INTO "${schema}".raw_${r} (position, stream, revision, event_id, type, schema_version, bytes, fingerprint, recorded_at)
               SELECT $1::bigint + o, 'run-bench', $1::bigint + o - 1, e, 'LlmCalled', 1, b, f, now()
               FROM unnest($2::text[], $3::bytea[], $4::text[]) WITH ORDINALITY AS x(e, b, f, o)`,
              [position, part.map((x) => x.id), part.map((x) => x.bytes), part.map((x) => x.fp)],
            );
            await admin.query('COMMIT');
            position += part.length;
          }
        });
      },
    );
    line(`append, batches of ${batch} (${total.toLocaleString('en-US')} events)`, total, ms.ours, ms.reference, 'raw unnest inserts of the same bytes');
  } finally {
    for (const name of [schema, ...Array.from({ length: ROUNDS }, (_, i) => `${schema}_${i + 1}`)]) {
      await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`).catch(() => undefined);
    }
    await admin.end();
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aurora-bench-store-'));
  try {
    await benchSqlite(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await benchPostgres();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write('== store ==\n');
  await run();
}
