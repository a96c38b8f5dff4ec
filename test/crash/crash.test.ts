// Crash safety. `aurora run` as its own process on SQLite, killed with SIGKILL in the middle of an
// iteration, then `aurora run --resume` finishes it: the final log has no lost and no duplicated event,
// replays exactly, and has the fingerprints of the same run never interrupted. The same when the run is
// stopped with Ctrl-C instead (only its RunStopped differs), and when the NATS server of a run over NATS
// is killed with SIGKILL and restarted while the run goes on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openStore } from '../../events/open-store.js';
import type { RecordedEvent } from '../../events/store.js';
import { startNatsServer } from '../support/nats-process.js';
import { startWorker, type WorkerProcess } from '../support/worker-process.js';
import { aurora, fingerprints, readRun, tempDir } from '../replay/support/runs.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const temp = tempDir('aurora-crash-');
const configFile = join(temp.dir, 'config.json');
const SEED = '21';
const ITERATIONS = 6;
// About 0.2 s an iteration: a kill lands inside one. Short request time-outs bound a retry after an outage.
writeFileSync(
  configFile,
  JSON.stringify({
    iterations: ITERATIONS,
    scenariosPerIteration: 3,
    candidatesPerScenario: 2,
    incumbents: 2,
    evolveEvery: 2,
    curriculum: { window: 4, threshold: 0.5 },
    timeouts: { requestMs: 5_000, retries: 3 },
  }),
);

const children = new Set<ChildProcess>();
let reference: RecordedEvent[] = [];
let runId = '';

test.before(async () => {
  const url = `sqlite:${join(temp.dir, 'reference.db')}`;
  const { code, out, err } = await aurora('run', '--store', url, '--seed', SEED, '--config', configFile, '--json');
  assert.is(code, 0, err);
  runId = JSON.parse(out).runId;
  const store = await openStore(url);
  reference = await readRun(store, runId);
  await store.close();
});

test.after(() => {
  for (const child of children) child.kill('SIGKILL');
  temp.remove();
});

/** `aurora run …` as a process: its exit (code or signal) and output. */
function startRun(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => (out += b));
  child.stderr!.on('data', (b: Buffer) => (err += b));
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const stderr = () => err;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, out, err });
    }),
  );
  return { child, exited, stderr };
}

