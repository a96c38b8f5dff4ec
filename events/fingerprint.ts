// An event's fingerprint: the SHA-256 (hex) of its canonical bytes, encodeCanonical({type, data, metadata}).
// Where and when it was stored (stream, revision, position, recordedAt) is not part of it, so the same run
// replayed, on any store, gives the same fingerprints.
import { hash } from 'node:crypto';
import { encodeEnvelope } from './codec.js';

/** The three parts of an event that its bytes hold; anything else on the object is ignored. */
export interface EventEnvelope {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** The canonical bytes of an event (CodecError names the path of any value that is not plain data). */
export function eventBytes(event: EventEnvelope): Uint8Array {
  return encodeEnvelope(event.type, event.data, event.metadata);
}

/** SHA-256 (hex) of some bytes. */
export function fingerprintOfBytes(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex');
}

/** The fingerprint of an event: SHA-256 (hex) of its canonical bytes. */
export function fingerprint(event: EventEnvelope): string {
  return fingerprintOfBytes(eventBytes(event));
}
