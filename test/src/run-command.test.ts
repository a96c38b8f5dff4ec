// `aurora run` end to end: spawns the CLI, checks the summary, --json, Ctrl-C and --resume, and that bad
// input is one line, exit 2, with nothing appended.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../events/open-store.js';
import { runStream } from '../../events/store.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'aurora-run-command-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A short run: two scenarios of two candidates per iteration. */
const small = join(dir, 'small.json');
writeFileSync(small, JSON.stringify({ scenariosPerIteration: 2, candidatesPerScenario: 2, incumbents: 2 }));

function aurora(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

async function eventsOf(storeUrl: string, runId: string) {
  const store = await openStore(storeUrl);
  try {
    return await store.readStream(runStream(runId), { maxCount: Number.MAX_SAFE_INTEGER });
  } finally {
    await store.close();
  }
}

test('given --iterations 2 --seed 5 and a SQLite store, when run, then it exits 0 with progress and a summary naming the champion and the run id', async () => {
  const store = `sqlite:${join(dir, 'a.db')}`;
  const r = aurora('--iterations', '2', '--seed', '5', '--store', store);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  const out = lines(r.stdout);
  assert.match(out[0]!, /^iteration +1\/2 +level basic +best reward \d\.\d{4} +leader \S+ \(\d+\)/);
  assert.match(out[1]!, /^iteration +2\/2 /);
  const runId = /^run (\S+) completed: 2 iterations, 10 scenarios, \d+ events in/m.exec(r.stdout)?.[1];
  assert.ok(runId, r.stdout);
  assert.match(runId!, /-5$/);
  const champion = /^champion (\S+) \(/m.exec(r.stdout)?.[1];
  assert.ok(champion, r.stdout);
  assert.match(r.stdout, /^ {2}score {2}\S/m);
  assert.match(r.stdout, /champion vs best baseline \(/);
  assert.ok(out.at(-1)!.endsWith(`run id ${runId}`));
  // What it says is what it stored.
  const events = await eventsOf(store, runId!);
  const completed = events.at(-1)!;
  assert.is(completed.type, 'RunCompleted');
  assert.is((completed.data as { champion: string }).champion, champion);

  // The same command again would start the same run: refused, one line, exit 2, nothing appended.
  const again = aurora('--iterations', '2', '--seed', '5', '--store', store);
  assert.is(again.code, 2);
  assert.equal(lines(again.stderr), [`aurora run: run ${runId} already exists (use --resume to continue it)`]);
  assert.is((await eventsOf(store, runId!)).length, events.length);
});

test('given --json, when run, then stdout is one JSON object with the run id, status and champion', () => {
  const r = aurora('--iterations', '1', '--seed', '6', '--store', 'memory:', '--config', small, '--json');
  assert.is(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  assert.is(out.length, 1);
  const report = JSON.parse(out[0]!) as { runId: string; status: string; iterations: number; champion: { policyId: string; policy: { score: string } } };
  assert.match(report.runId, /-6$/);
  assert.is(report.status, 'completed');
  assert.is(report.iterations, 1);
  assert.type(report.champion.policy.score, 'string');
});

test('given a running run, when it gets SIGINT, then it stops after the iteration (exit 0), and --resume finishes it', async () => {
  const store = `sqlite:${join(dir, 'stop.db')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', '--iterations', '12', '--seed', '8', '--store', store, '--config', small], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    stdout += t;
    if (/iteration +1\/12/.test(stdout) && !signalled) signalled = child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.is(code, 0, stderr);
  const runId = /^run (\S+) stopped: (\d) iterations/m.exec(stdout);
  assert.ok(runId, stdout);
  assert.ok(Number(runId![2]) < 12);
  assert.match(stdout, /^champion \S+ \(/m, 'the champion so far');
  const stopped = await eventsOf(store, runId![1]!);
  assert.is(stopped.at(-1)!.type, 'RunStopped');

  const resumed = aurora('--resume', runId![1]!, '--store', store, '--json');
  assert.is(resumed.code, 0, resumed.stderr);
  const report = JSON.parse(resumed.stdout) as { status: string; iterations: number };
  assert.equal([report.status, report.iterations], ['completed', 12]);
  const events = await eventsOf(store, runId![1]!);
  assert.is(events.at(-1)!.type, 'RunCompleted');
  assert.equal(
    events.filter((e) => e.type === 'IterationCompleted').map((e) => e.metadata.iteration),
    Array.from({ length: 12 }, (_, i) => i + 1),
  );
});

test('given --resume of a run the store does not hold, when run, then one line and exit 2', async () => {
  const store = `sqlite:${join(dir, 'empty.db')}`;
  const r = aurora('--resume', 'r-nobody', '--store', store);
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.equal(lines(r.stderr), ['aurora run: run r-nobody does not exist in this store']);
  const s = await openStore(store);
  assert.is(await s.headPosition(), 0);
  await s.close();
});

test('given a bad --config file, when run, then one line naming the problem, exit 2, and no store is even opened', () => {
  const store = join(dir, 'never.db');
  const cases: [string, string, RegExp][] = [
    ['malformed.json', '{"iterations": 2,', /^aurora run: config .*malformed\.json is not valid JSON: /],
    ['unknown.json', JSON.stringify({ iterations: 2, bogus: true }), /^aurora run: invalid configuration: .*bogus/],
    ['nested.json', JSON.stringify({ curriculum: { window: 4, speed: 9 } }), /^aurora run: invalid configuration: curriculum: .*speed/],
    ['range.json', JSON.stringify({ curriculum: { startLevel: 6 } }), /^aurora run: invalid configuration: curriculum\.startLevel: /],
    ['null.json', 'null', /^aurora run: config .*null\.json must be a JSON object$/],
    ['baseline.json', JSON.stringify({ referenceBaselines: ['best-fit', 'best-guess'] }), /^aurora run: invalid configuration: referenceBaselines\.1: not a baseline/],
  ];
  for (const [name, text, expected] of cases) {
    const path = join(dir, name);
    writeFileSync(path, text);
    const r = aurora('--config', path, '--store', `sqlite:${store}`);
    assert.is(r.code, 2, name);
    assert.is(lines(r.stderr).length, 1, r.stderr);
    assert.match(lines(r.stderr)[0]!, expected);
    assert.is(r.stdout, '');
  }
  const missing = aurora('--config', join(dir, 'absent.json'), '--store', `sqlite:${store}`);
  assert.equal(lines(missing.stderr), [`aurora run: cannot read config ${join(dir, 'absent.json')}: ENOENT`]);
  assert.not.ok(existsSync(store), 'nothing was written anywhere');
});

test('given bad options, when run, then one line and exit 2', () => {
  const iterations = aurora('--iterations', '0', '--store', 'memory:');
  assert.is(iterations.code, 2);
  assert.equal(lines(iterations.stderr), ["aurora run: --iterations must be an integer ≥ 1, got '0'"]);
  const unknown = aurora('--iteration', '3', '--store', 'memory:');
  assert.is(unknown.code, 2);
  assert.is(lines(unknown.stderr).length, 1);
  const store = aurora('--store', 'ftp://example');
  assert.is(store.code, 2);
  assert.match(store.stderr, /^aurora run: event store URL 'ftp:\/\/example'/);
});

test.run();
