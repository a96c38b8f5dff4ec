// Reading the global order on two threads: a worker (sqlite-page-worker.ts) runs the page query on its own
// connection and checks the fingerprints a few pages ahead, while this thread cuts, decodes and hands the
// events on (to a projection rebuild that folds them meanwhile). Each page arrives as one transferred
// ArrayBuffer of the events' bytes plus three strings, and is checked here exactly as a page read on this
// thread is (SqlitePageReader.fromRow), fingerprints aside when the worker found them all equal.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RecordedEvent } from '../store.js';
import type { PrefetchedPage, PrefetchStart } from './sqlite-page-worker.js';
import type { SqlitePageReader } from './sqlite-pages.js';

/** Pages the worker may read before this thread has taken them: enough to hide a slow page, few enough to hold little memory. */
const AHEAD = 3;

// The worker's file beside this one: .js once built, .ts when run from source through tsx.
const extension = extname(fileURLToPath(import.meta.url));
const workerUrl = new URL(`./sqlite-page-worker${extension}`, import.meta.url);

// A worker inherits the process's flags, and --input-type (a process started with `node --input-type=module
// -e …`, as the bench starts the rebuild) makes it refuse to load a file: the worker failed at once and
// every page was read on the main thread.
const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));

function startWorker(start: PrefetchStart): Worker {
  if (extension !== '.ts') return new Worker(workerUrl, { workerData: start, execArgv });
  // From source: a worker does not inherit the process's --import hooks, so it registers tsx's loader first.
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(workerUrl.href)}); })`;
  return new Worker(boot, { eval: true, workerData: start, execArgv });
}

/**
 * The pages of `pageSize` events from `from`, read ahead by a worker, until a page comes back short (the
 * head as the worker saw it), a page read again row by row does not match the worker's (appends
 * meanwhile), or the worker fails (it cannot open the file, say): the caller carries on from the last
 * event it got with ordinary reads, which report any real problem themselves. A bad event is reported as
 * readAll reports it.
 */
export async function* prefetchedPages(reader: SqlitePageReader, path: string, from: number, pageSize: number): AsyncGenerator<RecordedEvent[]> {
  const start: PrefetchStart = { path, from, pageSize };
  const worker = startWorker(start);
  const arrived: PrefetchedPage[] = [];
  /** The worker failed or exited: no more pages will come. */
  let stopped = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (page: PrefetchedPage) => {
    arrived.push(page);
    notify();
  });
  const stop = () => {
    stopped = true;
    notify();
  };
  worker.on('error', stop);
  worker.on('exit', stop);
  try {
    for (let i = 0; i < AHEAD; i++) worker.postMessage(null);
    for (;;) {
      while (arrived.length === 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
      const page = arrived.shift();
      if (page === undefined) return; // the worker failed: reading goes on without it
      const blob = page.blob === null ? null : Buffer.from(page.blob);
      const events = reader.fromRow(page.from, pageSize, [page.count, blob, page.numbers, page.fingerprints, page.texts], page.verified);
      if (events.length > 0) yield events;
      if (page.count < pageSize || events.length !== page.count) return;
      worker.postMessage(null);
    }
  } finally {
    await worker.terminate();
  }
}
