// Projections benchmark: rebuild every projection from a SQLite store of 1 000 000 realistic events
// (scenarios, candidate policies, evaluations, matches and rating changes, attacker rewards, curriculum
// steps, LLM calls; generated once into a temp file and reused by later runs). Goals: ≥ 200 000 events/s
// and under 500 MB resident. The rebuild runs as a user runs it, `aurora projections rebuild` in a process
// of its own (its peak RSS is the command's alone); each figure is printed beside its references, measured
// in this process right after over the same pages: a raw better-sqlite3 SELECT of the rows (nothing
// checked or decoded) and readAll (each event verified and decoded), without folding; wall-clock and CPU
// figures both. AURORA_BENCH_QUICK=1: 100 000 events.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AuroraEvent } from '../../events/catalogue.js';
import { openSqliteStore, type SqliteEventStore } from '../../events/adapters/sqlite.js';
import { encodeCanonical } from '../../events/codec.js';
import { runStream, type RecordedEvent } from '../../events/store.js';
import { allProjections } from '../../projections/all.js';
import { SqliteCheckpointStore } from '../../projections/checkpoints-sqlite.js';
import { fold } from '../../projections/fold.js';
import { ProjectionRunner } from '../../projections/runner.js';
import { syntheticRun } from './synthetic-run.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

// 2: MatchPlayed v2 (one round per scenario); 3: iterations shaped as the controller records them (every
// candidate on every scenario, baselines in the rounds: ~270 events per iteration as in a real run).
// A store made by an older generator is made again.
const GENERATOR_VERSION = 3;
const PAGE = 1024; // the runner's default page size; the reference reads the same pages

function fmtRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')} events/s`;
}

