import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuroraEvent } from '../../events/catalogue.js';
import { encodeCanonical } from '../../events/codec.js';
import { openMemoryStore } from '../../events/adapters/memory.js';
import { SqliteEventStore } from '../../events/adapters/sqlite.js';
import { openStore } from '../../events/open-store.js';
import { runStream, type EventStore } from '../../events/store.js';
import { allProjections } from '../../projections/all.js';
import { MemoryCheckpointStore, type Checkpoint, type CheckpointStore } from '../../projections/checkpoint-store.js';
import { SqliteCheckpointStore } from '../../projections/checkpoints-sqlite.js';
import { PostgresCheckpointStore } from '../../projections/checkpoints-postgres.js';
import { eloProjection } from '../../projections/elo.js';
import { fold, type Projection } from '../../projections/fold.js';
import { openCheckpointStore } from '../../projections/open-checkpoints.js';
import { ProjectionRunner } from '../../projections/runner.js';
import { runSummaryProjection } from '../../projections/run-summary.js';
import { dropSchema, postgresOff, storeUrl, testSchema } from '../events/support/postgres.js';
import { syntheticRun } from '../../src/bench/synthetic-run.js';

const events: AuroraEvent[] = [...syntheticRun({ runId: 'rr', iterations: 5, seed: 9 })];
const half = Math.floor(events.length / 2);
const expected = new Map(allProjections.map((p) => [p.name, fold(p, events)]));

async function storeWith(list: readonly AuroraEvent[], store: EventStore = openMemoryStore()): Promise<EventStore> {
  if (list.length > 0) await store.appendToStream(runStream('rr'), list);
  return store;
}

async function rejects(promise: Promise<unknown>): Promise<void> {
  let failed = false;
  await promise.catch(() => (failed = true));
  assert.ok(failed, 'expected a rejection');
}

function assertAllEqualOnePass(runner: ProjectionRunner): void {
  for (const p of allProjections) assert.equal(runner.state(p), expected.get(p.name), p.name);
}

test('given a checkpoint of an older version for one projection, when loading, then only it starts from zero and all converge', async () => {
  const store = await storeWith(events.slice(0, half));
  const checkpoints = new MemoryCheckpointStore();
  const first = new ProjectionRunner(store, allProjections, { checkpoints });
  await first.catchUp();
  const [elo] = await checkpoints.load(['elo']);
  await checkpoints.save([{ ...elo!, version: elo!.version - 1 }]);
  await store.appendToStream(runStream('rr'), events.slice(half));
  const second = new ProjectionRunner(store, allProjections, { checkpoints });
  const report = await second.load();
  assert.equal(report.fromZero, [{ name: 'elo', reason: 'other version' }]);
  assert.is(second.positionOf(eloProjection), 0);
  assert.is(second.positionOf(runSummaryProjection), half);
  const caught = await second.catchUp();
  assert.equal([caught.from, caught.to, caught.events], [0, events.length, events.length]);
  assertAllEqualOnePass(second);
});

test('given a checkpoint whose bytes do not decode, when loading, then that projection is rebuilt from zero', async () => {
  const store = await storeWith(events);
  const checkpoints = new MemoryCheckpointStore();
  await checkpoints.save([{ name: 'elo', version: eloProjection.version, position: 10, state: new Uint8Array([0xc1]) }]);
  const runner = new ProjectionRunner(store, allProjections, { checkpoints });
  const report = await runner.load();
  assert.ok(report.fromZero.some((z) => z.name === 'elo' && z.reason === 'unreadable'));
  await runner.catchUp();
  assertAllEqualOnePass(runner);
});

