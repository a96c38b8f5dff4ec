// For every projection: folding a store in chunks, with checkpoints, restarts and a crash between
// checkpoints, gives exactly the state of one pass from zero (and of `rebuild`), byte for byte once encoded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuroraEvent } from '../../events/catalogue.js';
import { encodeCanonical } from '../../events/codec.js';
import { openMemoryStore } from '../../events/adapters/memory.js';
import { openSqliteStore } from '../../events/adapters/sqlite.js';
import { runStream, type EventStore } from '../../events/store.js';
import { allProjections } from '../../projections/all.js';
import { MemoryCheckpointStore, type CheckpointStore } from '../../projections/checkpoint-store.js';
import { SqliteCheckpointStore } from '../../projections/checkpoints-sqlite.js';
import { fold } from '../../projections/fold.js';
import { ProjectionRunner } from '../../projections/runner.js';
import { rngFor } from '../../sim/random.js';
import { syntheticRun } from '../../src/bench/synthetic-run.js';

/** Two runs interleaved iteration by iteration, as two controllers sharing a store would write them. */
function workload(): { stream: string; events: AuroraEvent[] }[] {
  const a = [...syntheticRun({ runId: 'ra', iterations: 12, seed: 1 })];
  const b = [...syntheticRun({ runId: 'rb', iterations: 9, seed: 2, end: 'stopped', config: { elo: { k: 24 }, curriculum: { window: 10 } } })];
  const batches: { stream: string; events: AuroraEvent[] }[] = [];
  const byIteration = (events: AuroraEvent[], stream: string) => {
    const out: { stream: string; events: AuroraEvent[] }[] = [];
    for (const e of events) {
      const last = out[out.length - 1];
      if (last && last.events[0]!.metadata.iteration === e.metadata.iteration) last.events.push(e);
      else out.push({ stream, events: [e] });
    }
    return out;
  };
  const aa = byIteration(a, runStream('ra'));
  const bb = byIteration(b, runStream('rb'));
  for (let i = 0; i < Math.max(aa.length, bb.length); i++) {
    if (aa[i]) batches.push(aa[i]!);
    if (bb[i]) batches.push(bb[i]!);
  }
  return batches;
}

const batches = workload();
const allEvents = batches.flatMap((b) => b.events);
const onePass = new Map(allProjections.map((p) => [p.name, fold(p, allEvents)]));

/**
 * Appends the batches a few at a time; after each append a fresh runner (a restart) loads the
 * checkpoints and catches up with small pages and frequent checkpoints. Every third time, it instead
 * folds part of the new events by hand, checkpoints, folds some more and is dropped without saving
 * (a crash): the next runner must redo that work from the checkpoint.
 */
async function incremental(store: EventStore, checkpoints: CheckpointStore, seed: number): Promise<ProjectionRunner> {
  const rng = rngFor(seed, 'chunks');
  let runner: ProjectionRunner | null = null;
  let restarts = 0;
  for (let i = 0; i < batches.length; ) {
    const take = rng.int(1, 4);
    for (const b of batches.slice(i, i + take)) await store.appendToStream(b.stream, b.events);
    i += take;
    runner = new ProjectionRunner(store, allProjections, { checkpoints, pageSize: rng.int(7, 300), checkpointEvery: rng.int(1, 500), checkpointBytesPerEvent: 0 });
    await runner.load();
    if (++restarts % 3 === 0) {
      const pending = await store.readAll({ fromPosition: runner.position + 1 });
      const cut = rng.int(0, pending.length);
      for (const e of pending.slice(0, cut)) runner.apply(e);
      await runner.checkpoint();
      for (const e of pending.slice(cut)) runner.apply(e);
      continue; // crash: no save of the rest
    }
    await runner.catchUp();
  }
  runner = new ProjectionRunner(store, allProjections, { checkpoints });
  await runner.load();
  await runner.catchUp();
  return runner;
}

function assertSameStates(runner: ProjectionRunner, label: string): void {
  for (const p of allProjections) {
    const expected = onePass.get(p.name);
    assert.equal(runner.state(p), expected, `${label}: ${p.name}`);
    assert.equal(encodeCanonical(runner.state(p)), encodeCanonical(expected), `${label}: ${p.name} bytes`);
    assert.is(runner.positionOf(p), allEvents.length);
  }
}

for (const projection of allProjections) {
  test(`given a store folded in chunks with restarts and a crash, when compared with one pass from zero, then the ${projection.name} states are equal`, async () => {
    const store = openMemoryStore();
    const runner = await incremental(store, new MemoryCheckpointStore(), projection.name.length);
    const state = runner.state(projection);
    assert.equal(state, onePass.get(projection.name));
    assert.equal(encodeCanonical(state), encodeCanonical(onePass.get(projection.name)));
    // And a rebuild from zero on the same store gives it again.
    const rebuilt = new ProjectionRunner(store, [projection]);
    await rebuilt.rebuild();
    assert.equal(rebuilt.state(projection), state);
    await store.close();
  });
}

test('given a SQLite store with checkpoints in its own database, when folded with restarts, then every state equals one pass', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aurora-rebuild-'));
  try {
    const path = join(dir, 'events.db');
    const store = openSqliteStore(path);
    const checkpoints = new SqliteCheckpointStore(store.db);
    const runner = await incremental(store, checkpoints, 99);
    assertSameStates(runner, 'sqlite');
    await store.close();
    // The checkpoints outlive the process: reopening the file restores them without reading any event.
    const reopened = openSqliteStore(path);
    const restored = new ProjectionRunner(reopened, allProjections, { checkpoints: new SqliteCheckpointStore(reopened.db) });
    const report = await restored.load();
    assert.is(report.fromZero.length, 0);
    assert.equal((await restored.catchUp()).events, 0);
    assertSameStates(restored, 'sqlite reopened');
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('given the verifications, when run over the workload, then the recorded ratings and advances agree with the folds', async () => {
  const { verifyRatings } = await import('../../projections/elo.js');
  const { verifyCurriculum } = await import('../../projections/curriculum.js');
  assert.is(verifyRatings(allEvents), null);
  assert.is(verifyCurriculum(allEvents), null);
});

test.run();
