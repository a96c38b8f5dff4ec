// `aurora run --mind llm` as a user runs it (a child process with OPENAI_* in its environment): the run
// works against an OpenAI-compatible endpoint, stops on its budget and resumes, and the API key appears
// nowhere — not in stdout, stderr, the event store's files, nor in errors the server echoes it into.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScriptedServer, type Script } from './support/scripted-server.js';
import { runScript } from './support/llm-run.js';

const KEY = 'sk-cli-test-VERY-SECRET-fedcba9876543210';
const dir = mkdtempSync(join(tmpdir(), 'aurora-llm-cli-'));
const store = `sqlite:${join(dir, 'events.db')}`;
const configFile = join(dir, 'run.json');
writeFileSync(configFile, JSON.stringify({ scenariosPerIteration: 1, candidatesPerScenario: 2, evolveEvery: 1, llm: { retries: 0, prices: { 'cli-model': { prompt: 1, completion: 1 } } } }));

function aurora(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OPENAI_') && !k.startsWith('AURORA_'))) as Record<string, string>;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/** The run's answers, except that the first defender call is refused with the key echoed back. */
const script: Script = (r) =>
  r.role === 'defender' && r.index === 1
    ? { status: 401, body: { error: { message: `Incorrect API key provided: ${r.authorization?.slice(7)}` } } }
    : runScript(r);

function storeBytes(): Buffer {
  return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('events.db')).map((f) => readFileSync(join(dir, f))));
}

test('given OPENAI_* in the environment, when aurora run --mind llm runs, stops on its budget and resumes, then it works and the key is nowhere', async () => {
  const server = await startScriptedServer(script);
  try {
    const env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.url, AURORA_MODEL: 'cli-model' };
    const first = await aurora(['run', '--mind', 'llm', '--iterations', '3', '--seed', '4', '--store', store, '--config', configFile, '--budget-tokens', '700'], env);
    assert.is(first.code, 0, first.err);
    assert.match(first.out, /stopped: LLM budget reached/);
    assert.match(first.out, /LLM: \d+ calls, \d+ tokens/);
    const runId = /--resume (\S+)/.exec(first.out)?.[1];
    assert.ok(runId, first.out);
    assert.ok(server.requests.every((r) => r.authorization === `Bearer ${KEY}`), 'the key reached the endpoint');

    const resumed = await aurora(['run', '--resume', runId!, '--store', store, '--budget-tokens', '1000000', '--json'], env);
    assert.is(resumed.code, 0, resumed.err);
    const report = JSON.parse(resumed.out);
    assert.is(report.status, 'completed');
    assert.ok(report.llm.calls > 0 && report.llm.cost > 0);

    for (const text of [first.out, first.err, resumed.out, resumed.err]) {
      assert.not.match(text, KEY);
      assert.not.match(text, KEY.slice(-8));
    }
    const bytes = storeBytes();
    assert.ok(bytes.length > 0);
    assert.is(bytes.indexOf(KEY), -1);
    assert.is(bytes.indexOf(KEY.slice(-8)), -1);
    assert.ok(bytes.indexOf('Incorrect API key provided') >= 0, 'the echoed error was recorded, redacted');
  } finally {
    await server.close();
  }
});

test('given a key in the config file, when aurora run starts, then it refuses without repeating the key', async () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ llm: { models: { attacker: 'a', defender: 'd', evolver: 'e' }, apiKey: KEY } }));
  const { code, out, err } = await aurora(['run', '--mind', 'llm', '--store', 'memory:', '--config', bad], {});
  assert.is(code, 2);
  assert.match(err, /never configured in files/);
  assert.not.match(out + err, KEY);
});

test('given no model anywhere, when aurora run --mind llm starts, then it says how to name one', async () => {
  const { code, err } = await aurora(['run', '--mind', 'llm', '--store', 'memory:'], {});
  assert.is(code, 2);
  assert.match(err, /AURORA_MODEL/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
