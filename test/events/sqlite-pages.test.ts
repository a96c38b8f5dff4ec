// SQLite readAll reads whole pages in one query (events/adapters/sqlite-pages.ts). These tests hold it
// to the row-by-row path: the same events across page boundaries, and every kind of tampering still
// reported with its position, wherever in a page it sits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openSqliteStore, type SqliteEventStore } from '../../events/adapters/sqlite.js';
import { PAGE_ROWS, SqlitePageReader } from '../../events/adapters/sqlite-pages.js';
import { prefetchedPages } from '../../events/adapters/sqlite-prefetch.js';
import { TamperedEventError, type RecordedEvent } from '../../events/store.js';
import { UpcasterRegistry, upcasters } from '../../events/upcasters.js';
import { match, rating, ratings } from './fixtures.js';
import { withRaw } from './support/sqlite-raw.js';

const test = suite('sqlite readAll by pages');
const root = mkdtempSync(join(tmpdir(), 'aurora-sqlite-pages-'));
let n = 0;
let stores: SqliteEventStore[] = [];
test.after.each(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
});
test.after(() => rmSync(root, { recursive: true, force: true }));

const fresh = () => join(root, `case-${++n}`, 'events.db');
const open = (file: string, options = {}) => {
  const store = openSqliteStore(file, options);
  stores.push(store);
  return store;
};


/** Two streams interleaved, a little over `pages` pages of events. */
async function filled(file: string, pages = 1): Promise<SqliteEventStore> {
  const store = open(file);
  const total = PAGE_ROWS * pages + 37;
  for (let i = 0; i < total; i += 250) {
    await store.appendToStream(i % 500 === 0 ? 'run-a' : 'run-b', ratings(`e${i}`, Math.min(250, total - i)));
  }
  return store;
}

/** What the row-by-row path gives: readStream of each stream, merged in position order. */
async function rowByRow(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const all = [...(await store.readStream('run-a')), ...(await store.readStream('run-b'))];
  return all.sort((x, y) => x.position - y.position);
}

async function rejectsTampered(work: Promise<unknown>, position: number, detail: string): Promise<void> {
  try {
    await work;
    assert.unreachable('expected TamperedEventError');
  } catch (err) {
    assert.instance(err, TamperedEventError);
    assert.is((err as TamperedEventError).position, position);
    assert.match((err as Error).message, detail);
  }
}

test('given more than one page of events, when reading all at once and in odd-sized pages, then the events are those read row by row', async () => {
  const store = await filled(fresh(), 1);
  const expected = await rowByRow(store);
  assert.is(expected.length, PAGE_ROWS + 37);
  assert.equal(await store.readAll(), expected);
  const paged: RecordedEvent[] = [];
  for (let from = 1; ; ) {
    const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
    if (page.length === 0) break;
    paged.push(...page);
    from = page[page.length - 1]!.position + 1;
  }
  assert.equal(paged, expected);
  assert.equal(await store.readAll({ fromPosition: PAGE_ROWS - 1, maxCount: 3 }), expected.slice(PAGE_ROWS - 2, PAGE_ROWS + 1));
  assert.equal(await store.readAll({ maxCount: 0 }), []);
  assert.equal(await store.readAll({ fromPosition: expected.length + 1 }), []);
});

test('given an event whose bytes were altered in the second page, when reading all, then its position is reported', async () => {
  const file = fresh();
  const store = await filled(file, 1);
  const position = PAGE_ROWS + 5;
  withRaw(file, (db) => {
    const { bytes } = db.prepare('SELECT bytes FROM aurora_events WHERE position = ?').get(position) as { bytes: Buffer };
    bytes[10]! ^= 1;
    db.prepare('UPDATE aurora_events SET bytes = ? WHERE position = ?').run(bytes, position);
  });
  await rejectsTampered(store.readAll(), position, 'its bytes hash to');
  assert.is((await store.readAll({ maxCount: position - 1 })).length, position - 1, 'the events before it still read');
});

test('given an event whose fingerprint, id or type column was edited, when reading all, then the edit is reported at its position', async () => {
  const file = fresh();
  const store = await filled(file, 1);
  const right = (await store.readAll({ fromPosition: 100, maxCount: 1 }))[0]!.fingerprint;
  const id2000 = (await store.readAll({ fromPosition: 2000, maxCount: 1 }))[0]!.metadata.eventId;
  withRaw(file, (db) => db.prepare(`UPDATE aurora_events SET fingerprint = ? WHERE position = 100`).run('0'.repeat(64)));
  await rejectsTampered(store.readAll(), 100, 'its recorded fingerprint is 0000');
  withRaw(file, (db) => db.prepare(`UPDATE aurora_events SET fingerprint = 'short' WHERE position = 100`).run());
  await rejectsTampered(store.readAll(), 100, 'its recorded fingerprint is short');
  withRaw(file, (db) => db.prepare(`UPDATE aurora_events SET fingerprint = ? WHERE position = 100`).run(right));
  withRaw(file, (db) => db.prepare(`UPDATE aurora_events SET event_id = 'someone-else' WHERE position = 2000`).run());
  await rejectsTampered(store.readAll(), 2000, 'stored as id someone-else');
  withRaw(file, (db) => db.prepare(`UPDATE aurora_events SET event_id = ?, type = 'MatchPlayed' WHERE position = 2000`).run(id2000));
  await rejectsTampered(store.readAll(), 2000, 'stored as type MatchPlayed');
});

test('given an event deleted at a page boundary, when reading all, then the hole is reported at its position', async () => {
  const file = fresh();
  const store = await filled(file, 1);
  withRaw(file, (db) => db.prepare('DELETE FROM aurora_events WHERE position = ?').run(PAGE_ROWS + 1));
  await rejectsTampered(store.readAll(), PAGE_ROWS + 1, 'missing from the global order');
  await rejectsTampered(store.readAll({ fromPosition: PAGE_ROWS + 1 }), PAGE_ROWS + 1, 'missing from the global order');
});

