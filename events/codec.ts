// The MessagePack codec with canonical bytes: the same value always gives the same bytes, so the hash of
// an event's bytes can serve as its fingerprint for replay checks. Canonical means:
// - map keys sorted by UTF-16 code units (JavaScript's default sort, as in RFC 8785), at every depth;
// - numbers as @msgpack/msgpack writes them: safe integers as the smallest int format, every other
//   number as float64 (1.0 and 1 are one JS number; -0 is written as the integer 0);
// - only plain JSON-like data: null, booleans, finite numbers, well-formed strings, arrays without
//   holes, plain objects, and Uint8Array. Anything else is refused with the path of the offending value,
//   because it would either not round-trip (undefined, Map, Set, class instances, functions) or not be
//   comparable (NaN).
// The bytes are exactly @msgpack/msgpack's `encode(value, { sortKeys: true })`; a one-pass writer here
// checks and writes together (appends encode every event), and tests hold it to the library byte for
// byte. Decoding is the library's.
import { isUtf8 } from 'node:buffer';
import { Decoder, Encoder } from '@msgpack/msgpack';

/** A value the codec refuses, with where it sits (`data.metrics.cost: NaN is not allowed`). */
export class CodecError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'CodecError';
  }
}

/** Nesting the codec refuses: an object or array this many levels down (a cycle, most likely). */
export const MAX_DEPTH = 64;

// String.prototype.isWellFormed is in Node 20 but not in the ES2022 library types.
type WellFormed = string & { isWellFormed(): boolean };

// @msgpack/msgpack decodes; its encoder (sorted keys) is the reference the canonical writer must match.
const libraryEncoder = new Encoder({ sortKeys: true, ignoreUndefined: false, forceFloat32: false, useBigInt64: false });
const decoder = new Decoder({ useBigInt64: false });

/** Path segments as written in messages: `data.items[3].name`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out === '' ? '(root)' : out;
}

function describe(value: unknown): string | null {
  switch (typeof value) {
    case 'undefined':
      return 'undefined is not allowed (use null)';
    case 'function':
      return 'a function is not allowed';
    case 'symbol':
      return 'a symbol is not allowed';
    case 'bigint':
      return 'a bigint is not allowed (use a number or a string)';
    case 'number':
      if (Number.isNaN(value)) return 'NaN is not allowed';
      if (!Number.isFinite(value)) return `${String(value)} is not allowed`;
      return null;
    case 'string':
      return (value as WellFormed).isWellFormed() ? null : 'a string with a lone surrogate is not allowed';
    default:
      return null;
  }
}

function kindOf(value: object): string {
  if (value instanceof Map) return 'a Map';
  if (value instanceof Set) return 'a Set';
  if (value instanceof Date) return 'a Date (use an ISO string)';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'a non-plain object';
}

/** Throws a CodecError naming the first value (depth first, keys in sorted order) that is not canonical data. */
export function assertCanonical(value: unknown, rootPath: readonly (string | number)[] = []): void {
  const path: (string | number)[] = [...rootPath];
  const fail = (reason: string): never => {
    throw new CodecError(formatPath(path), reason);
  };
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v === 'boolean') return;
    if (typeof v !== 'object') {
      const problem = describe(v);
      if (problem !== null) fail(problem);
      return;
    }
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) fail(kindOf(v));
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        if (!(i in v)) fail('a hole in an array is not allowed (use null)');
        visit(v[i], depth + 1);
        path.pop();
      }
      return;
    }
    if (v instanceof Uint8Array) return;
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) fail(kindOf(v));
    if (Object.getOwnPropertySymbols(v).length > 0) fail('a symbol key is not allowed');
    const keys = Object.keys(v).sort();
    for (const key of keys) {
      path.push(key);
      if (key === '__proto__') fail('the key __proto__ is not allowed');
      visit((v as Record<string, unknown>)[key], depth + 1);
      path.pop();
    }
  };
  visit(value, 0);
}

/** The refusal the fast writer hits; assertCanonical then finds it again and names its path. */
const REFUSED = Symbol('refused');

/**
 * Writes canonical MessagePack in one pass that also checks the value. Its bytes are exactly those of
 * @msgpack/msgpack's `encode(value, { sortKeys: true })` (test/events/codec.test.ts checks this on random
 * values); it exists because checking and encoding together is several times faster than checking and
 * then calling the library, and appends encode every event.
 */
