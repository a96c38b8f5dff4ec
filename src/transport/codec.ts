// Payload encoding for every transport: the event store's canonical MessagePack (sorted keys; refuses
// NaN, Map, Set, class instances), so a message has one byte form and in-process and NATS carry the same
// bytes. The only difference from events: an object property whose value is undefined is dropped, because
// that is how zod and TypeScript write an absent optional field.
import { decode, encodeCanonical } from '../../events/codec.js';

export function encodeMessage(value: unknown): Uint8Array {
  return encodeCanonical(withoutUndefinedProperties(value));
}

export function decodeMessage(bytes: Uint8Array): unknown {
  return decode(bytes);
}

/** The same value without object properties set to undefined; copies only the objects that had some. */
export function withoutUndefinedProperties(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const cleaned = withoutUndefinedProperties(item);
      if (cleaned !== item) {
        copy ??= value.slice();
        copy[i] = cleaned;
      }
    }
    return copy ?? value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value; // the codec names it
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const cleaned = item === undefined ? undefined : withoutUndefinedProperties(item);
    if (item === undefined || cleaned !== item) {
      copy ??= { ...record };
      if (item === undefined) delete copy[key];
      else copy[key] = cleaned;
    }
  }
  return copy ?? value;
}

export interface EncodedField {
  readonly key: string;
  readonly bytes: Uint8Array;
}

/**
 * The canonical encoding of an object's top-level fields, in canonical (sorted) key order. Large messages
 * travel field by field; joinFields gives the whole message's bytes without encoding it a second time.
 */
export function encodeFields(value: object): EncodedField[] {
  const record = withoutUndefinedProperties(value) as Record<string, unknown>;
  return Object.keys(record)
    .sort()
    .map((key) => ({ key, bytes: encodeCanonical(record[key], [key]) }));
}

/** Exactly encodeMessage(object) for the object whose canonical fields these are. */
export function joinFields(fields: readonly EncodedField[]): Uint8Array {
  const n = fields.length;
  // MessagePack map header: fixmap, map 16 or map 32.
  const header =
    n < 16 ? [0x80 | n] : n < 0x10000 ? [0xde, n >> 8, n & 0xff] : [0xdf, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const keys = fields.map((f) => encodeCanonical(f.key));
  const size = header.length + fields.reduce((sum, f, i) => sum + keys[i]!.length + f.bytes.length, 0);
  const out = new Uint8Array(size);
  out.set(header, 0);
  let at = header.length;
  fields.forEach((f, i) => {
    out.set(keys[i]!, at);
    at += keys[i]!.length;
    out.set(f.bytes, at);
    at += f.bytes.length;
  });
  return out;
}
