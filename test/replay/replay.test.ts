// `aurora replay` on runs made in-process: identical runs exit 0; a stopped-and-resumed run and a run that
// never completed replay too; a number altered in a stored EvaluationCompleted (with or without its
// fingerprint rewritten), a log cut inside a batch, and a mind that is not deterministic are each found
// at the right position, with a field-level difference, and exit 1; an unknown run exits 2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decode, encodeCanonical } from '../../events/codec.js';
import { fingerprintOfBytes } from '../../events/fingerprint.js';
import { openSqliteStore } from '../../events/adapters/sqlite.js';
import { openMemoryStore } from '../../events/adapters/memory.js';
import type { EventStore } from '../../events/store.js';
import { createRoleHandler } from '../../actors/handlers.js';
import { defenderHandler } from '../../actors/defender.js';
import { createOfflineDefender } from '../../actors/minds/defender/offline.js';
import type { DefenderMind } from '../../actors/minds/ports.js';
import { InProcessTransport } from '../../src/transport/in-process.js';
import type { Handler } from '../../src/transport/port.js';
import { replayRun } from '../../src/replay/replay.js';
import { aurora, readRun, recordRun, tempDir } from './support/runs.js';

const temp = tempDir('aurora-replay-');
test.after(() => temp.remove());

let files = 0;
/** A fresh SQLite store file and its URL. */
function sqliteStore(): { store: EventStore; path: string; url: string } {
  const path = join(temp.dir, `events-${++files}.db`);
  return { store: openSqliteStore(path), path, url: `sqlite:${path}` };
}

test('given a run made in-process, when replayed, then every event matches and the exit status is 0', async () => {
  const { store, url } = sqliteStore();
  await recordRun(store, { runId: 'exact' });
  const recorded = await readRun(store, 'exact');
  await store.close();

  const human = await aurora('replay', 'exact', '--store', url);
  assert.is(human.code, 0, human.out + human.err);
  assert.match(human.out, new RegExp(`run exact: replayed exactly: ${recorded.length} of ${recorded.length} events match \\(\\d+\\.\\d\\d s`));

  const json = await aurora('replay', 'exact', '--store', url, '--json');
  assert.is(json.code, 0);
  const result = JSON.parse(json.out);
  assert.equal([result.status, result.events, result.matched, result.incomplete, result.mismatch], ['identical', recorded.length, recorded.length, false, null]);
  assert.is(result.codeVersion.recorded, 'aurora test');
});

test('given a run stopped after an iteration and resumed, when replayed, then it stops and resumes at the same place and matches', async () => {
  const { store, url } = sqliteStore();
  const stopped = await recordRun(store, { runId: 'resumed', stopAfter: 1 });
  assert.is(stopped.status, 'stopped');
  await recordRun(store, { runId: 'resumed', resume: true });
  const types = (await readRun(store, 'resumed')).map((e) => e.type);
  assert.ok(types.includes('RunStopped') && types.at(-1) === 'RunCompleted');
  await store.close();

  const { code, out } = await aurora('replay', 'resumed', '--store', url, '--json');
  const result = JSON.parse(out);
  assert.is(code, 0, out);
  assert.is(result.status, 'identical');
  assert.is(result.resumes, 1);
  assert.is(result.matched, types.length);
});

test('given a run that never completed (stopped, or cut off between two iterations), when replayed, then it replays up to its last event', async () => {
  const { store, url } = sqliteStore();
  await recordRun(store, { runId: 'stopped', stopAfter: 2 });
  // A crash between two appends leaves whole iterations and no marker: cut the stream the same way.
  await recordRun(store, { runId: 'crashed' });
  const crashed = await readRun(store, 'crashed');
  const lastOfIteration2 = crashed.findLast((e) => e.type === 'IterationCompleted' && e.metadata.iteration === 2)!;
  await store.close();
  const db = new Database(url.slice('sqlite:'.length));
  db.prepare(`DELETE FROM aurora_events WHERE stream = 'run-crashed' AND revision > ?`).run(lastOfIteration2.revision);
  db.close();

  for (const runId of ['stopped', 'crashed']) {
    const { code, out } = await aurora('replay', runId, '--store', url, '--json');
    const result = JSON.parse(out);
    assert.is(code, 0, out);
    assert.equal([result.status, result.incomplete, result.matched === result.events], ['identical', true, true], runId);
  }
  assert.match((await aurora('replay', 'stopped', '--store', url)).out, /never completed: replayed up to its last recorded event/);
});

