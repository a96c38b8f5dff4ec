import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../events/open-store.js';
import { runStream } from '../../events/store.js';
import { main } from '../../src/cli.js';
import { syntheticRun } from '../../src/bench/synthetic-run.js';
import { allProjections } from '../../projections/all.js';

/** Runs `aurora …` in this process, capturing what it writes. */
async function aurora(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'aurora-projections-cli-'));
const url = `sqlite:${join(dir, 'events.db')}`;
const events = [...syntheticRun({ runId: 'cli', iterations: 8, seed: 4 })];

test('given a store with a run, when rebuilding with --json, then every projection reaches the head and the run is summarised', async () => {
  const store = await openStore(url);
  await store.appendToStream(runStream('cli'), events);
  await store.close();
  const { code, out } = await aurora('projections', 'rebuild', '--store', url, '--json');
  assert.is(code, 0);
  const result = JSON.parse(out);
  assert.is(result.folded, events.length);
  assert.ok(result.projections.every((p: { position: number }) => p.position === events.length));
  const [run] = result.runs;
  assert.equal([run.runId, run.status, run.iterations, run.events], ['cli', 'completed', 8, events.length]);
  assert.ok(run.ladder.length > 0 && run.pareto.hypervolume > 0 && run.library.policies > 0 && run.archive.scenarios === 40);
});

test('given saved checkpoints, when showing, then nothing is folded again and the summary is the same', async () => {
  const rebuilt = JSON.parse((await aurora('projections', 'rebuild', '--store', url, '--json')).out);
  const { code, out } = await aurora('projections', 'show', '--store', url, '--json');
  assert.is(code, 0);
  const shown = JSON.parse(out);
  assert.is(shown.folded, 0);
  assert.equal(shown.restored.map((r: { position: number }) => r.position), rebuilt.projections.map(() => events.length));
  assert.equal(shown.runs, rebuilt.runs);
});

test('given human output, when rebuilding, then it prints one block per run', async () => {
  const { code, out } = await aurora('projections', 'rebuild', '--store', url);
  assert.is(code, 0);
  assert.match(out, new RegExp(`rebuilt ${allProjections.length} projections: folded \\d+ events`));
  assert.match(out, /run cli {2}completed {2}8 iterations/);
  assert.match(out, /Pareto: \d+ policies on the overall front, hypervolume/);
});

test('given bad input, when running, then it exits 2 with one line', async () => {
  const bad = await aurora('projections', 'rebuilt', '--store', url);
  assert.is(bad.code, 2);
  assert.is(bad.err.trim().split('\n').length, 1);
  assert.match(bad.err, /expected 'rebuild' or 'show'/);
  const badUrl = await aurora('projections', 'rebuild', '--store', 'mysql://x');
  assert.is(badUrl.code, 2);
  const relayBad = await aurora('relay', '--nats', 'not a url');
  assert.is(relayBad.code, 2);
});

test('cleanup', () => rmSync(dir, { recursive: true, force: true }));

test.run();
