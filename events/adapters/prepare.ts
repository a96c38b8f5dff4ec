// Everything an append does before it touches storage: validate each event, encode its canonical bytes,
// hash them, and refuse a batch that names one id twice. A batch that fails here stores nothing.
import type { AuroraEvent } from '../catalogue.js';
import { CodecError } from '../codec.js';
import { eventBytes, fingerprintOfBytes } from '../fingerprint.js';
import { EventIdConflictError } from '../store.js';
import { InvalidEventError, checkEnvelope, checkSchemas } from '../validate.js';

export interface PreparedEvent {
  readonly event: AuroraEvent;
  readonly type: string;
  readonly eventId: string;
  readonly schemaVersion: number;
  readonly bytes: Uint8Array;
  readonly fingerprint: string;
}

export function checkStreamName(stream: unknown): asserts stream is string {
  if (typeof stream !== 'string' || stream.length === 0) throw new TypeError('a stream name must be a non-empty string');
}

export function prepareEvent(event: AuroraEvent): PreparedEvent {
  const type = checkEnvelope(event);
  let bytes: Uint8Array;
  try {
    bytes = eventBytes(event);
  } catch (err) {
    if (err instanceof CodecError) throw new InvalidEventError(type, err.path, err.reason);
    throw err;
  }
  checkSchemas(type, event.data, event.metadata);
  return {
    event,
    type,
    eventId: event.metadata.eventId,
    schemaVersion: event.metadata.schemaVersion,
    bytes,
    fingerprint: fingerprintOfBytes(bytes),
  };
}

export function prepareBatch(stream: string, events: readonly AuroraEvent[]): PreparedEvent[] {
  checkStreamName(stream);
  if (!Array.isArray(events)) throw new TypeError('appendToStream takes an array of events');
  const prepared = events.map(prepareEvent);
  const seen = new Set<string>();
  for (const p of prepared) {
    if (seen.has(p.eventId)) throw new EventIdConflictError(stream, p.eventId, 'appears twice in one batch');
    seen.add(p.eventId);
  }
  return prepared;
}
