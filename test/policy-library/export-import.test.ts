// `aurora policy export | import` end to end on a SQLite store: a run's champion comes out as a record
// with its provenance, goes back in (to the local library or to a run that is not completed) as the
// same policy, and anything malformed or non-compiling is refused with one line, exit 2, nothing stored.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventRecorder } from '../../actors/event-recorder.js';
import { openStore } from '../../events/open-store.js';
import { runStream } from '../../events/store.js';
import { baselines } from '../../sim/baselines/index.js';
import type { PolicyDocument } from '../../sim/policy/document.js';
import { loadPolicies } from '../../src/commands/eval.js';
import { PolicyRecord, recordProblem } from '../../src/eval/policy-record.js';
import { auroraHere } from '../eval/support.js';

const dir = mkdtempSync(join(tmpdir(), 'aurora-policy-'));
const store = `sqlite:${join(dir, 'runs.db')}`;
const library = join(dir, 'library');
const previous = process.env.AURORA_LIBRARY;
process.env.AURORA_LIBRARY = library;
test.after(() => {
  if (previous === undefined) delete process.env.AURORA_LIBRARY;
  else process.env.AURORA_LIBRARY = previous;
  rmSync(dir, { recursive: true, force: true });
});

const evolved: PolicyDocument = {
  name: 'p-1-0',
  explain: 'an evolved policy',
  order: 'sjf',
  filter: 'node.free_cores_after >= 0 and node.free_memory_after >= 0',
  score: '-node.free_cores_after - 0.5 * node.latency',
  author: 'defender:offline',
};

/** A run with a baseline and one evolved policy; completed (naming the champion) or not. */
async function makeRun(runId: string, completed: boolean): Promise<void> {
  const s = await openStore(store);
  try {
    const r = new EventRecorder(runId, 0, `start-${runId}`, () => {}, 'start');
    const started = r.record('RunStarted', { runId, seed: 17, config: { iterations: 1, domain: 'edge' }, codeVersion: 'aurora test (abc)', mind: 'offline' });
    r.record('PolicyProposed', { policyId: 'b-best-fit', policy: baselines['best-fit']!, parents: [], operator: 'baseline', author: 'baseline', rationale: '', scenarioId: null }, started.metadata.eventId);
    r.record('PolicyProposed', { policyId: 'p-1-0', policy: evolved, parents: ['b-best-fit'], operator: 'mutate:constant', author: 'defender:offline', rationale: 'test', scenarioId: null });
    if (completed) r.record('RunCompleted', { iterations: 1, champion: 'p-1-0', summary: {} });
    await s.appendToStream(runStream(runId), r.events, { expected: 'no_stream' });
  } finally {
    await s.close();
  }
}

async function streamLength(runId: string): Promise<number> {
  const s = await openStore(store);
  try {
    return (await s.readStream(runStream(runId), { maxCount: 1000 })).length;
  } finally {
    await s.close();
  }
}

const libraryFiles = () => (existsSync(library) ? readdirSync(library).sort() : []);

test('given a completed run, when its champion is exported, then the record carries the policy and the run id, seed, config and code version', async () => {
  await makeRun('done', true);
  const out = join(dir, 'champion.json');
  const r = await auroraHere('policy', 'export', 'done', '--store', store, '--out', out);
  assert.is(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(out, 'utf8'));
  assert.is(recordProblem(json), null);
  const record = PolicyRecord.parse(json);
  assert.equal(record.policy, evolved);
  assert.is(record.provenance.source, 'run');
  assert.is(record.provenance.runId, 'done');
  assert.is(record.provenance.policyId, 'p-1-0');
  assert.is(record.provenance.seed, 17);
  assert.equal(record.provenance.config, { iterations: 1, domain: 'edge' });
  assert.is(record.provenance.codeVersion, 'aurora test (abc)');
  assert.is(record.provenance.trainingSuite, 'self-play:edge');
  assert.is(record.provenance.domain, 'edge');
  // --id exports another policy, to stdout.
  const b = await auroraHere('policy', 'export', 'done', '--store', store, '--id', 'b-best-fit');
  assert.is(b.code, 0, b.stderr);
  assert.equal(JSON.parse(b.stdout).policy, baselines['best-fit']);
});

