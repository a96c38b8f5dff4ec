import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openSqliteStore } from '../../events/adapters/sqlite.js';
import { encodeCanonical } from '../../events/codec.js';
import { fingerprintOfBytes } from '../../events/fingerprint.js';
import { openStore } from '../../events/open-store.js';
import { TamperedEventError, type EventStore } from '../../events/store.js';
import { UnknownEventTypeError, UnknownSchemaVersionError, UpcasterRegistry } from '../../events/upcasters.js';
import { InvalidEventError } from '../../events/validate.js';
import { meta, rating, ratings } from './fixtures.js';
import { registerStoreContract, take, within } from './store-contract.js';
import { withRaw } from './support/sqlite-raw.js';

const root = mkdtempSync(join(tmpdir(), 'aurora-sqlite-test-'));
let n = 0;
let path = '';


/** Stores an event the way older code, or another tool, would have: bytes and fingerprint, no checks. */
function insertRaw(file: string, event: { type: string; data: unknown; metadata: { eventId: string; schemaVersion: number } }): void {
  const bytes = encodeCanonical({ type: event.type, data: event.data, metadata: event.metadata });
  withRaw(file, (db) => {
    const head = (db.prepare('SELECT COALESCE(MAX(position), 0) AS h FROM aurora_events').get() as { h: number }).h;
    db.prepare(
      `INSERT INTO aurora_events (position, stream, revision, event_id, type, schema_version, bytes, fingerprint, recorded_at)
       VALUES (?, 'old', ?, ?, ?, ?, ?, ?, '2020-01-01T00:00:00.000Z')`,
    ).run(head + 1, head, event.metadata.eventId, event.type, event.metadata.schemaVersion, Buffer.from(bytes), fingerprintOfBytes(bytes));
  });
}

const contract = suite('sqlite store contract');
registerStoreContract(contract, {
  async fresh() {
    path = join(root, `contract-${++n}`, 'events.db');
  },
  async open(options) {
    return openSqliteStore(path, options);
  },
  async tamper(position) {
    withRaw(path, (db) => {
      const { bytes } = db.prepare('SELECT bytes FROM aurora_events WHERE position = ?').get(position) as { bytes: Buffer };
      bytes[bytes.length - 1]! ^= 1;
      db.prepare('UPDATE aurora_events SET bytes = ? WHERE position = ?').run(bytes, position);
    });
  },
  async dispose() {},
});
contract.run();

const sqlite = suite('sqlite store');
let stores: EventStore[] = [];
const fresh = () => join(root, `case-${++n}`, 'events.db');
const track = <S extends EventStore>(s: S): S => (stores.push(s), s);
sqlite.after.each(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
});
sqlite.after(() => rmSync(root, { recursive: true, force: true }));