/** Rewrites one stored event's bytes through SQL, with `change` applied to its decoded form. */
function alterStored(path: string, position: number, change: (event: { data: Record<string, unknown> }) => void, rewriteFingerprint: boolean): void {
  const db = new Database(path);
  try {
    const row = db.prepare('SELECT bytes FROM aurora_events WHERE position = ?').get(position) as { bytes: Buffer };
    const event = decode(row.bytes) as { data: Record<string, unknown> };
    change(event);
    const bytes = Buffer.from(encodeCanonical(event));
    if (rewriteFingerprint) db.prepare('UPDATE aurora_events SET bytes = ?, fingerprint = ? WHERE position = ?').run(bytes, fingerprintOfBytes(bytes), position);
    else db.prepare('UPDATE aurora_events SET bytes = ? WHERE position = ?').run(bytes, position);
  } finally {
    db.close();
  }
}

test('given one number of a stored EvaluationCompleted altered with its fingerprint rewritten, when replayed, then the replay finds it at its position with both values', async () => {
  const { store, path, url } = sqliteStore();
  await recordRun(store, { runId: 'forged' });
  const target = (await readRun(store, 'forged')).filter((e) => e.type === 'EvaluationCompleted' && e.metadata.iteration === 2)[3]!;
  await store.close();
  const original = (target.data as { reward: number }).reward;
  alterStored(path, target.position, (e) => (e.data.reward = original + 0.125), true);

  const json = await aurora('replay', 'forged', '--store', url, '--json');
  assert.is(json.code, 1);
  const { mismatch, matched } = JSON.parse(json.out);
  assert.equal([mismatch.kind, mismatch.position, mismatch.revision, mismatch.recordedType, matched], ['differs', target.position, target.revision, 'EvaluationCompleted', target.revision]);
  assert.equal(mismatch.differences, [{ path: 'data.reward', recorded: original + 0.125, replayed: original }]);

  const human = await aurora('replay', 'forged', '--store', url);
  assert.is(human.code, 1);
  assert.match(human.out, `MISMATCH at event ${target.revision + 1} of`);
  assert.match(human.out, `position ${target.position}): EvaluationCompleted`);
  assert.match(human.out, `data.reward: recorded ${original + 0.125}, replayed ${original}`);
});

test('given one number of a stored EvaluationCompleted altered behind the fingerprint, when replayed, then the store refuses it and the replay names that position', async () => {
  const { store, path, url } = sqliteStore();
  await recordRun(store, { runId: 'tampered' });
  const target = (await readRun(store, 'tampered')).filter((e) => e.type === 'EvaluationCompleted' && e.metadata.iteration === 1)[1]!;
  await store.close();
  alterStored(path, target.position, (e) => ((e.data.metrics as { cost: number }).cost += 1), false);

  const human = await aurora('replay', 'tampered', '--store', url);
  assert.is(human.code, 1);
  assert.match(human.out, `MISMATCH at event ${target.revision + 1} of`);
  assert.match(human.out, `position ${target.position}): the recorded event cannot be read back`);
  assert.match(human.out, /TamperedEventError.*was altered: its bytes hash to/);
  assert.match(human.out, `the replay produced EvaluationCompleted ${target.metadata.eventId} there`);
  const { mismatch } = JSON.parse((await aurora('replay', 'tampered', '--store', url, '--json')).out);
  assert.equal([mismatch.kind, mismatch.position, mismatch.revision], ['unreadable', target.position, target.revision]);
});

test('given a log whose last events were deleted inside a batch, when replayed, then the cut is reported where the log ends', async () => {
  const { store, path, url } = sqliteStore();
  await recordRun(store, { runId: 'cut' });
  const events = await readRun(store, 'cut');
  await store.close();
  const keep = events.length - 10; // inside the last iteration's batch
  const db = new Database(path);
  db.prepare(`DELETE FROM aurora_events WHERE revision >= ?`).run(keep);
  db.close();
  const { code, out } = await aurora('replay', 'cut', '--store', url, '--json');
  assert.is(code, 1);
  const { mismatch } = JSON.parse(out);
  assert.equal([mismatch.kind, mismatch.revision, mismatch.replayedType], ['cut', keep, events[keep]!.type]);
});

