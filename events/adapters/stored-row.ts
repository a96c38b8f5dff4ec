// A stored event as the SQL adapters hold it, and the one way back from storage to a RecordedEvent:
// verify the fingerprint against the bytes, decode, check the columns agree with the bytes, upcast.
import type { AuroraEvent, EventMetadata } from '../catalogue.js';
import { decodeStored as decode } from '../codec.js';
import { fingerprintOfBytes } from '../fingerprint.js';
import { TamperedEventError, type RecordedEvent } from '../store.js';
import { UnknownEventTypeError, UnknownSchemaVersionError, upcasters as defaultUpcasters, type UpcasterRegistry } from '../upcasters.js';
import { InvalidEventError, checkSchemas } from '../validate.js';
import type { StoreOptions } from './options.js';

export interface StoredRow {
  position: number;
  stream: string;
  revision: number;
  eventId: string;
  type: string;
  bytes: Uint8Array;
  fingerprint: string;
  recordedAt: string;
}

/** Rows must be the positions from, from + 1, …: a hole means an event was removed behind AURORA's back. */
export function checkContiguous(rows: readonly { position: number }[], from: number): void {
  for (let i = 0; i < rows.length; i++) {
    const position = rows[i]!.position;
    if (position !== from + i) {
      throw new TamperedEventError(from + i, `missing from the global order (the next stored position is ${position})`);
    }
  }
}

/** Revisions of one stream must be from, from + 1, … likewise. */
export function checkStreamContiguous(stream: string, rows: readonly { revision: number; position: number }[], from: number): void {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.revision !== from + i) {
      throw new TamperedEventError(row.position, `stream ${stream} skips revision ${from + i} (found ${row.revision})`);
    }
  }
}

export class Materializer {
  private readonly upcasters: UpcasterRegistry;
  private readonly validateAll: boolean;

  constructor(options: StoreOptions = {}) {
    this.upcasters = options.upcasters ?? defaultUpcasters;
    this.validateAll = options.validateOnRead ?? false;
  }

  toRecorded(row: StoredRow): RecordedEvent {
    return this.fromColumns(row.position, row.stream, row.revision, row.eventId, row.type, row.bytes, row.fingerprint, row.recordedAt);
  }

  /** toRecorded from the columns themselves, for adapters that read rows as arrays (no row object built). */
  fromColumns(
    position: number,
    stream: string,
    revision: number,
    eventId: string,
    type: string,
    bytes: Uint8Array,
    fingerprint: string,
    recordedAt: string,
  ): RecordedEvent {
    const actual = fingerprintOfBytes(bytes);
    if (actual !== fingerprint) {
      throw new TamperedEventError(position, `its bytes hash to ${actual}, its recorded fingerprint is ${fingerprint}`);
    }
    let decoded: { type?: unknown; data?: unknown; metadata?: Partial<EventMetadata> };
    try {
      decoded = decode(bytes) as typeof decoded;
    } catch (err) {
      throw new TamperedEventError(position, `its bytes do not decode: ${(err as Error).message}`);
    }
    if (typeof decoded !== 'object' || decoded === null || typeof decoded.metadata !== 'object' || decoded.metadata === null) {
      throw new TamperedEventError(position, 'its bytes are not an event {type, data, metadata}');
    }
    if (decoded.type !== type) {
      throw new TamperedEventError(position, `stored as type ${type} but its bytes say ${String(decoded.type)}`);
    }
    if (decoded.metadata.eventId !== eventId) {
      throw new TamperedEventError(position, `stored as id ${eventId} but its bytes say ${String(decoded.metadata.eventId)}`);
    }
    let event = decoded as AuroraEvent;
    try {
      if (this.upcasters.needsUpcast(type, event.metadata.schemaVersion)) {
        event = this.upcasters.upcast(event);
        checkSchemas(event.type, event.data, event.metadata, false);
      } else if (this.validateAll) {
        checkSchemas(event.type, event.data, event.metadata, true);
      }
    } catch (err) {
      throw withPosition(err, position);
    }
    return {
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      stream,
      revision,
      position,
      recordedAt,
      fingerprint,
    } as RecordedEvent;
  }
}

function withPosition(err: unknown, position: number): unknown {
  if (err instanceof UnknownEventTypeError) return new UnknownEventTypeError(err.eventType, position);
  if (err instanceof UnknownSchemaVersionError) {
    return new UnknownSchemaVersionError(err.eventType, err.version, err.current, err.detail, position);
  }
  if (err instanceof InvalidEventError) return new InvalidEventError(err.eventType, err.path, err.reason, position);
  return err;
}