test('given text columns holding separators and non-ASCII text, when reading all, then they come back exactly', async () => {
  const store = open(fresh());
  const odd = ['run-\u0000-nul', 'run-ünï-\u{1F600}', 'run-,-comma'];
  for (const stream of odd) await store.appendToStream(stream, [rating(`${stream}-1`), rating(`${stream}-2`)]);
  const all = await store.readAll();
  assert.equal(all.map((e) => e.stream), odd.flatMap((s) => [s, s]));
  assert.equal(all.map((e) => e.metadata.eventId), odd.flatMap((s) => [`${s}-1`, `${s}-2`]));
  assert.equal(all.map((e) => e.revision), [0, 1, 0, 1, 0, 1]);
});

test('given events of an older version among current ones, when reading all, then only the older ones are upcast', async () => {
  const file = fresh();
  const writer = open(file);
  await writer.appendToStream('s', [rating('a'), match('b'), rating('c')]);
  // A pretend catalogue where RatingChanged is at version 2: the stored RatingChanged (version 1) are upcast.
  const registry = new UpcasterRegistry({ RatingChanged: 2 }).register('RatingChanged', 1, (data) => {
    const d = data as { after: number };
    return { ...d, after: d.after + 1000 };
  });
  const reader = open(file, { upcasters: registry });
  const events = await reader.readAll();
  assert.equal(events.map((e) => [e.position, e.type, e.metadata.schemaVersion]), [
    [1, 'RatingChanged', 2],
    [2, 'MatchPlayed', match('b').metadata.schemaVersion],
    [3, 'RatingChanged', 2],
  ]);
  assert.is((events[0]!.data as { after: number }).after, 1516 + 1000);
  assert.equal(events[1]!.data, match('b').data);
  assert.equal((await writer.readAll()).map((e) => e.metadata.schemaVersion), [1, match('b').metadata.schemaVersion, 1], 'the default registry reads them as stored');
});

/** Every page readAllPages gives from `from`, and the error it stopped with (null: none). */
async function allPages(store: SqliteEventStore, from: number, size: number, onPage?: (page: RecordedEvent[]) => Promise<void>): Promise<{ pages: RecordedEvent[][]; error: unknown }> {
  const pages: RecordedEvent[][] = [];
  try {
    for await (const page of store.readAllPages(from, size)) {
      pages.push(page);
      await onPage?.(page);
    }
    return { pages, error: null };
  } catch (error) {
    return { pages, error };
  }
}

test('given a few pages of events, when reading them page after page ahead on a worker thread and on this one, then both give the events read row by row', async () => {
  const file = fresh();
  const expected = await rowByRow(await filled(file, 1));
  for (const prefetchFrom of [1, Infinity]) {
    const store = open(file, { prefetchFrom });
    const { pages, error } = await allPages(store, 1, 500);
    assert.is(error, null);
    assert.equal(pages.map((p) => p.length), [500, 500, 500, 500, PAGE_ROWS + 37 - 2000], `prefetchFrom ${prefetchFrom}`);
    assert.equal(pages.flat(), expected);
    assert.equal((await allPages(store, 1999, 3)).pages.flat(), expected.slice(1998));
  }
});

test('given an event whose bytes were altered in the third page, when reading pages ahead on a worker thread, then the pages before it arrive and its position is reported', async () => {
  const file = fresh();
  await filled(file, 1);
  const position = 1234;
  withRaw(file, (db) => {
    const { bytes } = db.prepare('SELECT bytes FROM aurora_events WHERE position = ?').get(position) as { bytes: Buffer };
    bytes[10]! ^= 1;
    db.prepare('UPDATE aurora_events SET bytes = ? WHERE position = ?').run(bytes, position);
  });
  const { pages, error } = await allPages(open(file, { prefetchFrom: 1 }), 1, 500);
  assert.equal(pages.map((p) => p.length), [500, 500]);
  await rejectsTampered(Promise.reject(error), position, 'its bytes hash to');
});

test('given events appended while pages are read ahead, when reading to the end, then the new events follow without a gap', async () => {
  const file = fresh();
  const writer = await filled(file, 1);
  const reader = open(file, { prefetchFrom: 1 });
  let appended = false;
  const { pages, error } = await allPages(reader, 1, 500, async () => {
    if (appended) return;
    appended = true;
    await writer.appendToStream('run-c', ratings('late', 600));
  });
  assert.is(error, null);
  assert.equal(pages.flat(), await reader.readAll());
  assert.is(pages.flat().length, PAGE_ROWS + 37 + 600);
});

test('given a reader that stops after the first page, when it leaves the loop, then the worker stops and the store closes', async () => {
  const file = fresh();
  await filled(file, 1);
  const store = open(file, { prefetchFrom: 1 });
  for await (const page of store.readAllPages(1, 100)) {
    assert.is(page[0]!.position, 1);
    break;
  }
  await store.close();
  assert.is((await rowByRow(open(file))).length, PAGE_ROWS + 37);
});

test('given a page-reading worker that cannot open its file, when reading ahead, then it gives no page and no error, and reading carries on without it', async () => {
  const store = await filled(fresh(), 1);
  const never = (): never => {
    throw new Error('the reader was used without a page');
  };
  const reader = new SqlitePageReader(store.db, upcasters, never, never);
  const pages: RecordedEvent[][] = [];
  for await (const page of prefetchedPages(reader, join(root, 'no-such-dir', 'events.db'), 1, 500)) pages.push(page);
  assert.equal(pages, []);
});

test.run();
