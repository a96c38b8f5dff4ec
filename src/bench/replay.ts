// Replay benchmark: records a self-play run (in-process roles, offline minds, a SQLite store in a temp dir,
// as `aurora run` does), times it, replays it (`aurora replay`: re-execution in a fresh in-memory store,
// every event's fingerprint compared with the recorded one) and prints the ratio replay time / original
// time. Replay redoes all the run's work and adds reading the log and one fingerprint per event, so the
// ratio is expected near 1; far above 1 means comparing costs more than running. AURORA_BENCH_QUICK=1:
// a shorter run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSelfPlay } from '../../actors/self-play.js';
import { openSqliteStore } from '../../events/adapters/sqlite.js';
import { replayRun } from '../replay/replay.js';
import { openInProcess } from '../wiring/open-transport.js';

const quick = process.env.AURORA_BENCH_QUICK === '1';

/** CPU time (user + system) since `start`, in ms: wall time alone says little on a busy machine. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export async function run(): Promise<void> {
  const config = { iterations: quick ? 3 : 8 }; // otherwise the defaults: 5 scenarios × 3 candidates an iteration
  const dir = mkdtempSync(join(tmpdir(), 'aurora-bench-replay-'));
  try {
    const store = openSqliteStore(join(dir, 'events.db'));
    const roles = await openInProcess();
    globalThis.gc?.();
    const began = performance.now();
    const cpuBefore = process.cpuUsage();
    await runSelfPlay({ store, requester: roles, runId: 'bench', seed: 1, config, codeVersion: 'bench' });
    const recordMs = performance.now() - began;
    const recordCpuMs = cpuMs(cpuBefore);
    await roles.close();
    const events = await store.headPosition();

    globalThis.gc?.();
    const replayCpuBefore = process.cpuUsage();
    const result = await replayRun({ store, runId: 'bench' });
    const replayCpuMs = cpuMs(replayCpuBefore);
    await store.close();
    if (result.status !== 'identical') throw new Error(`the benchmark run did not replay exactly: ${JSON.stringify(result.mismatch ?? result.failure)}`);
    const replayMs = result.seconds * 1000;
    const rate = (ms: number) => `${Math.round((events / ms) * 1000).toLocaleString('en-US')} events/s`;
    process.stdout.write(`  run of ${config.iterations} iterations (default configuration otherwise): ${events} events\n`);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    process.stdout.write(`  original run (SQLite, in-process roles): ${s(recordMs)} wall, ${s(recordCpuMs)} CPU (${rate(recordMs)})\n`);
    process.stdout.write(`  replay (read, re-execute, compare every fingerprint): ${s(replayMs)} wall, ${s(replayCpuMs)} CPU (${rate(replayMs)})\n`);
    process.stdout.write(`  ratio replay / original: ${(replayMs / recordMs).toFixed(2)} wall time, ${(replayCpuMs / recordCpuMs).toFixed(2)} CPU time\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