test('given a defender that draws from a counter surviving across runs, when its run is replayed with it, then the first event it changed is reported', async () => {
  let calls = 0; // lives as long as this test: the replay sees other values than the recording
  const offline = createOfflineDefender();
  const drifting: DefenderMind = {
    name: offline.name,
    async proposePolicies(request) {
      const reply = await offline.proposePolicies(request);
      calls += 1;
      if (request.iteration < 2) return reply;
      return { ...reply, policies: reply.policies.map((p, i) => (i === 0 ? { ...p, rationale: `${p.rationale} (call ${calls})` } : p)) };
    },
  };
  const roles = new InProcessTransport({ log: () => {} });
  await roles.serve('attacker', (await createRoleHandler('attacker')) as unknown as Handler<'attacker'>);
  await roles.serve('defender', defenderHandler(drifting) as unknown as Handler<'defender'>);
  await roles.serve('simulator', (await createRoleHandler('simulator')) as unknown as Handler<'simulator'>);
  const store = openMemoryStore();
  try {
    await recordRun(store, { runId: 'drift', requester: roles });
    const recorded = await readRun(store, 'drift');
    const first = recorded.find((e) => e.type === 'PolicyProposed' && e.metadata.iteration === 2 && (e.data as { rationale: string }).rationale.includes('(call '))!;
    assert.ok(first, 'the recording has a drifting policy');

    const result = await replayRun({ store, runId: 'drift', requester: roles });
    assert.is(result.status, 'mismatch');
    const m = result.mismatch!;
    assert.equal([m.kind, m.revision, m.position, m.recordedType, m.recordedEventId], ['differs', first.revision, first.position, 'PolicyProposed', first.metadata.eventId]);
    assert.is(result.matched, first.revision, 'everything before it matched');
    assert.equal(m.differences.map((d) => d.path), ['data.rationale']);
    assert.match(String(m.differences[0]!.recorded), /\(call \d+\)$/);
    assert.is.not(m.differences[0]!.recorded, m.differences[0]!.replayed);

    // The same run replayed with the deterministic roles also reports it, at the same place.
    const plain = await replayRun({ store, runId: 'drift' });
    assert.equal([plain.status, plain.mismatch?.revision], ['mismatch', first.revision]);
  } finally {
    await roles.close();
    await store.close();
  }
});

test('given a run id the store does not hold, when replayed, then one line and exit 2', async () => {
  const { store, url } = sqliteStore();
  await store.close();
  const { code, out, err } = await aurora('replay', 'no-such-run', '--store', url);
  assert.is(code, 2);
  assert.is(out, '');
  assert.is(err, "aurora replay: no run 'no-such-run' in this store\n");
  assert.is((await aurora('replay', '--store', url)).code, 2);
  assert.is((await aurora('replay', 'x', '--store', 'nosuch:thing')).code, 2);
});

test('given a policy imported into a run between a stop (clean, or a kill leaving no marker) and its resume, when replayed, then the import is served as recorded and the run matches', async () => {
  const library = join(process.cwd(), 'library', 'cloud.json');
  const { store, path, url } = sqliteStore();
  await recordRun(store, { runId: 'clean', stopAfter: 1 });
  // A kill between two appends leaves whole iterations and no RunStopped: cut a run the same way.
  await recordRun(store, { runId: 'killed' });
  const killed = await readRun(store, 'killed');
  const lastOfIteration1 = killed.findLast((e) => e.type === 'IterationCompleted' && e.metadata.iteration === 1)!;
  await store.close();
  const db = new Database(path);
  db.prepare(`DELETE FROM aurora_events WHERE stream = 'run-killed' AND revision > ?`).run(lastOfIteration1.revision);
  db.close();

  for (const runId of ['clean', 'killed']) {
    const imported = await aurora('policy', 'import', library, '--run', runId, '--store', url, '--name', 'outsider');
    assert.is(imported.code, 0, imported.err);
    const reopened = openSqliteStore(path);
    await recordRun(reopened, { runId, resume: true });
    const types = (await readRun(reopened, runId)).map((e) => e.type);
    await reopened.close();
    assert.ok(types.includes('PolicyImported') && types.at(-1) === 'RunCompleted', runId);

    const { code, out } = await aurora('replay', runId, '--store', url, '--json');
    const result = JSON.parse(out);
    assert.is(code, 0, out);
    assert.equal([result.status, result.matched, result.resumes], ['identical', types.length, 1], runId);
  }
});

test.run();
