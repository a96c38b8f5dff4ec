// `aurora events`: a run's events as JSON lines or short lines, filtered by position and type, and
// --follow, which catches up, prints what is appended afterwards, and exits 0 on SIGINT.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../../events/adapters/sqlite.js';
import { eventTypes } from '../../events/catalogue.js';
import type { RecordedEvent } from '../../events/store.js';
import { aurora, readRun, recordRun, tempDir } from '../replay/support/runs.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const temp = tempDir('aurora-events-');
const path = join(temp.dir, 'events.db');
const url = `sqlite:${path}`;
let events: RecordedEvent[] = [];

test.before(async () => {
  const store = openSqliteStore(path);
  await recordRun(store, { runId: 'other', config: { iterations: 1, scenariosPerIteration: 1, candidatesPerScenario: 1, incumbents: 0 } });
  await recordRun(store, { runId: 'listed' });
  // A run whose id starts with the other's: its events must not leak into `listed`'s.
  await recordRun(store, { runId: 'listed-too', config: { iterations: 1, scenariosPerIteration: 1, candidatesPerScenario: 1, incumbents: 0 } });
  events = await readRun(store, 'listed');
  await store.close();
});
test.after(() => temp.remove());

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

test('given a run, when its events are exported as JSON lines, then each line is one stored event, in order, with everything the store holds', async () => {
  const { code, out } = await aurora('events', 'listed', '--store', url, '--json');
  assert.is(code, 0);
  const rows = lines(out).map((l) => JSON.parse(l));
  assert.is(rows.length, events.length);
  rows.forEach((row, i) => {
    const e = events[i]!;
    assert.equal(row, {
      position: e.position,
      revision: e.revision,
      stream: 'run-listed',
      type: e.type,
      metadata: e.metadata,
      data: JSON.parse(JSON.stringify(e.data)),
      fingerprint: e.fingerprint,
      recordedAt: e.recordedAt,
    });
  });
});

test('given --from and --type, when exported, then only those events come out; without --json one short line each', async () => {
  const from = events[Math.floor(events.length / 2)]!.position;
  const { out } = await aurora('events', 'listed', '--store', url, '--json', '--from', String(from), '--type', 'IterationCompleted,RunCompleted');
  const rows = lines(out).map((l) => JSON.parse(l));
  const expected = events.filter((e) => e.position >= from && (e.type === 'IterationCompleted' || e.type === 'RunCompleted'));
  assert.equal(rows.map((r) => r.position), expected.map((e) => e.position));
  assert.ok(expected.length >= 2);

  const human = lines((await aurora('events', 'listed', '--store', url, '--type', 'IterationCompleted')).out);
  assert.is(human.length, 3);
  assert.match(human[0]!, /^#\d+\s+it 1\s+IterationCompleted\s+iteration 1: level \d, \d+ evaluations, best reward/);
  const all = lines((await aurora('events', 'listed', '--store', url)).out);
  assert.is(all.length, events.length);
  assert.match(all[0]!, /^#\d+\s+it 0\s+RunStarted\s+seed 7, offline minds/);
});

test('given bad input, when exporting, then one line and exit 2', async () => {
  for (const args of [['nope'], ['listed', '--type', 'Nope'], ['listed', '--from', '0'], ['listed', '--from', 'x'], []]) {
    const { code, err } = await aurora('events', ...args, '--store', url);
    assert.is(code, 2, args.join(' '));
    assert.is(err.trim().split('\n').length, 1);
  }
  assert.match((await aurora('events', 'listed', '--store', url, '--type', 'Nope')).err, `one of: ${eventTypes.join(', ')}`);
});

test('given an event altered behind its fingerprint, when exported, then the events before it come out and one line says why it stopped, exit 1', async () => {
  const tampered = join(temp.dir, 'tampered.db');
  const store = openSqliteStore(tampered);
  await recordRun(store, { runId: 'bad', config: { iterations: 1, scenariosPerIteration: 1, candidatesPerScenario: 1, incumbents: 0 } });
  await store.close();
  const db = new Database(tampered);
  // An event in the middle of the run (it has about 25 events with one scenario, one candidate).
  const at = 20;
  assert.ok((db.prepare('SELECT MAX(position) AS last FROM aurora_events').get() as { last: number }).last > at);
  const row = db.prepare('SELECT bytes FROM aurora_events WHERE position = ?').get(at) as { bytes: Buffer };
  row.bytes[row.bytes.length - 1]! ^= 1;
  db.prepare('UPDATE aurora_events SET bytes = ? WHERE position = ?').run(row.bytes, at);
  db.close();
  const { code, out, err } = await aurora('events', 'bad', '--store', `sqlite:${tampered}`, '--json');
  assert.is(code, 1);
  assert.match(err, new RegExp(`^aurora events: the store refused an event: event at position ${at} was altered`));
  const printed = lines(out).map((l) => JSON.parse(l).position);
  assert.ok(printed.length < at && printed.every((p, i) => p === i + 1), 'only events before it, in order');
});

test('given --follow, when events are appended after it started, then it prints them after the stored ones, each once, and exits 0 on SIGINT', async () => {
  const store = openSqliteStore(path);
  await recordRun(store, { runId: 'live', stopAfter: 1 });
  const before = await readRun(store, 'live');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'events', 'live', '--store', url, '--follow', '--json'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seen: { position: number; type: string; metadata: { eventId: string } }[] = [];
  let buffer = '';
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b));
  const waiters: { n: number; resolve: () => void }[] = [];
  child.stdout!.on('data', (b: Buffer) => {
    buffer += b;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      seen.push(JSON.parse(buffer.slice(0, nl)));
      buffer = buffer.slice(nl + 1);
    }
    for (const w of [...waiters]) if (seen.length >= w.n) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const printed = (n: number, what: string) =>
    Promise.race([
      new Promise<void>((resolve) => (seen.length >= n ? resolve() : waiters.push({ n, resolve }))),
      new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`${what}: ${seen.length} of ${n} lines after 30 s\n${err}`)), 30_000)),
    ]);
  try {
    await printed(before.length, 'the stored events');
    assert.is(seen.length, before.length);
    await recordRun(store, { runId: 'live', resume: true });
    const after = await readRun(store, 'live');
    assert.ok(after.length > before.length);
    await printed(after.length, 'the appended events');
    await new Promise((r) => setTimeout(r, 200)); // nothing more should come
    assert.equal(seen.map((e) => [e.position, e.metadata.eventId]), after.map((e) => [e.position, e.metadata.eventId]));
    child.kill('SIGINT');
    assert.is(await exited, 0, err);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await store.close();
  }
});

test.run();