test('given a runner following a store, when events are appended and it is stopped, then it folded them and saved its position', async () => {
  const store = await storeWith(events.slice(0, 10));
  const checkpoints = new MemoryCheckpointStore();
  const runner = new ProjectionRunner(store, allProjections, { checkpoints, checkpointEvery: 100, checkpointBytesPerEvent: 0 });
  const stop = new AbortController();
  const following = runner.follow(stop.signal);
  const waitFor = async (position: number) => {
    const until = Date.now() + 5000;
    while (runner.position < position && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
  };
  await waitFor(10); // caught up: from here on, events arrive through the live subscription
  const savesWhenLive = checkpoints.saves;
  for (let i = 10; i < events.length; i += 50) {
    await store.appendToStream(runStream('rr'), events.slice(i, i + 50));
    await waitFor(Math.min(events.length, i + 50));
  }
  const deadline = Date.now() + 5000;
  while (runner.position < events.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  stop.abort();
  await following;
  assertAllEqualOnePass(runner);
  const saved = await checkpoints.load(allProjections.map((p) => p.name));
  assert.equal(saved.map((c) => c.position), allProjections.map(() => events.length));
  assert.ok(checkpoints.saves > savesWhenLive + 2, 'checkpoints were saved along the way while live');
});

test('given states that grow, when catching up with periodic checkpoints, then saves grow rarer with the size of the last one', async () => {
  const store = await storeWith(events);
  const fixed = new MemoryCheckpointStore();
  await new ProjectionRunner(store, allProjections, { checkpoints: fixed, checkpointEvery: 10, checkpointBytesPerEvent: 0, pageSize: 10 }).catchUp();
  const bySize = new MemoryCheckpointStore();
  const runner = new ProjectionRunner(store, allProjections, { checkpoints: bySize, checkpointEvery: 10, pageSize: 10 });
  await runner.catchUp();
  // Every 10 events: about one save per page.
  assert.ok(fixed.saves >= Math.floor(events.length / 10), `${fixed.saves} fixed saves for ${events.length} events`);
  // By size: far fewer, yet the state saved last is the whole fold.
  assert.ok(bySize.saves >= 2 && bySize.saves < fixed.saves / 4, `${bySize.saves} saves by size vs ${fixed.saves} fixed`);
  assertAllEqualOnePass(runner);
  const saved = await bySize.load(allProjections.map((p) => p.name));
  assert.equal(saved.map((c) => c.position), allProjections.map(() => events.length));
});

test('given states that grow faster than the bytes-per-event budget, when catching up from zero, then only the first periodic save and the final one are written', async () => {
  const store = await storeWith(events);
  const checkpoints = new MemoryCheckpointStore();
  const runner = new ProjectionRunner(store, allProjections, { checkpoints, checkpointEvery: 10, pageSize: 10 });
  await runner.catchUp();
  // The states grow by far more than 10 bytes per event, so a save along the way would cost more than a tenth of the folding since.
  assert.is(checkpoints.saves, 2);
  assertAllEqualOnePass(runner);
});

test('given a state that stays small, when catching up with periodic checkpoints by size, then it is saved every checkpointEvery events', async () => {
  const store = await storeWith(events);
  const counter: Projection<{ runs: Record<string, never>; n: number }> = {
    name: 'counter',
    version: 1,
    initialState: () => ({ runs: {}, n: 0 }),
    evolve: (state) => ({ runs: state.runs, n: Math.min(state.n + 1, 99) }),
  };
  const checkpoints = new MemoryCheckpointStore();
  await new ProjectionRunner(store, [counter], { checkpoints, checkpointEvery: 10, pageSize: 10 }).catchUp();
  assert.ok(checkpoints.saves >= Math.floor(events.length / 10), `${checkpoints.saves} saves for ${events.length} events`);
});

test('given events out of order or two projections of one name, when folding, then the runner refuses', async () => {
  const store = await storeWith(events.slice(0, 5));
  const runner = new ProjectionRunner(store, allProjections);
  const [, second] = await store.readAll();
  assert.throws(() => runner.apply(second!), /position 0 and was given position 2/);
  assert.throws(() => new ProjectionRunner(store, [eloProjection, eloProjection]), /two projections are named elo/);
});

test('given a SQLite checkpoint save that fails half-way, when loading, then the earlier checkpoints are untouched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aurora-ckpt-'));
  try {
    const path = join(dir, 'events.db');
    const store = await openStore(`sqlite:${path}`);
    const checkpoints = await openCheckpointStore(`sqlite:${path}`, store);
    assert.ok(checkpoints instanceof SqliteCheckpointStore, 'a SQLite store gets its checkpoints in the same file');
    const good: Checkpoint = { name: 'a', version: 1, position: 5, state: encodeCanonical({ n: 1 }) };
    await checkpoints.save([good]);
    const broken = { name: 'b', version: 1, position: null, state: new Uint8Array() } as unknown as Checkpoint;
    await rejects(checkpoints.save([{ ...good, position: 9 }, broken]));
    assert.equal((await checkpoints.load(['a', 'b'])).map((c) => c.position), [5]);
    // Written through the event store's own connection: the table sits in the events file.
    const tables = (store as SqliteEventStore).db.prepare(`SELECT name FROM sqlite_master WHERE name = 'aurora_projection_checkpoints'`).all();
    assert.is(tables.length, 1);
    await checkpoints.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('given a SQLite checkpoint store, when the runner saves, then it encodes each state as it is written and the saved bytes are the states', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aurora-ckpt-'));
  try {
    const path = join(dir, 'events.db');
    const store = await storeWith(events, await openStore(`sqlite:${path}`));
    const sqlite = (await openCheckpointStore(`sqlite:${path}`, store)) as SqliteCheckpointStore;
    const encodedWhileSaving: string[] = [];
    const spied: CheckpointStore = {
      load: (names) => sqlite.load(names),
      clear: (names) => sqlite.clear(names),
      close: () => sqlite.close(),
      save: () => Promise.reject(new Error('the runner should encode as it saves')),
      saveEncodingEach: (pending) =>
        sqlite.saveEncodingEach(
          pending.map((c) => ({ ...c, encode: () => (encodedWhileSaving.push(c.name), c.encode()) })),
        ),
    };
    const runner = new ProjectionRunner(store, allProjections, { checkpoints: spied });
    await runner.catchUp();
    assert.equal(encodedWhileSaving, allProjections.map((p) => p.name));
    const saved = await sqlite.load(allProjections.map((p) => p.name));
    for (const c of saved) assert.equal(c.state, encodeCanonical(expected.get(c.name)), c.name);
    // Atomic as save is: a state that fails to encode half-way leaves every checkpoint as it was.
    const [first, second] = allProjections.map((p) => p.name);
    await rejects(
      sqlite.saveEncodingEach([
        { name: first!, version: 1, position: 1, encode: () => new Uint8Array([1]) },
        { name: second!, version: 1, position: 1, encode: () => encodeCanonical(Number.NaN) },
      ]),
    );
    assert.equal((await sqlite.load([first!, second!])).map((c) => c.position), [events.length, events.length]);
    await sqlite.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('given a memory store URL, when opening its checkpoint store, then checkpoints live in memory', async () => {
  const store = await openStore('memory:');
  assert.ok((await openCheckpointStore('memory:', store)) instanceof MemoryCheckpointStore);
  await store.close();
});

if (postgresOff) {
  console.log('postgres checkpoint tests not run: AURORA_TEST_POSTGRES_URL=off');
} else {
  test('given a PostgreSQL store, when folded with restarts, then checkpoints sit in its schema and every state equals one pass', async () => {
    const schema = testSchema();
    const url = storeUrl(schema);
    try {
      const store = await storeWith(events.slice(0, half), await openStore(url));
      const checkpoints = await openCheckpointStore(url, store);
      assert.ok(checkpoints instanceof PostgresCheckpointStore);
      const first = new ProjectionRunner(store, allProjections, { checkpoints, checkpointEvery: 97, checkpointBytesPerEvent: 0, pageSize: 61 });
      await first.catchUp();
      await store.appendToStream(runStream('rr'), events.slice(half));
      await checkpoints.close();
      const again = await openCheckpointStore(url, store);
      const second = new ProjectionRunner(store, allProjections, { checkpoints: again });
      const report = await second.load();
      assert.equal(report.restored.map((r) => r.position), allProjections.map(() => half));
      await second.catchUp();
      assertAllEqualOnePass(second);
      // Atomic: a batch with a bad row saves nothing.
      const bad = { name: 'x', version: 1, position: null, state: new Uint8Array() } as unknown as Checkpoint;
      await rejects(again.save([{ name: 'elo', version: 1, position: 1, state: new Uint8Array([1]) }, bad]));
      assert.is((await again.load(['elo']))[0]!.position, events.length);
      await again.close();
      await store.close();
    } finally {
      await dropSchema(schema);
    }
  });
}

test.run();
