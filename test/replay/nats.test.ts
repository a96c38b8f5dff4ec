// A run made over NATS by `aurora run --nats` with worker processes (one attacker, one defender, three
// simulators) against a real nats-server replays exactly in-process, and has the fingerprints of the same
// run made in-process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../events/open-store.js';
import { startNatsServer, type NatsServerProcess } from '../support/nats-process.js';
import { startWorker, type WorkerProcess } from '../support/worker-process.js';
import { aurora, fingerprints, readRun, tempDir, tinyConfig } from './support/runs.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const temp = tempDir('aurora-replay-nats-');
let server: NatsServerProcess;
let workers: WorkerProcess[] = [];

test.before(async () => {
  server = await startNatsServer();
  workers = await Promise.all(
    ['attacker', 'defender', 'simulator', 'simulator', 'simulator'].map((role) => startWorker({ role, url: server.url })),
  );
});

test.after(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  await server?.stop();
  temp.remove();
});

/** `aurora run` as its own process; resolves with its exit code and output. */
function runProcess(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (b: Buffer) => (out += b));
    child.stderr!.on('data', (b: Buffer) => (err += b));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

test('given a run over NATS with several simulator workers, when replayed in-process, then every event matches, and it equals the in-process run', async () => {
  const config = join(temp.dir, 'config.json');
  writeFileSync(config, JSON.stringify({ ...tinyConfig, timeouts: { requestMs: 20_000, retries: 2 } }));
  const overNats = `sqlite:${join(temp.dir, 'nats.db')}`;
  const inProcess = `sqlite:${join(temp.dir, 'in-process.db')}`;

  const run = await runProcess(['--nats', server.url, '--store', overNats, '--seed', '11', '--config', config, '--json']);
  assert.is(run.code, 0, run.err);
  const { runId } = JSON.parse(run.out);
  const served = workers.filter((w) => w.events.some((e) => e.event === 'ready'));
  assert.is(served.length, 5);

  const replay = await aurora('replay', runId, '--store', overNats, '--json');
  assert.is(replay.code, 0, replay.out);
  const result = JSON.parse(replay.out);
  assert.equal([result.status, result.matched === result.events], ['identical', true]);

  const local = await aurora('run', '--store', inProcess, '--seed', '11', '--config', config, '--json');
  assert.is(local.code, 0, local.err);
  assert.is(JSON.parse(local.out).runId, runId, 'the same seed and configuration name the same run');
  const a = await openStore(overNats);
  const b = await openStore(inProcess);
  try {
    assert.equal(fingerprints(await readRun(a, runId)), fingerprints(await readRun(b, runId)));
  } finally {
    await a.close();
    await b.close();
  }
});

test.run();
