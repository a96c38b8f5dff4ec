// Where two versions of an event differ, field by field: the path of every leaf that differs (keys in
// sorted order, as the canonical bytes hold them), with both values. Replay reports these for the first
// event whose fingerprint does not match; an audit of a tampered log reads the same way.
import { formatPath } from '../../events/codec.js';

export interface FieldDifference {
  /** `data.metrics.cost`, `metadata.eventId`, `data.policies[2]`, or `(root)`. */
  path: string;
  recorded: unknown;
  replayed: unknown;
  /** Which side has no value at this path at all (a missing key or array element). */
  absent?: 'recorded' | 'replayed';
}

export interface Differences {
  /** The first `limit` differences, depth first in key order. */
  differences: FieldDifference[];
  /** How many there are in all. */
  total: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Every leaf where `recorded` and `replayed` differ. Values are plain event data (codec rules). */
export function differences(recorded: unknown, replayed: unknown, limit = 20): Differences {
  const out: FieldDifference[] = [];
  let total = 0;
  const path: (string | number)[] = [];
  const note = (a: unknown, b: unknown, absent?: 'recorded' | 'replayed') => {
    total += 1;
    if (out.length >= limit) return;
    const d: FieldDifference = { path: formatPath(path), recorded: a, replayed: b };
    if (absent !== undefined) d.absent = absent;
    out.push(d);
  };
  const visit = (a: unknown, b: unknown): void => {
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) {
        path.push(key);
        const inA = Object.prototype.hasOwnProperty.call(a, key);
        const inB = Object.prototype.hasOwnProperty.call(b, key);
        if (!inA) note(null, b[key], 'recorded');
        else if (!inB) note(a[key], null, 'replayed');
        else visit(a[key], b[key]);
        path.pop();
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        path.push(i);
        if (i >= a.length) note(null, b[i], 'recorded');
        else if (i >= b.length) note(a[i], null, 'replayed');
        else visit(a[i], b[i]);
        path.pop();
      }
      return;
    }
    if (a instanceof Uint8Array && b instanceof Uint8Array) {
      if (!sameBytes(a, b)) note(a, b);
      return;
    }
    // -0 and 0 are one value in the canonical bytes, so === (not Object.is) is the right equality here.
    if (a !== b) note(a, b);
  };
  visit(recorded, replayed);
  return { differences: out, total };
}

/** A value for one line of human output: JSON, cut to `max` characters. */
export function showValue(value: unknown, max = 100): string {
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