test('given an exported record, when imported without a run, then it is in the local library and library:<name> gives back the same policy', async () => {
  const out = join(dir, 'champion.json');
  const r = await auroraHere('policy', 'import', out, '--name', 'round-trip');
  assert.is(r.code, 0, r.stderr);
  assert.ok(libraryFiles().includes('round-trip.json'));
  const [loaded] = await loadPolicies(['library:round-trip']);
  assert.equal(loaded!.document, evolved);
  const list = await auroraHere('policy', 'list', '--json');
  const entries = JSON.parse(list.stdout) as { name: string; where: string; valid: boolean }[];
  assert.ok(entries.some((e) => e.name === 'round-trip' && e.where === 'local' && e.valid));
  // The same name again is refused: names are unique across the shipped and local libraries.
  const again = await auroraHere('policy', 'import', out, '--name', 'round-trip');
  assert.is(again.code, 2);
  assert.match(again.stderr, /already has 'round-trip'/);
});

test('given a run that is not completed, when a record is imported into it, then PolicyImported with the same policy is appended; a second import of the name is refused', async () => {
  await makeRun('open', false);
  const before = await streamLength('open');
  const r = await auroraHere('policy', 'import', join(dir, 'champion.json'), '--run', 'open', '--store', store, '--name', 'from-done');
  assert.is(r.code, 0, r.stderr);
  const s = await openStore(store);
  try {
    const events = await s.readStream(runStream('open'), { maxCount: 1000 });
    assert.is(events.length, before + 1);
    const e = events.at(-1)!;
    assert.is(e.type, 'PolicyImported');
    const data = e.data as { policyId: string; policy: PolicyDocument; source: { library: string; provenance: { runId: string } }; rating: null };
    assert.is(data.policyId, 'i-from-done');
    assert.equal(data.policy, evolved);
    assert.is(data.source.provenance.runId, 'done');
    assert.is(e.metadata.runId, 'open');
  } finally {
    await s.close();
  }
  const again = await auroraHere('policy', 'import', join(dir, 'champion.json'), '--run', 'open', '--store', store, '--name', 'from-done');
  assert.is(again.code, 2);
  assert.is(await streamLength('open'), before + 1);
});

test('given bad input, when export or import runs, then one line on stderr, exit 2, and nothing is stored', async () => {
  const notJson = join(dir, 'not.json');
  writeFileSync(notJson, '{ "name": ');
  const noCompile = join(dir, 'nocompile.json');
  writeFileSync(noCompile, JSON.stringify({ name: 'broken', score: '-node.free_cores_aftr' }));
  const badRecord = join(dir, 'badrecord.json');
  const good = JSON.parse(readFileSync(join(dir, 'champion.json'), 'utf8'));
  writeFileSync(badRecord, JSON.stringify({ ...good, provenance: { ...good.provenance, domain: 'mars' } }));
  const binpackInRun = join(dir, 'binpack-only.json');
  writeFileSync(binpackInRun, JSON.stringify({ name: 'weird', score: 'node.latency', filter: 'true' }));
  const before = { files: libraryFiles(), open: await streamLength('open'), done: await streamLength('done') };
  const cases: [string[], RegExp][] = [
    [['import', notJson], /not\.json: /],
    [['import', noCompile], /does not compile: .*node\.free_cores_aftr/],
    [['import', noCompile, '--run', 'open', '--store', store], /does not compile/],
    [['import', badRecord], /provenance\.domain/],
    [['import', join(dir, 'champion.json'), '--run', 'done', '--store', store, '--name', 'x'], /has completed/],
    [['import', join(dir, 'champion.json'), '--run', 'nope', '--store', store], /run nope is not in/],
    [['import', binpackInRun, '--domain', 'binpack'], /does not compile/],
    [['export', 'nope', '--store', store], /run nope is not in/],
    [['export', 'done', '--store', store, '--id', 'p-9'], /has no policy 'p-9'/],
    [['export', 'done', '--store', store, '--champion', '--id', 'p-1-0'], /not both/],
    [['bogus'], /unknown sub-command 'bogus'/],
  ];
  for (const [args, message] of cases) {
    const r = await auroraHere('policy', ...args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.equal(libraryFiles(), before.files);
  assert.is(await streamLength('open'), before.open);
  assert.is(await streamLength('done'), before.done);
});

test.run();