class CanonicalWriter {
  private buf: Buffer;
  private pos = 0;

  /** `capacity`: the first buffer's size (it grows by doubling, each step leaving the last as garbage). */
  constructor(capacity = 4096) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  encode(value: unknown): Uint8Array {
    this.pos = 0;
    this.value(value, 0);
    return this.copy(0);
  }

  /**
   * encode(), except that a result of at least `own` bytes is handed over without a copy (a view of the
   * writer's own buffer) and the writer starts again from a small buffer: encoding a checkpoint state of
   * tens of MB then neither copies it nor leaves a buffer that size pinned by the writer afterwards.
   */
  encodeOwned(value: unknown, own: number): Uint8Array {
    this.pos = 0;
    this.value(value, 0);
    if (this.pos < own) return this.copy(0);
    const out = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.pos);
    this.buf = Buffer.allocUnsafe(4096);
    this.pos = 0;
    return out;
  }

  /** encode(), as a view of the writer's buffer: valid until the writer writes again. */
  encodeView(value: unknown): Uint8Array {
    this.pos = 0;
    this.value(value, 0);
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.pos);
  }

  /** A copy of what was written from `start` on (the buffer is reused). */
  copy(start: number): Uint8Array {
    return new Uint8Array(this.buf.subarray(start, this.pos));
  }

  /**
   * What was written, handed over without a copy: the writer moves on to a new buffer of the same size
   * (not zero-filled). Copies instead when the buffer is mostly empty, so the bytes never pin much more
   * memory than they use.
   */
  take(): Uint8Array {
    if (this.pos * 2 < this.buf.length) return this.copy(0);
    const taken = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafeSlow(this.buf.length);
    this.pos = 0;
    return taken;
  }

  /** Where the next value goes; `rewind` goes back there, `begin` empties the buffer. */
  get end(): number {
    return this.pos;
  }

  begin(): void {
    this.pos = 0;
  }

  rewind(to: number): void {
    this.pos = to;
  }

  /**
   * Appends an event's map {type, data, metadata} after what is already written: the bytes of
   * encode({type, data, metadata}) (keys in canonical order data, metadata, type) without building
   * the object. Returns the end offset.
   */
  envelope(type: string, data: unknown, metadata: unknown): number {
    this.ensure(1);
    this.u8(0x83);
    this.string('data');
    this.value(data, 1);
    this.string('metadata');
    this.value(metadata, 1);
    this.string('type');
    this.value(type, 1);
    return this.pos;
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  private u8(b: number): void {
    this.buf[this.pos++] = b;
  }

  private value(v: unknown, depth: number): void {
    switch (typeof v) {
      case 'number':
        return this.number(v);
      case 'string':
        if (!(v as WellFormed).isWellFormed()) throw REFUSED;
        return this.string(v);
      case 'boolean':
        this.ensure(1);
        return this.u8(v ? 0xc3 : 0xc2);
      case 'object':
        if (v === null) {
          this.ensure(1);
          return this.u8(0xc0);
        }
        if (depth >= MAX_DEPTH) throw REFUSED;
        if (Array.isArray(v)) return this.array(v, depth);
        if (v instanceof Uint8Array) return this.binary(v);
        return this.map(v, depth);
      default:
        throw REFUSED;
    }
  }

  private number(n: number): void {
    this.ensure(9);
    const b = this.buf;
    if (Number.isSafeInteger(n)) {
      if (n >= 0) {
        if (n < 0x80) return this.u8(n);
        if (n < 0x100) {
          this.u8(0xcc);
          return this.u8(n);
        }
        if (n < 0x10000) {
          this.u8(0xcd);
          b.writeUInt16BE(n, this.pos);
          this.pos += 2;
          return;
        }
        if (n < 0x100000000) {
          this.u8(0xce);
          b.writeUInt32BE(n, this.pos);
          this.pos += 4;
          return;
        }
        this.u8(0xcf);
        b.writeUInt32BE(Math.floor(n / 0x100000000), this.pos);
        b.writeUInt32BE(n >>> 0, this.pos + 4);
        this.pos += 8;
        return;
      }
      if (n >= -0x20) return this.u8(0xe0 | (n + 0x20));
      if (n >= -0x80) {
        this.u8(0xd0);
        b.writeInt8(n, this.pos);
        this.pos += 1;
        return;
      }
      if (n >= -0x8000) {
        this.u8(0xd1);
        b.writeInt16BE(n, this.pos);
        this.pos += 2;
        return;
      }
      if (n >= -0x80000000) {
        this.u8(0xd2);
        b.writeInt32BE(n, this.pos);
        this.pos += 4;
        return;
      }
      this.u8(0xd3);
      b.writeUInt32BE(Math.floor(n / 0x100000000) >>> 0, this.pos);
      b.writeUInt32BE(n >>> 0, this.pos + 4);
      this.pos += 8;
      return;
    }
    if (!Number.isFinite(n)) throw REFUSED;
    this.u8(0xcb);
    b.writeDoubleBE(n, this.pos);
    this.pos += 8;
  }

  private string(s: string): void {
    // Short ASCII strings (keys, ids) are written byte by byte; anything else through one UTF-8 write
    // straight into the buffer after a header sized for the byte count's bounds (length to 3 × length),
    // moved back when the count needs a shorter one. Measured on the bench's 1 KB events, one write is
    // half the cost of Buffer.byteLength + buf.write (≈ 150 ns against 350 ns for a 400-character string).
    const length = s.length;
    if (length < 32) {
      this.ensure(1 + length);
      const b = this.buf;
      let p = this.pos;
      b[p++] = 0xa0 + length;
      let i = 0;
      for (; i < length; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        b[p++] = c;
      }
      if (i === length) {
        this.pos = p;
        return;
      }
    }
    const most = length * 3;
    this.ensure(5 + most);
    const guess = strHeaderSize(most);
    const start = this.pos + guess;
    const bytes = utf8Write(this.buf, s, start);
    const size = strHeaderSize(bytes);
    if (size !== guess) this.buf.copyWithin(this.pos + size, start, start + bytes);
    this.header(bytes, 0xa0, 32, 0xd9, 0xda, 0xdb);
    this.pos += bytes;
  }

  /** A length header: fix form below `fixLimit`, else the 8-, 16- or 32-bit form (8-bit: 0 to skip it). */
  private header(n: number, fix: number, fixLimit: number, f8: number, f16: number, f32: number): void {
    const b = this.buf;
    if (n < fixLimit) this.u8(fix + n);
    else if (f8 !== 0 && n < 0x100) {
      this.u8(f8);
      this.u8(n);
    } else if (n < 0x10000) {
      this.u8(f16);
      b.writeUInt16BE(n, this.pos);
      this.pos += 2;
    } else {
      this.u8(f32);
      b.writeUInt32BE(n, this.pos);
      this.pos += 4;
    }
  }

  private array(a: unknown[], depth: number): void {
    if (Object.getPrototypeOf(a) !== Array.prototype) throw REFUSED;
    this.ensure(5);
    this.header(a.length, 0x90, 16, 0, 0xdc, 0xdd);
    for (let i = 0; i < a.length; i++) {
      if (!(i in a)) throw REFUSED;
      this.value(a[i], depth + 1);
    }
  }

  private binary(bytes: Uint8Array): void {
    this.ensure(5 + bytes.length);
    // bin has no fix form: fixLimit 0
    this.header(bytes.length, 0, 0, 0xc4, 0xc5, 0xc6);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private map(o: object, depth: number): void {
    const proto = Object.getPrototypeOf(o);
    if (proto !== Object.prototype && proto !== null) throw REFUSED;
    if (Object.getOwnPropertySymbols(o).length > 0) throw REFUSED;
    const keys = Object.keys(o);
    const shape = keys.length > 1 && keys.length <= 24 ? shapeOf(keys) : null;
    if (shape === null) {
      sortKeys(keys);
      this.ensure(5);
      this.header(keys.length, 0x80, 16, 0, 0xde, 0xdf);
      for (const key of keys) {
        if (key === '__proto__') throw REFUSED;
        this.string(key);
        this.value((o as Record<string, unknown>)[key], depth + 1);
      }
      return;
    }
    if (shape.refused) throw REFUSED;
    // A known shape: its sorted keys and their encoded bytes (map header included) are remembered.
    const sorted = shape.sorted;
    const bytes = shape.keyBytes;
    const ends = shape.keyEnds;
    let from = 0;
    for (let i = 0; i < sorted.length; i++) {
      const to = ends[i]!;
      this.ensure(to - from);
      const b = this.buf;
      let p = this.pos;
      for (let j = from; j < to; j++) b[p++] = bytes[j]!;
      this.pos = p;
      from = to;
      this.value((o as Record<string, unknown>)[sorted[i]!], depth + 1);
    }
  }
}

/** Sorts keys in place in UTF-16 code unit order, as Array.prototype.sort orders strings. */
export function sortKeys(keys: string[]): string[] {
  const n = keys.length;
  if (n > 24) return keys.sort();
  // Objects in events are small: an insertion sort with `<` is several times faster than sort() there.
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/**
 * What the writer remembers of an insertion-ordered key list: the keys sorted, and the map header and
 * each key's str bytes, ready to copy. Events are made of a few object shapes repeated; keys are interned
 * strings, so recognising a list is one pointer comparison per key, where sorting compares contents and
 * encoding re-reads every character (together ~35 % of encoding a 1 KB event before).
 */
interface Shape {
  readonly from: readonly string[];
  readonly sorted: readonly string[];
  /** The map header, then each key's str header and UTF-8 bytes; key i's end is keyEnds[i]. */
  readonly keyBytes: Uint8Array;
  readonly keyEnds: readonly number[];
  /** A key is __proto__: the writer refuses the object. */
  readonly refused: boolean;
}

/** Shapes seen, by first key; bounded, since records (z.json()) can have any keys. */
const shapes = new Map<string, Shape[]>();
let shapeCount = 0;
const MAX_SHAPES = 4096;
const MAX_SHAPES_PER_FIRST_KEY = 16;

function shapeOf(keys: readonly string[]): Shape | null {
  const first = keys[0]!;
  let seen = shapes.get(first);
  if (seen) {
    for (const shape of seen) if (sameKeys(shape.from, keys)) return shape;
    // A full list of other key sets under one first key: dictionaries (ids as keys, as in projection
    // states), not records. Building a shape that cannot be remembered costs more than sorting once.
    if (seen.length >= MAX_SHAPES_PER_FIRST_KEY) return null;
  }
  const shape = newShape(keys);
  if (shapeCount >= MAX_SHAPES) {
    shapes.clear();
    shapeCount = 0;
    seen = undefined;
  }
  if (!seen) shapes.set(first, (seen = []));
  if (seen.length < MAX_SHAPES_PER_FIRST_KEY) {
    seen.push(shape);
    shapeCount++;
  }
  return shape;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function newShape(keys: readonly string[]): Shape {
  const sorted = sortKeys(keys.slice());
  const parts: number[] = [];
  const n = sorted.length;
  // The map header exactly as header() writes it (fixmap below 16, else map16; shapes hold at most 24 keys).
  if (n < 16) parts.push(0x80 + n);
  else parts.push(0xde, n >> 8, n & 0xff);
  const keyEnds: number[] = [];
  for (const key of sorted) {
    // The str form string() writes: header for the UTF-8 byte count, then the bytes.
    const utf8 = Buffer.from(key, 'utf8');
    const len = utf8.length;
    if (len < 32) parts.push(0xa0 + len);
    else if (len < 0x100) parts.push(0xd9, len);
    else if (len < 0x10000) parts.push(0xda, len >> 8, len & 0xff);
    else parts.push(0xdb, (len >>> 24) & 0xff, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff);
    for (const b of utf8) parts.push(b);
    keyEnds.push(parts.length);
  }
  return { from: keys.slice(), sorted, keyBytes: Uint8Array.from(parts), keyEnds, refused: sorted.includes('__proto__') };
}

/** Bytes of a str header for a string of `bytes` UTF-8 bytes: fixstr, str8, str16, str32. */
function strHeaderSize(bytes: number): number {
  return bytes < 32 ? 1 : bytes < 0x100 ? 2 : bytes < 0x10000 ? 3 : 5;
}

// Buffer's own UTF-8 writer without buf.write's argument parsing (present on Buffer.prototype since Node 0.x).
const rawUtf8Write = (Buffer.prototype as unknown as { utf8Write?: (s: string, offset: number) => number }).utf8Write;
function utf8Write(buf: Buffer, s: string, offset: number): number {
  return rawUtf8Write ? rawUtf8Write.call(buf, s, offset) : buf.write(s, offset, 'utf8');
}

const writer = new CanonicalWriter();
const batchWriter = new CanonicalWriter(); // CanonicalBatch's, so encodeCanonical may run while a batch is open

/** The canonical MessagePack bytes of `value`; refuses anything that is not plain data (CodecError). */
export function encodeCanonical(value: unknown, rootPath: readonly (string | number)[] = []): Uint8Array {
  try {
    return writer.encode(value);
  } catch (err) {
    if (err !== REFUSED) throw err;
    return refuse(value, rootPath);
  }
}

/** Below this, encodeCanonicalOwned copies as encodeCanonical does (the writer's buffer is kept for reuse). */
const OWN_AT_LEAST = 1 << 20;

/**
 * encodeCanonical for large values encoded once and then dropped (projection checkpoints): the same bytes,
 * handed over without a copy when they are 1 MB or more, and the writer does not keep a buffer of that
 * size afterwards.
 */
export function encodeCanonicalOwned(value: unknown, rootPath: readonly (string | number)[] = []): Uint8Array {
  try {
    return writer.encodeOwned(value, OWN_AT_LEAST);
  } catch (err) {
    if (err !== REFUSED) throw err;
    return refuse(value, rootPath);
  }
}

/**
 * Encodes values one after another into one buffer of its own, each result a view of it that the next
 * encode overwrites: for large values each consumed before the next is encoded (checkpoint states, each
 * written before the next is encoded), with no copy and one buffer the size of the largest alive.
 */
export class ScratchEncoder {
  private readonly writer: CanonicalWriter;

  /** `capacity`: bytes to start with, e.g. the largest value expected (a guess too small costs doublings). */
  constructor(capacity = 4096) {
    this.writer = new CanonicalWriter(Math.max(64, Math.min(Math.ceil(capacity), 2 ** 30)));
  }

  /** encodeCanonical(value), valid until this encoder's next encode. */
  encode(value: unknown, rootPath: readonly (string | number)[] = []): Uint8Array {
    try {
      return this.writer.encodeView(value);
    } catch (err) {
      if (err !== REFUSED) throw err;
      return refuse(value, rootPath);
    }
  }
}

/** The canonical bytes of an event's {type, data, metadata}; a CodecError names the path of anything refused. */
export function encodeEnvelope(type: string, data: unknown, metadata: unknown): Uint8Array {
  try {
    writer.begin();
    writer.envelope(type, data, metadata);
    return writer.copy(0);
  } catch (err) {
    if (err !== REFUSED) throw err;
    return refuse({ type, data, metadata }, []);
  }
}

function refuse(value: unknown, rootPath: readonly (string | number)[]): never {
  assertCanonical(value, rootPath); // throws the CodecError with the path
  throw new CodecError(formatPath(rootPath), 'not canonical data');
}

/**
 * The canonical bytes of a batch of events, written back to back into one buffer that the batch then
 * takes over: each event's bytes are a view into it, so a batch of 1 000 events costs one allocation
 * instead of 1 000 (and no copy). Add every event, then take the bytes; use it within one synchronous step.
 */
export class CanonicalBatch {
  private readonly ends: number[] = [];
  private readonly writer = batchWriter;

  constructor() {
    this.writer.begin();
  }

  /** Writes one event's {type, data, metadata}; a CodecError names the path of anything refused. */
  add(type: string, data: unknown, metadata: unknown): void {
    const start = this.writer.end;
    try {
      this.ends.push(this.writer.envelope(type, data, metadata));
    } catch (err) {
      this.writer.rewind(start);
      if (err !== REFUSED) throw err;
      refuse({ type, data, metadata }, []);
    }
  }

  /** The bytes of each event added, in order. */
  finish(): Uint8Array[] {
    const all = this.writer.take();
    const out = new Array<Uint8Array>(this.ends.length);
    let start = 0;
    for (let i = 0; i < this.ends.length; i++) {
      out[i] = all.subarray(start, this.ends[i]);
      start = this.ends[i]!;
    }
    this.writer.begin();
    return out;
  }
}

/** @msgpack/msgpack's own encoder with sorted keys: the reference the canonical writer must match. */
export function encodeWithLibrary(value: unknown): Uint8Array {
  return libraryEncoder.encode(value);
}

/** Decodes MessagePack bytes into plain data (maps become plain objects, bin becomes Uint8Array). */
export function decode(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}

/** A shape the fast reader leaves to the library (ext types, non-string keys, bad or truncated input). */
const UNUSUAL = Symbol('unusual');
const KEY_SLOTS = 1024; // a power of two
/** Strings of up to SHORT bytes are interned by their bytes; SHORT_SLOTS of them are remembered. */
const SHORT = 16;
const SHORT_SLOTS = 4096; // a power of two

// Buffer's own latin1 reader without toString's argument parsing (on Buffer.prototype since Node 0.x).
const rawLatin1Slice = (Buffer.prototype as unknown as { latin1Slice?: (start: number, end: number) => string }).latin1Slice;

/** Up to four bytes from `i` (not past `end`) as one little-endian word; 0 past the end. */
function wordAt(b: Uint8Array, i: number, end: number): number {
  if (i + 4 <= end) return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
  let w = 0;
  for (let k = 0; i + k < end; k++) w |= b[i + k]! << (k << 3);
  return w;
}

/**
 * Reads the MessagePack that stores hold (what the canonical writer produces) several times faster than
 * the library, whose per-string JavaScript UTF-8 decoding and allocations dominate reading events back.
 * Anything it does not handle, including every malformed input, goes to the library, so results and errors
 * are the library's: maps become plain objects, bin a subarray of the input, as `decode` gives.
 */
class FastReader {
  private bytes: Uint8Array = new Uint8Array(0);
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Map keys seen before, by a hash of their bytes: repeated keys cost no new string. */
  private readonly keys: string[] = new Array<string>(KEY_SLOTS).fill('');
  /**
   * Short ASCII strings seen before (keys, ids, names: events repeat them), by a hash of their bytes,
   * with those bytes as four words each: a repeat is found with four comparisons and costs no new string.
   */
  private readonly shortStrings: string[] = new Array<string>(SHORT_SLOTS).fill('');
  private readonly shortWords = new Int32Array(SHORT_SLOTS * 4);

  read(bytes: Uint8Array): unknown {
    this.bytes = bytes;
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    const value = this.value(0);
    if (this.pos !== bytes.length) throw UNUSUAL; // trailing bytes: the library names them
    return value;
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) throw UNUSUAL;
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw UNUSUAL;
    this.need(1);
    const b = this.bytes[this.pos++]!;
    if (b < 0x80) return b;
    if (b < 0x90) return this.map(b - 0x80, depth);
    if (b < 0xa0) return this.array(b - 0x90, depth);
    if (b < 0xc0) return this.string(b - 0xa0);
    if (b >= 0xe0) return b - 0x100;
    const v = this.buf;
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.binary(this.uint(1));
      case 0xc5:
        return this.binary(this.uint(2));
      case 0xc6:
        return this.binary(this.uint(4));
      case 0xca: {
        this.need(4);
        const f = v.readFloatBE(this.pos);
        this.pos += 4;
        return f;
      }
      case 0xcb: {
        this.need(8);
        const f = v.readDoubleBE(this.pos);
        this.pos += 8;
        return f;
      }
      case 0xcc:
        return this.uint(1);
      case 0xcd:
        return this.uint(2);
      case 0xce:
        return this.uint(4);
      case 0xcf: {
        this.need(8);
        const n = v.readUInt32BE(this.pos) * 0x100000000 + v.readUInt32BE(this.pos + 4);
        if (!Number.isSafeInteger(n)) throw UNUSUAL;
        this.pos += 8;
        return n;
      }
      case 0xd0: {
        this.need(1);
        return v.readInt8(this.pos++);
      }
      case 0xd1: {
        this.need(2);
        const n = v.readInt16BE(this.pos);
        this.pos += 2;
        return n;
      }
      case 0xd2: {
        this.need(4);
        const n = v.readInt32BE(this.pos);
        this.pos += 4;
        return n;
      }
      case 0xd3: {
        this.need(8);
        const n = v.readInt32BE(this.pos) * 0x100000000 + v.readUInt32BE(this.pos + 4);
        if (!Number.isSafeInteger(n)) throw UNUSUAL;
        this.pos += 8;
        return n;
      }
      case 0xd9:
        return this.string(this.uint(1));
      case 0xda:
        return this.string(this.uint(2));
      case 0xdb:
        return this.string(this.uint(4));
      case 0xdc:
        return this.array(this.uint(2), depth);
      case 0xdd:
        return this.array(this.uint(4), depth);
      case 0xde:
        return this.map(this.uint(2), depth);
      case 0xdf:
        return this.map(this.uint(4), depth);
      default:
        throw UNUSUAL; // ext types, 0xc1
    }
  }

  private uint(size: 1 | 2 | 4): number {
    this.need(size);
    const b = this.bytes;
    const p = this.pos;
    this.pos += size;
    if (size === 1) return b[p]!;
    if (size === 2) return (b[p]! << 8) | b[p + 1]!;
    return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  private string(length: number): string {
    this.need(length);
    const start = this.pos;
    const end = start + length;
    this.pos = end;
    if (length > SHORT) return this.utf8(start, end);
    const b = this.bytes;
    const w0 = wordAt(b, start, end);
    const w1 = wordAt(b, start + 4, end);
    const w2 = wordAt(b, start + 8, end);
    const w3 = wordAt(b, start + 12, end);
    if (((w0 | w1 | w2 | w3) & 0x80808080) !== 0) return this.utf8(start, end);
    let h = Math.imul(w0 ^ length, 0x9e3779b1);
    h = Math.imul(h ^ w1, 0x85ebca77);
    h = Math.imul(h ^ w2, 0xc2b2ae3d);
    h = Math.imul(h ^ w3, 0x27d4eb2f);
    const slot = (h ^ (h >>> 15)) & (SHORT_SLOTS - 1);
    const words = this.shortWords;
    const k = slot << 2;
    const cached = this.shortStrings[slot]!;
    // Equal words and length are equal bytes (the words are zero past the end of both).
    if (words[k] === w0 && words[k + 1] === w1 && words[k + 2] === w2 && words[k + 3] === w3 && cached.length === length) return cached;
    const s = rawLatin1Slice ? rawLatin1Slice.call(this.buf, start, end) : this.buf.toString('latin1', start, end);
    this.shortStrings[slot] = s;
    words[k] = w0;
    words[k + 1] = w1;
    words[k + 2] = w2;
    words[k + 3] = w3;
    return s;
  }

  private utf8(start: number, end: number): string {
    // Ill-formed UTF-8 is replaced differently by the library's decoders: leave it to them.
    if (!isUtf8(this.bytes.subarray(start, end))) throw UNUSUAL;
    return this.buf.toString('utf8', start, end);
  }

  /** A map key of 17 to 31 bytes, from the cache when its bytes were seen before. */
  private key(length: number): string {
    this.need(length);
    const b = this.bytes;
    const start = this.pos;
    const end = start + length;
    let hash = length;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c > 0x7f) return this.string(length); // (string() re-checks the bounds and moves pos)
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    const slot = (hash >>> 0) & (KEY_SLOTS - 1);
    const cached = this.keys[slot]!;
    this.pos = end;
    if (cached.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (cached.charCodeAt(i) !== b[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    const key = this.buf.toString('latin1', start, end);
    this.keys[slot] = key;
    return key;
  }

  private binary(length: number): Uint8Array {
    this.need(length);
    const start = this.pos;
    this.pos += length;
    return this.bytes.subarray(start, start + length);
  }

  private array(length: number, depth: number): unknown[] {
    if (length > this.bytes.length - this.pos) throw UNUSUAL; // each item takes at least a byte
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = this.value(depth + 1);
    return out;
  }

  private map(size: number, depth: number): Record<string, unknown> {
    if (size * 2 > this.bytes.length - this.pos) throw UNUSUAL;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < size; i++) {
      this.need(1);
      const h = this.bytes[this.pos++]!;
      let key: string;
      if (h >= 0xa0 && h <= 0xa0 + SHORT) key = this.string(h - 0xa0);
      else if (h > 0xa0 + SHORT && h < 0xc0) key = this.key(h - 0xa0);
      else if (h === 0xd9) key = this.string(this.uint(1));
      else if (h === 0xda) key = this.string(this.uint(2));
      else if (h === 0xdb) key = this.string(this.uint(4));
      else throw UNUSUAL; // non-string keys
      if (key === '__proto__') throw UNUSUAL;
      out[key] = this.value(depth + 1);
    }
    return out;
  }
}

const fastReader = new FastReader();

/** `decode`, faster on what stores hold; the same values and, through the library, the same errors. */
export function decodeStored(bytes: Uint8Array): unknown {
  try {
    return fastReader.read(bytes);
  } catch (err) {
    if (err !== UNUSUAL) throw err;
    return decoder.decode(bytes);
  }
}
