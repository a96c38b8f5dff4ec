// The one query that reads a whole page of the global order as a few values (see sqlite-pages.ts), and
// what reading its answer needs; shared by the page reader and the prefetching worker
// (sqlite-page-worker.ts), which must not load the catalogue or the codec.

// The LIMIT'ed subquery cannot be flattened into an aggregate, so SQLite feeds the aggregates in its
// (position) order; the positions listed are checked all the same. All columns are NOT NULL and STRICT.
export const PAGE_SQL = `
SELECT count(*),
       CAST(group_concat(bytes, '') AS BLOB),
       group_concat(position || ',' || revision || ',' || length(bytes), ','),
       group_concat(fingerprint, ''),
       group_concat(stream || char(0) || event_id || char(0) || type || char(0) || recorded_at, char(0))
FROM (SELECT position, stream, revision, event_id, type, bytes, fingerprint, recorded_at
      FROM aurora_events WHERE position >= ? ORDER BY position LIMIT ?)`;

/** count, every event's bytes concatenated, "position,revision,length" per event, fingerprints concatenated, the text columns NUL-separated. */
export type PageRow = [number, Buffer | null, string | null, string | null, string | null];

/** Thrown inside a page when it must go the row-by-row way; never escapes the reader. */
export const SLOW = Symbol('slow');

/** Exactly `count` non-negative integers written in decimal and separated by commas. */
export function parseInts(list: string, count: number): Float64Array {
  const out = new Float64Array(count);
  let k = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits += 1;
    } else if (c === 44 && digits > 0 && k < count) {
      out[k++] = value;
      value = 0;
      digits = 0;
    } else throw SLOW; // a sign, an exponent, a stray separator
  }
  if (digits === 0 || k !== count - 1) throw SLOW;
  out[k] = value;
  return out;
}
