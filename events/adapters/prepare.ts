// Everything an append does before it touches storage: validate each event, encode its canonical bytes,
// hash them, and refuse a batch that names one id twice. A batch that fails here stores nothing.
//
// Per event, in this order: the envelope (a known type), the canonical bytes (one pass that also refuses
// what is not plain data, naming its path), then the schemas through their compiled checks (exact on the
// canonical data the encoder has just accepted; zod words the error when they say no), then SHA-256.
// A batch's bytes are written into one buffer (CanonicalBatch): one allocation per batch, not per event.
import type { AuroraEvent } from '../catalogue.js';
import { CanonicalBatch, CodecError } from '../codec.js';
import { fingerprintOfBytes } from '../fingerprint.js';
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

/** Checks one event and writes its bytes into `bytes`; returns its type. */
function checkAndWrite(event: AuroraEvent, bytes: CanonicalBatch): string {
  const type = checkEnvelope(event);
  try {
    bytes.add(type, event.data, event.metadata);
  } catch (err) {
    if (err instanceof CodecError) throw new InvalidEventError(type, err.path, err.reason);
    throw err;
  }
  checkSchemas(type, event.data, event.metadata, true, true); // canonical: the encoder has just accepted it
  return type;
}

export function prepareEvent(event: AuroraEvent): PreparedEvent {
  return prepareBatch('(one event)', [event])[0]!;
}

export function prepareBatch(stream: string, events: readonly AuroraEvent[]): PreparedEvent[] {
  checkStreamName(stream);
  if (!Array.isArray(events)) throw new TypeError('appendToStream takes an array of events');
  const writer = new CanonicalBatch();
  const types = events.map((e) => checkAndWrite(e, writer));
  const bytes = writer.finish();
  const prepared = new Array<PreparedEvent>(events.length);
  const seen = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const eventId = event.metadata.eventId;
    if (seen.has(eventId)) throw new EventIdConflictError(stream, eventId, 'appears twice in one batch');
    seen.add(eventId);
    prepared[i] = {
      event,
      type: types[i]!,
      eventId,
      schemaVersion: event.metadata.schemaVersion,
      bytes: bytes[i]!,
      fingerprint: fingerprintOfBytes(bytes[i]!),
    };
  }
  return prepared;
}