/** CPU time (user + system, all threads of the process) since `start`, in ms. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

/** Runs of synthetic self-play until `count` events, appended one iteration per transaction. */
async function generate(path: string, count: number): Promise<void> {
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  const store = openSqliteStore(partial);
  let written = 0;
  let runNo = 0;
  const started = performance.now();
  try {
    while (written < count) {
      runNo += 1;
      const runId = `bench-${runNo}`;
      let batch: AuroraEvent[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await store.appendToStream(runStream(runId), batch);
        written += batch.length;
        batch = [];
      };
      for (const event of syntheticRun({ runId, seed: runNo, iterations: 900, maxTasks: 40 })) {
        if (written + batch.length >= count) break;
        if (batch.length > 0 && batch[0]!.metadata.iteration !== event.metadata.iteration) await flush();
        batch.push(event);
      }
      await flush();
      process.stdout.write(`\r  generating: ${written.toLocaleString('en-US')} / ${count.toLocaleString('en-US')} events`);
    }
  } finally {
    await store.close();
  }
  process.stdout.write(`\r  generated ${written.toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(partial + suffix)) renameSync(partial + suffix, path + suffix);
}

/** The raw reference: the same rows in the same pages straight from better-sqlite3 (all eight columns as arrays), nothing checked or decoded. */
function rawSelect(store: SqliteEventStore): { events: number; ms: number; cpuMs: number } {
  const select = store.db
    .prepare<[number, number], unknown[]>(
      'SELECT position, stream, revision, event_id, type, bytes, fingerprint, recorded_at FROM aurora_events WHERE position >= ? ORDER BY position LIMIT ?',
    )
    .raw(true);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let events = 0;
  for (let from = 1; ; ) {
    const rows = select.all(from, PAGE);
    if (rows.length === 0) break;
    events += rows.length;
    from += rows.length;
  }
  return { events, ms: performance.now() - started, cpuMs: cpuMsSince(cpu) };
}

/** The reference: page through the store, decoding every event (fingerprint check included), folding nothing. */
async function readAndDecode(store: SqliteEventStore): Promise<{ events: number; ms: number; cpuMs: number; checksum: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let events = 0;
  let checksum = 0;
  for (let from = 1; ; ) {
    const page = await store.readAll({ fromPosition: from, maxCount: PAGE });
    if (page.length === 0) break;
    for (const e of page) checksum += e.position & 1; // touch each event so nothing is optimised away
    events += page.length;
    from = page[page.length - 1]!.position + 1;
  }
  return { events, ms: performance.now() - started, cpuMs: cpuMsSince(cpu), checksum };
}

/** What the child process running `aurora projections rebuild` reported. */
interface ChildRebuild {
  events: number;
  /** The rebuild itself (fold and checkpoints), as the command measures it. */
  ms: number;
  cpuMs: number;
  /** The whole command, start-up and printed summary included. */
  commandMs: number;
  /** Peak resident set size of the whole command (process.resourceUsage().maxRSS, bytes). */
  maxRss: number;
}

/**
 * The sources compiled as `npm ci` builds them (tsconfig.build.json) into a folder of the bench's own,
 * from the tree as it is now: a stale `dist/` would measure other code, and running from source through
 * tsx adds its compiler's memory (~35 MB) to a figure users never see. The folder sits inside the
 * repository so the compiled files find node_modules.
 */
function compileCli(): string {
  const outDir = join(repo, '.aurora', 'bench-build');
  rmSync(outDir, { recursive: true, force: true });
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', join(repo, 'tsconfig.build.json'), '--outDir', outDir], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`compiling the CLI for the rebuild failed: ${(built.stdout + built.stderr).trim().split('\n')[0]}`);
  return join(outDir, 'src', 'cli.js');
}

/**
 * The rebuild as a user runs it: `aurora projections rebuild --store sqlite:<path> --json`, compiled, in a
 * process of its own, so neither the generator's garbage nor the references count in its memory. It
 * reports its peak RSS on stderr after the command returns.
 */
function rebuildInChild(path: string, cli: string): Promise<ChildRebuild> {
  const script = [
    `import { main } from ${JSON.stringify(pathToFileURL(cli).href)};`,
    `process.exitCode = await main(['projections', 'rebuild', '--store', ${JSON.stringify(`sqlite:${path}`)}, '--json']);`,
    `process.stderr.write('\\nmaxRSS ' + process.resourceUsage().maxRSS + '\\n');`,
  ].join('\n');
  const started = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const commandMs = performance.now() - started;
      const rss = /maxRSS (\d+)/.exec(err);
      if (code !== 0 || rss === null) return reject(new Error(`aurora projections rebuild exited with ${code}: ${err.trim()}`));
      const report = JSON.parse(out) as { folded: number; seconds: number; cpuSeconds: number };
      resolve({ events: report.folded, ms: report.seconds * 1000, cpuMs: report.cpuSeconds * 1000, commandMs, maxRss: Number(rss[1]) * 1024 });
    });
  });
}

export async function run(): Promise<void> {
  const quick = process.env.AURORA_BENCH_QUICK === '1';
  const count = quick ? 100_000 : 1_000_000;
  const dir = join(tmpdir(), 'aurora-bench-projections');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `events-${count}-v${GENERATOR_VERSION}.db`);
  console.log(`projections: rebuild all ${allProjections.length} projections from ${count.toLocaleString('en-US')} events (SQLite ${path})`);
  if (!existsSync(path)) await generate(path, count);
  else console.log('  reusing the generated store (delete it to regenerate)');

  const store = openSqliteStore(path);
  try {
    const head = await store.headPosition();
    if (head !== count) throw new Error(`${path} holds ${head} events, expected ${count}: delete it to regenerate`);
    // Warm the OS page cache without touching JavaScript, so the first measurement does not pay the disk.
    store.db.prepare('SELECT sum(length(bytes)) FROM aurora_events').get();

    const cli = compileCli();
    const loadBefore = loadavg()[0]!;
    const rebuild = await rebuildInChild(path, cli);
    const rebuildRate = (rebuild.events / rebuild.ms) * 1000;
    // The references: the same pages read and decoded by the same store, folded into nothing; and the raw rows.
    const reference = await readAndDecode(store);
    const referenceRate = (reference.events / reference.ms) * 1000;
    const raw = rawSelect(store);
    const rawRate = (raw.events / raw.ms) * 1000;
    const loadAfter = loadavg()[0]!;

    // The checkpoints the child saved: their sizes, and what encoding them costs (each save encodes them all).
    const restored = new ProjectionRunner(store, allProjections, { checkpoints: new SqliteCheckpointStore(store.db) });
    const loaded = await restored.load();
    if (loaded.restored.length !== allProjections.length || restored.position !== count) throw new Error('the rebuild did not save every checkpoint at the head');
    const sizes: string[] = [];
    let stateBytes = 0;
    const encodeStarted = performance.now();
    for (const p of allProjections) {
      const n = encodeCanonical(restored.state(p)).length;
      stateBytes += n;
      sizes.push(`${p.name} ${mb(n)}`);
    }
    const encodeMs = performance.now() - encodeStarted;

    const perCpu = (events: number, cpuMs: number) => fmtRate((events / cpuMs) * 1000);
    console.log(
      `  (load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${availableParallelism()} CPUs: wall-clock rates fall when the machine is shared; rates per CPU-second do much less)`,
    );
    console.log(
      `  reference: raw better-sqlite3 SELECT        ${fmtRate(rawRate)} wall (${(raw.ms / 1000).toFixed(2)} s), ${perCpu(raw.events, raw.cpuMs)} per CPU-second (the rows as arrays: nothing checked or decoded)`,
    );
    console.log(
      `  reference: read and decode, no folding      ${fmtRate(referenceRate)} wall (${(reference.ms / 1000).toFixed(2)} s), ${perCpu(reference.events, reference.cpuMs)} per CPU-second`,
    );
    console.log(
      `  rebuild (aurora projections rebuild, own process): ${fmtRate(rebuildRate)} wall (${(rebuild.ms / 1000).toFixed(2)} s; whole command ${(rebuild.commandMs / 1000).toFixed(2)} s), ${perCpu(rebuild.events, rebuild.cpuMs)} per CPU-second of all its threads (the page-reading worker too) = ${(rebuildRate / referenceRate).toFixed(2)} × read-and-decode, ${(rebuildRate / rawRate).toFixed(2)} × raw SELECT (CPU: ${(raw.cpuMs / rebuild.cpuMs).toFixed(2)} ×); goal ≥ 200,000 events/s wall: ${rebuildRate >= 200_000 ? 'met' : 'NOT met'}`,
    );
    console.log(
      `  what the rebuild adds to read-and-decode: ${(((rebuild.cpuMs - reference.cpuMs) / rebuild.events) * 1000).toFixed(2)} CPU-µs/event (folding ${allProjections.length} projections, checkpointing); what read-and-decode adds to the raw SELECT: ${(((reference.cpuMs - raw.cpuMs) / reference.events) * 1000).toFixed(2)} CPU-µs/event (fingerprints, decoding, checks)`,
    );
    console.log(`  checkpoints: states ${mb(stateBytes)} encoded (${sizes.join(', ')}); one encode of them all ${encodeMs.toFixed(0)} ms`);
    console.log(
      `  memory: peak resident of the whole command ${mb(rebuild.maxRss)} (process.resourceUsage().maxRSS); goal < 500 MB: ${rebuild.maxRss < 500 * 2 ** 20 ? 'met' : 'NOT met'}`,
    );

    // Each projection on its own, over the first 100 000 events held in memory: what folding costs per projection.
    const sample: RecordedEvent[] = [];
    for (let from = 1; sample.length < 100_000; ) {
      const page = await store.readAll({ fromPosition: from, maxCount: PAGE });
      if (page.length === 0) break;
      sample.push(...page.slice(0, 100_000 - sample.length));
      from = page[page.length - 1]!.position + 1;
    }
    const parts = allProjections.map((p) => {
      fold(p, sample); // warm-up
      const t = performance.now();
      fold(p, sample);
      const ms = performance.now() - t;
      return `${p.name} ${fmtRate((sample.length / ms) * 1000)}`;
    });
    console.log(`  each projection alone, folding ${sample.length.toLocaleString('en-US')} in-memory events: ${parts.join(', ')}`);
  } finally {
    await store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
}
