// The reading half of a two-thread rebuild (sqlite-prefetch.ts): on a read-only connection of its own,
// this worker runs the page query ahead of the main thread and checks each event's SHA-256 against its
// recorded fingerprint, then hands the page over: the events' bytes in one transferred ArrayBuffer (no
// copy), the three text columns as strings. A page with anything unusual is sent unverified, and the main
// thread reads it again row by row, which reports what it always has. It loads neither the catalogue nor
// the codec: decoding stays on the main thread (passing decoded events between threads costs more than
// decoding them).
import { hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { PAGE_SQL, parseInts, SLOW, type PageRow } from './sqlite-page-query.js';

export interface PrefetchStart {
  path: string;
  from: number;
  pageSize: number;
}

/** A page as sent: PageRow's values, the blob as a bare ArrayBuffer. */
export interface PrefetchedPage {
  from: number;
  count: number;
  blob: ArrayBuffer | null;
  numbers: string | null;
  fingerprints: string | null;
  texts: string | null;
  /** Every event's bytes hash to its recorded fingerprint. */
  verified: boolean;
}

/** Whether each event's bytes hash to its fingerprint (false too when the page's columns do not add up). */
function verify([count, blob, numbers, fingerprints]: PageRow): boolean {
  if (blob === null || numbers === null || fingerprints === null || fingerprints.length !== 64 * count) return false;
  let ints: Float64Array;
  try {
    ints = parseInts(numbers, 3 * count);
  } catch (err) {
    if (err === SLOW) return false;
    throw err;
  }
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const end = offset + ints[3 * i + 2]!;
    if (end > blob.length) return false;
    if (!fingerprints.startsWith(hash('sha256', blob.subarray(offset, end), 'hex'), 64 * i)) return false;
    offset = end;
  }
  return offset === blob.length;
}

/** The blob's bytes as an ArrayBuffer of their own that can be transferred (copied only when it shares one). */
function transferable(blob: Buffer): ArrayBuffer {
  if (blob.byteOffset === 0 && blob.byteLength === blob.buffer.byteLength && blob.buffer instanceof ArrayBuffer) return blob.buffer;
  const copy = new ArrayBuffer(blob.byteLength);
  new Uint8Array(copy).set(blob);
  return copy;
}

if (parentPort !== null) {
  const port = parentPort;
  const { path, from: start, pageSize } = workerData as PrefetchStart;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  const page = db.prepare<[number, number], PageRow>(PAGE_SQL).raw(true);
  let next = start;
  let done = false;
  // Each message from the main thread is a credit for one more page: the worker stays a few pages ahead.
  port.on('message', () => {
    if (done) return;
    const row = page.get(next, pageSize)!;
    const [count, blob, numbers, fingerprints, texts] = row;
    const buffer = blob === null ? null : transferable(blob);
    const sent: PrefetchedPage = { from: next, count, blob: buffer, numbers, fingerprints, texts, verified: count > 0 && verify(row) };
    port.postMessage(sent, buffer === null ? [] : [buffer]);
    next += count;
    if (count < pageSize) {
      done = true;
      db.close();
    }
  });
}
