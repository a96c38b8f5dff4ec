// Shared by the replay, audit, events, example and crash tests: a small run configuration, a run recorded
// in-process, the CLI run in this process with its output captured, and fingerprints of a stored run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunConfigInput } from '../../../actors/run-config.js';
import type { Requester } from '../../../actors/requester.js';
import { runSelfPlay, type SelfPlayResult } from '../../../actors/self-play.js';
import { runStream, type EventStore, type RecordedEvent } from '../../../events/store.js';
import { main } from '../../../src/cli.js';
import { openInProcess } from '../../../src/wiring/open-transport.js';

/** Three iterations of two scenarios with two candidates each: about 800 events, well under a second. */
export const tinyConfig: RunConfigInput = {
  iterations: 3,
  scenariosPerIteration: 2,
  candidatesPerScenario: 2,
  incumbents: 2,
  evolveEvery: 2,
  curriculum: { window: 4, threshold: 0.5 },
};

export async function recordRun(
  store: EventStore,
  options: { runId?: string; seed?: number; config?: RunConfigInput; requester?: Requester; signal?: AbortSignal; stopAfter?: number; resume?: boolean } = {},
): Promise<SelfPlayResult> {
  const transport = options.requester ? null : await openInProcess();
  const abort = new AbortController();
  try {
    return await runSelfPlay({
      store,
      requester: options.requester ?? transport!,
      runId: options.runId ?? 'r-test',
      seed: options.seed ?? 7,
      config: options.config ?? tinyConfig,
      codeVersion: 'aurora test',
      resume: options.resume ?? false,
      signal: options.signal ?? abort.signal,
      onProgress: (p) => {
        if (options.stopAfter !== undefined && p.iteration >= options.stopAfter) abort.abort();
      },
    });
  } finally {
    await transport?.close();
  }
}

export async function readRun(store: EventStore, runId: string): Promise<RecordedEvent[]> {
  return store.readStream(runStream(runId), { maxCount: Number.MAX_SAFE_INTEGER });
}

/** `type@iteration fingerprint` per event: a difference names the event. */
export function fingerprints(events: readonly RecordedEvent[]): string[] {
  return events.map((e) => `${e.type}@${e.metadata.iteration} ${e.fingerprint}`);
}

// main() adds a stdout 'error' listener on every call (src/cli.ts, for EPIPE); tests call it many times
// in one process, which is not a leak worth a warning in their captured stderr.
process.stdout.setMaxListeners(0);

/** Runs `aurora …` in this process, capturing what it writes. */
export async function aurora(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
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

/** A temp dir for one test file, removed by the returned function, or when the process exits whatever happened. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  return { dir, remove };
}
