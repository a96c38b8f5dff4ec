// The SQLite read path for pages of the global order (readAll, and so every projection rebuild).
//
// Reading row by row, better-sqlite3 builds a JavaScript array, five strings and a Buffer per event, and
// the Buffer alone (a fresh backing store each) costs more than SQLite's own work. Here one query returns
// a whole page as a few values: every event's bytes concatenated into one blob, the fingerprints
// concatenated, the numbers (position, revision, byte length) as one list and the other text columns as
// one NUL-separated list; the events are then cut out of those. Every check of the row-by-row path is
// kept: each event's bytes are hashed and compared with its recorded fingerprint, decoded, and its type
// and id columns compared with its bytes, and positions must run from `from` without a hole. Anything
// unexpected (a mismatch, a hole, a text column holding a NUL, bytes that do not decode, an event that
// needs upcasting) is not handled here: the page, or that event, goes through the row-by-row path, which
// reports exactly what it always has, with the position.
import { hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Materializer } from './stored-row.js';
import { eventSchemas, type EventMetadata } from '../catalogue.js';
import { decodeStored } from '../codec.js';
import type { RecordedEvent } from '../store.js';
import type { UpcasterRegistry } from '../upcasters.js';
import { PAGE_SQL, parseInts, SLOW, type PageRow } from './sqlite-page-query.js';

/** Events per query: large enough that per-query costs vanish, small enough to stay far below SQLite's 1 GB value limit. */
export const PAGE_ROWS = 2048;

/** The row-by-row read of `count` events from `from` (it throws what the store reports for bad rows). */
export type RowFallback = (from: number, count: number) => RecordedEvent[];
/** The row-by-row conversion of one row (fingerprint check, decode, upcast). */
export type EventFallback = Materializer['fromColumns'];

/**
 * The catalogue's own (internalized) type strings: every projection switches on `event.type`, and V8
 * compares an internalized string by identity, a freshly decoded one character by character.
 */
const internedTypes = new Map<string, string>(Object.keys(eventSchemas).map((type) => [type, type]));

export class SqlitePageReader {
  private readonly page: Database.Statement<[number, number], PageRow>;
  private readonly usable: boolean;

  constructor(
    db: Database.Database,
    private readonly upcasters: UpcasterRegistry,
    private readonly rows: RowFallback,
    private readonly event: EventFallback,
  ) {
    this.page = db.prepare<[number, number], PageRow>(PAGE_SQL).raw(true);
    // group_concat copies a blob's bytes as they are only in a UTF-8 database (the default).
    this.usable = db.pragma('encoding', { simple: true }) === 'UTF-8';
  }

  /** Up to `max` events (null: all) from position `from`, in order, checked as readAll checks them. */
  read(from: number, max: number | null): RecordedEvent[] {
    if (!this.usable) return this.rows(from, max ?? -1);
    let out: RecordedEvent[] | null = null;
    for (let next = from; max === null || next - from < max; ) {
      const want = max === null ? PAGE_ROWS : Math.min(PAGE_ROWS, max - (next - from));
      const events = this.readPage(next, want);
      if (out === null) out = events;
      else for (let i = 0; i < events.length; i++) out.push(events[i]!);
      if (events.length < want) break;
      next += events.length;
    }
    return out ?? [];
  }

  /** Whether pages can be read in one query here (prefetchers check it before reading pages elsewhere). */
  get onePerQuery(): boolean {
    return this.usable;
  }

  private readPage(from: number, limit: number): RecordedEvent[] {
    return this.fromRow(from, limit, this.page.get(from, limit)!, false);
  }

  /**
   * The events of a page read with PAGE_SQL (here, or by a prefetching worker on its own connection) from
   * `from` with `limit`. `verified`: every event's bytes were already hashed and found equal to its
   * recorded fingerprint (the worker does it off this thread); anything else is checked here as always.
   */
  fromRow(from: number, limit: number, row: PageRow, verified: boolean): RecordedEvent[] {
    const count = row[0];
    if (count === 0) return [];
    if (!this.usable) return this.rows(from, limit);
    try {
      return this.cut(from, count, row, verified);
    } catch (err) {
      if (err !== SLOW) throw err;
      return this.rows(from, limit);
    }
  }

