// The NATS wire: subjects, queue groups and headers of AURORA's actor messages (docs/nats-actors.md).
import type { Role } from '../../../actors/protocol.js';

/** Requests for a role; every worker of the role subscribes in the role's queue group. */
export const rpcSubject = (role: Role): string => `aurora.rpc.${role}`;
export const queueGroup = (role: Role): string => `aurora-${role}`;

/** Where a transport serves the chunks of its blobs (large message fields), one subject per connection. */
export const blobSubject = (owner: string): string => `aurora.blob.${owner}`;
export const isBlobSubject = (subject: string): boolean => /^aurora\.blob\.[A-Za-z0-9_-]{1,64}$/.test(subject);

export const PROTOCOL_VERSION = '1';

export const Header = {
  /** Wire version of a request. */
  protocol: 'Aurora-Protocol',
  /** `inline` (the body is the message) or `manifest` (the body names blobs to pull). */
  body: 'Aurora-Body',
  /** Worker ids, comma-separated, that timed out on this request: they decline it. */
  avoid: 'Aurora-Avoid',
  /** On a probe (no request in it): the worker only answers `ready` with its Aurora-Free and Aurora-Direct. */
  probe: 'Aurora-Probe',
  /** On every answer: the worker that sent it. */
  worker: 'Aurora-Worker',
  /** On every answer and chunk: what it is (WireStatus or ChunkStatus). */
  status: 'Aurora-Status',
  /** On every answer: how many more requests the worker would take right now (0 when full or draining). */
  free: 'Aurora-Free',
  /** On every answer: the worker's own subject, where a request goes to it alone (an `_INBOX.` subject). */
  direct: 'Aurora-Direct',
} as const;

/** A worker's direct subject: an inbox, so it needs no permission beyond request/reply's. */
export const isDirectSubject = (subject: string): boolean => /^_INBOX\.[A-Za-z0-9_-]{1,64}$/.test(subject);

export type BodyKind = 'inline' | 'manifest';

/**
 * Answers to a request, on its reply subject: `accepted` (the worker took it; the time-out starts), then
 * one final answer; or `busy` (full, draining, or told to avoid itself: send it again). A probe is
 * answered `ready` (nothing taken; the headers say how much room the worker has).
 */
export type WireStatus = 'accepted' | 'busy' | 'ok' | 'invalid-request' | 'invalid-reply' | 'failed' | 'unavailable' | 'ready';

export const wireStatuses: readonly WireStatus[] = ['accepted', 'busy', 'ok', 'invalid-request', 'invalid-reply', 'failed', 'unavailable', 'ready'];

export type ChunkStatus = 'ok' | 'missing';
