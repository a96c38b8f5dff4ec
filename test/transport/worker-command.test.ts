// `aurora worker` refusing bad input with one line, as every command does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/nats-process.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

function worker(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker', ...args], {
    cwd: repo,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('given no or an unknown role, when the worker starts, then it says which roles exist and exits 2', () => {
  const r = worker(['--role', 'oracle']);
  assert.is(r.status, 2);
  assert.is(r.stderr, "aurora worker: --role must be one of attacker, defender, simulator, not 'oracle'\n");
  assert.is(worker([]).status, 2);
});

test('given a bad concurrency or mixed credentials, when the worker starts, then it exits 2 without echoing secrets', () => {
  assert.match(worker(['--role', 'simulator', '--concurrency', '0']).stderr, /--concurrency must be an integer ≥ 1/);
  const r = worker(['--role', 'simulator'], { AURORA_NATS_TOKEN: 'tok3n', AURORA_NATS_USER: 'u', AURORA_NATS_PASSWORD: 'p4ss' });
  assert.is(r.status, 2);
  assert.match(r.stderr, /more than one kind of NATS credentials/);
  assert.not.match(r.stderr, /tok3n|p4ss/);
});

test('given no server at the URL, when the worker starts, then it names the server and exits 1', async () => {
  const port = await freePort();
  const r = worker(['--role', 'simulator', '--nats', `nats://nobody:s3cret@127.0.0.1:${port}`]);
  assert.is(r.status, 1);
  assert.match(r.stderr, new RegExp(`aurora worker: cannot connect to NATS at nats://127\\.0\\.0\\.1:${port}`));
  assert.not.match(r.stderr, /s3cret/);
});

test.run();