  private cut(from: number, count: number, [, blob, numbers, fingerprints, texts]: PageRow, verified: boolean): RecordedEvent[] {
    if (blob === null || numbers === null || fingerprints === null || texts === null) throw SLOW;
    if (fingerprints.length !== 64 * count) throw SLOW;
    const ints = parseInts(numbers, 3 * count);
    const out = new Array<RecordedEvent>(count);
    let t = 0; // cursor in `texts`
    let offset = 0; // cursor in `blob`
    let stream = '';
    let recordedAt = '';
    for (let i = 0; i < count; i++) {
      const position = ints[3 * i]!;
      const revision = ints[3 * i + 1]!;
      const length = ints[3 * i + 2]!;
      if (position !== from + i) throw SLOW; // a hole, or an order other than SQLite's usual one
      const end = offset + length;
      if (end > blob.length) throw SLOW;
      // stream \0 event_id \0 type \0 recorded_at (\0 before the next row)
      const e1 = texts.indexOf('\0', t);
      const e2 = texts.indexOf('\0', e1 + 1);
      const e3 = texts.indexOf('\0', e2 + 1);
      let e4 = texts.indexOf('\0', e3 + 1);
      if (e1 < 0 || e2 < 0 || e3 < 0) throw SLOW;
      if (e4 < 0) e4 = texts.length;
      // Consecutive events mostly share their stream and append time: reuse the string.
      if (!(stream.length === e1 - t && texts.startsWith(stream, t))) stream = texts.slice(t, e1);
      if (!(recordedAt.length === e4 - e3 - 1 && texts.startsWith(recordedAt, e3 + 1))) recordedAt = texts.slice(e3 + 1, e4);
      const bytes = blob.subarray(offset, end);
      let fingerprint: string;
      if (verified) fingerprint = fingerprints.slice(64 * i, 64 * i + 64);
      else {
        fingerprint = hash('sha256', bytes, 'hex');
        if (!fingerprints.startsWith(fingerprint, 64 * i)) throw SLOW;
      }
      let decoded: { type?: unknown; data?: unknown; metadata?: Partial<EventMetadata> };
      try {
        decoded = decodeStored(bytes) as typeof decoded;
      } catch {
        throw SLOW;
      }
      if (typeof decoded !== 'object' || decoded === null) throw SLOW;
      const type = typeof decoded.type === 'string' ? (internedTypes.get(decoded.type) ?? decoded.type) : decoded.type;
      const metadata = decoded.metadata;
      if (typeof type !== 'string' || typeof metadata !== 'object' || metadata === null) throw SLOW;
      const eventId = metadata.eventId;
      if (typeof eventId !== 'string' || eventId.length !== e2 - e1 - 1 || !texts.startsWith(eventId, e1 + 1)) throw SLOW;
      if (type.length !== e3 - e2 - 1 || !texts.startsWith(type, e2 + 1)) throw SLOW;
      let needsUpcast: boolean;
      try {
        needsUpcast = this.upcasters.needsUpcast(type, metadata.schemaVersion as number);
      } catch {
        needsUpcast = true; // an unknown type or version: the row-by-row path names it, with the position
      }
      out[i] = needsUpcast
        ? this.event(position, stream, revision, eventId, type, bytes, fingerprint, recordedAt)
        : ({
            type,
            data: decoded.data,
            metadata,
            stream,
            revision,
            position,
            recordedAt,
            fingerprint,
          } as unknown as RecordedEvent);
      offset = end;
      t = e4 + 1;
    }
    // Every byte and every text accounted for: nothing left over means no column was cut wrongly.
    if (offset !== blob.length || t < texts.length) throw SLOW;
    return out;
  }
}