/** Polls the SQLite file (read-only, as another process would) until `iterations` iterations are committed. */
async function waitForIterations(path: string, iterations: number, run?: { stderr: () => string }, within = 60_000): Promise<number> {
  const until = Date.now() + within;
  for (;;) {
    try {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare(`SELECT COUNT(*) AS n FROM aurora_events WHERE type = 'IterationCompleted'`).get() as { n: number };
        if (row.n >= iterations) return row.n;
      } finally {
        db.close();
      }
    } catch {
      // not created yet
    }
    if (Date.now() > until) throw new Error(`fewer than ${iterations} iterations after ${within} ms\n${run?.stderr() ?? ''}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function readFinal(path: string): Promise<RecordedEvent[]> {
  const store = await openStore(`sqlite:${path}`);
  try {
    return await readRun(store, runId);
  } finally {
    await store.close();
  }
}

/** Asserts equal fingerprints, naming the first event that differs. */
function assertSameRun(actual: RecordedEvent[], expected: RecordedEvent[], what: string): void {
  const a = fingerprints(actual);
  const b = fingerprints(expected);
  const i = a.findIndex((x, k) => x !== b[k]);
  const where = i < 0 && a.length === b.length ? '' : `first difference at revision ${i < 0 ? Math.min(a.length, b.length) : i}: ${a[i] ?? '(none)'} vs ${b[i] ?? '(none)'} (lengths ${a.length}, ${b.length})`;
  assert.is(where, '', what);
}

/** No event lost or repeated: unique ids, every iteration completed once and in order, one RunCompleted at the end. */
function assertWhole(events: RecordedEvent[]): void {
  assert.is(new Set(events.map((e) => e.metadata.eventId)).size, events.length, 'no duplicated event id');
  assert.equal(events.map((e) => e.revision), events.map((_, i) => i), 'revisions 0..n-1');
  assert.equal(events.filter((e) => e.type === 'IterationCompleted').map((e) => e.metadata.iteration), Array.from({ length: ITERATIONS }, (_, i) => i + 1));
  assert.equal(events.filter((e) => e.type === 'RunCompleted').length, 1);
  assert.is(events.at(-1)!.type, 'RunCompleted');
}

test('given `aurora run` killed with SIGKILL in the middle of an iteration, when resumed, then the log is whole, replays exactly and equals the uninterrupted run', async () => {
  const path = join(temp.dir, 'killed.db');
  const run = startRun(['--store', `sqlite:${path}`, '--seed', SEED, '--config', configFile, '--json']);
  const done = await waitForIterations(path, 2, run);
  run.child.kill('SIGKILL');
  const killed = await run.exited;
  assert.is(killed.signal, 'SIGKILL');

  // What the crash left: whole iterations, no marker, not completed.
  const left = await readFinal(path);
  const completed = left.filter((e) => e.type === 'IterationCompleted').length;
  assert.ok(completed >= done && completed < ITERATIONS, `killed after ${completed} of ${ITERATIONS} iterations`);
  assert.is(left.at(-1)!.type, 'IterationCompleted', 'a crash leaves whole iterations only');
  assertSameRun(left, reference.slice(0, left.length), 'what was committed is what an uninterrupted run commits');

  const resumed = await startRun(['--resume', runId, '--store', `sqlite:${path}`, '--json']).exited;
  assert.is(resumed.code, 0, resumed.err);
  assert.is(JSON.parse(resumed.out).status, 'completed');

  const final = await readFinal(path);
  assertWhole(final);
  assertSameRun(final, reference, 'every event, fingerprint for fingerprint');
  const replay = await aurora('replay', runId, '--store', `sqlite:${path}`, '--json');
  assert.is(replay.code, 0, replay.out);
  assert.is(JSON.parse(replay.out).matched, final.length);
});

test('given `aurora run` stopped with SIGINT, when resumed, then only its RunStopped marker differs from the uninterrupted run, and it replays exactly', async () => {
  const path = join(temp.dir, 'interrupted.db');
  const run = startRun(['--store', `sqlite:${path}`, '--seed', SEED, '--config', configFile, '--json']);
  await waitForIterations(path, 1, run);
  run.child.kill('SIGINT');
  const stopped = await run.exited;
  assert.is(stopped.code, 0, stopped.err);
  assert.is(JSON.parse(stopped.out).status, 'stopped');

  const resumed = await startRun(['--resume', runId, '--store', `sqlite:${path}`, '--json']).exited;
  assert.is(resumed.code, 0, resumed.err);
  const final = await readFinal(path);
  assertWhole(final);
  const markers = final.filter((e) => e.type === 'RunStopped');
  assert.is(markers.length, 1);
  assert.equal([markers[0]!.data], [{ iteration: markers[0]!.metadata.iteration, reason: 'interrupted', detail: 'stopped on request' }]);
  assertSameRun(final.filter((e) => e.type !== 'RunStopped'), reference, 'all but the RunStopped marker');
  const replay = await aurora('replay', runId, '--store', `sqlite:${path}`, '--json');
  assert.is(replay.code, 0, replay.out);
  assert.is(JSON.parse(replay.out).resumes, 1);
});

test('given a run over NATS, when the NATS server is killed with SIGKILL and restarted during it, then the run completes whole and equals the in-process run', async () => {
  const server = await startNatsServer();
  let workers: WorkerProcess[] = [];
  try {
    workers = await Promise.all(['attacker', 'defender', 'simulator', 'simulator'].map((role) => startWorker({ role, url: server.url })));
    const path = join(temp.dir, 'nats.db');
    const run = startRun(['--nats', server.url, '--store', `sqlite:${path}`, '--seed', SEED, '--config', configFile, '--json']);
    await waitForIterations(path, 1, run);
    await server.kill9();
    await new Promise((r) => setTimeout(r, 500));
    await server.restart();
    await waitForIterations(path, 3, run); // requests flow again after the restart
    await server.kill9();
    await new Promise((r) => setTimeout(r, 300));
    await server.restart();
    const finished = await run.exited;
    assert.is(finished.code, 0, finished.err);
    assert.match(finished.err, /lost the NATS connection/, 'the run did see the outage');

    const final = await readFinal(path);
    assertWhole(final);
    assertSameRun(final, reference, 'the run over NATS, with two outages');
    const replay = await aurora('replay', runId, '--store', `sqlite:${path}`);
    assert.is(replay.code, 0, replay.out);
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
    await server.stop();
  }
});

test.run();