sqlite('given a new store, when opened, then the file uses WAL with synchronous=FULL', async () => {
  const store = track(openSqliteStore(fresh()));
  assert.is(store.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.is(store.db.pragma('synchronous', { simple: true }), 2);
});

sqlite('given an event whose type column was edited with SQL, when reading, then it is reported as tampered', async () => {
  const file = fresh();
  const store = track(openSqliteStore(file));
  await store.appendToStream('s', ratings('a', 2));
  withRaw(file, (db) => db.prepare(`UPDATE aurora_events SET type = 'MatchPlayed' WHERE position = 1`).run());
  try {
    await store.readAll();
    assert.unreachable('expected TamperedEventError');
  } catch (err) {
    assert.instance(err, TamperedEventError);
    assert.match((err as Error).message, 'stored as type MatchPlayed');
  }
});

sqlite('given an event deleted with SQL, when reading all, then the hole is reported at its position', async () => {
  const file = fresh();
  const store = track(openSqliteStore(file));
  await store.appendToStream('s', ratings('a', 3));
  withRaw(file, (db) => db.prepare('DELETE FROM aurora_events WHERE position = 2').run());
  try {
    await store.readAll();
    assert.unreachable('expected TamperedEventError');
  } catch (err) {
    assert.instance(err, TamperedEventError);
    assert.is((err as TamperedEventError).position, 2);
  }
});

sqlite('given a subscriber, when another process appends to the same file, then the subscriber receives the events', async () => {
  const file = fresh();
  const store = track(openSqliteStore(file, { pollIntervalMs: 20 }));
  await store.appendToStream('s', [rating('here')]);
  const sub = store.subscribe({ fromPosition: 2 });
  const pending = take(sub, 3, "the other process's events");
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./support/sqlite-append-child.ts', import.meta.url)), file, 'child', '3'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const code = await within(new Promise<number | null>((resolve) => child.on('exit', resolve)), 'the child process', 60_000);
  assert.is(code, 0);
  const got = await pending;
  assert.equal(got.map((e) => [e.position, e.metadata.eventId]), [
    [2, 'child-0'],
    [3, 'child-1'],
    [4, 'child-2'],
  ]);
  await sub.close();
});

sqlite('given an event stored at an old version, when read with an upcaster registered, then it arrives at the current version', async () => {
  const file = fresh();
  track(openSqliteStore(file));
  // A fake history: RatingChanged v1 had {policy, match, elo: [before, after]}; the (pretend) current v2 is the catalogue's shape.
  insertRaw(file, { type: 'RatingChanged', data: { policy: 'p1', match: 'm1', elo: [1500, 1520] }, metadata: meta('old-1') });
  const registry = new UpcasterRegistry({ RatingChanged: 2 }).register('RatingChanged', 1, (data) => {
    const old = data as { policy: string; match: string; elo: [number, number] };
    return { policyId: old.policy, matchId: old.match, before: old.elo[0], after: old.elo[1] };
  });
  const store = track(openSqliteStore(file, { upcasters: registry }));
  const [event] = await store.readAll();
  assert.equal(event!.data, { policyId: 'p1', matchId: 'm1', before: 1500, after: 1520 });
  assert.is(event!.metadata.schemaVersion, 2);
  assert.is(event!.fingerprint, fingerprintOfBytes(encodeCanonical({
    type: 'RatingChanged',
    data: { policy: 'p1', match: 'm1', elo: [1500, 1520] },
    metadata: meta('old-1'),
  })), 'the fingerprint stays that of the stored bytes');
});

sqlite('given an old version with no upcaster, or a newer version, when reading, then the error names type, version and position', async () => {
  const file = fresh();
  track(openSqliteStore(file));
  insertRaw(file, { type: 'RatingChanged', data: { policy: 'p1' }, metadata: meta('old-1') });
  const store = track(openSqliteStore(file, { upcasters: new UpcasterRegistry({ RatingChanged: 3 }) }));
  try {
    await store.readAll();
    assert.unreachable('expected UnknownSchemaVersionError');
  } catch (err) {
    assert.instance(err, UnknownSchemaVersionError);
    assert.is((err as Error).message, 'event at position 1: RatingChanged version 1 (current 3): no upcaster from version 1');
  }
  insertRaw(file, { ...rating('future'), metadata: meta('future', { schemaVersion: 9 }) });
  try {
    await store.readAll({ fromPosition: 2 });
    assert.unreachable('expected UnknownSchemaVersionError');
  } catch (err) {
    assert.instance(err, UnknownSchemaVersionError);
    assert.match((err as Error).message, 'event at position 2: RatingChanged version 9');
    assert.match((err as Error).message, 'newer code');
  }
});

sqlite('given a stored event of a type the catalogue lacks, when reading, then UnknownEventTypeError names it and its position', async () => {
  const file = fresh();
  const store = track(openSqliteStore(file));
  await store.appendToStream('s', [rating('a')]);
  insertRaw(file, { type: 'RatingGuessed', data: {}, metadata: meta('odd') });
  assert.is((await store.readAll({ maxCount: 1 })).length, 1);
  try {
    await store.readAll();
    assert.unreachable('expected UnknownEventTypeError');
  } catch (err) {
    assert.instance(err, UnknownEventTypeError);
    assert.is((err as Error).message, "event at position 2: unknown event type 'RatingGuessed'");
  }
});

sqlite('given an invalid event stored by another tool with a valid fingerprint, when reading, then only validateOnRead refuses it', async () => {
  const file = fresh();
  track(openSqliteStore(file));
  insertRaw(file, { ...rating('x'), data: { ...rating('x').data, before: 'high' } });
  const trusting = track(openSqliteStore(file));
  assert.is((await trusting.readAll()).length, 1, 'the default trusts what the fingerprint vouches for');
  const auditing = track(openSqliteStore(file, { validateOnRead: true }));
  try {
    await auditing.readAll();
    assert.unreachable('expected InvalidEventError');
  } catch (err) {
    assert.instance(err, InvalidEventError);
    assert.match((err as Error).message, 'event at position 1: invalid RatingChanged event: data.before:');
  }
});

sqlite('given no URL, when opening the store, then sqlite:.aurora/aurora.db is created under the working directory', async () => {
  const dir = join(root, `cwd-${++n}`);
  const previous = process.cwd();
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  process.chdir(dir);
  try {
    const store = track(await openStore());
    await store.appendToStream('s', [rating('a')]);
    assert.ok(existsSync(join(dir, '.aurora', 'aurora.db')));
  } finally {
    process.chdir(previous);
  }
});

sqlite('given a file from a newer AURORA, when opening it, then it is refused with the format named', async () => {
  const file = fresh();
  track(openSqliteStore(file));
  withRaw(file, (db) => db.prepare(`UPDATE aurora_meta SET value = '99' WHERE key = 'format'`).run());
  assert.throws(() => openSqliteStore(file), /event store format 99/);
});

sqlite.run();
