// What a requester can be told went wrong, as typed errors it can tell apart.
import type { Role } from '../../actors/protocol.js';

/** Which end of the transport noticed the problem. */
export type Side = 'requester' | 'worker';
export type Direction = 'request' | 'reply';

export class TransportError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** A request or reply that did not validate against the role's schema (or was not MessagePack at all). */
export class InvalidMessageError extends TransportError {
  constructor(
    readonly role: Role,
    readonly direction: Direction,
    /** Who refused it: the requester (before sending, or on receipt of the reply) or the worker. */
    readonly side: Side,
    /** One line per problem: `scenario.tasks[3].cores: Too small: expected number to be >=1`. */
    readonly issues: readonly string[],
  ) {
    super(`invalid ${role} ${direction}, refused by the ${side}: ${summarise(issues)}`);
    this.name = 'InvalidMessageError';
  }
}

/** The worker's handler failed; the message is the handler's. Not retried: handlers are deterministic. */
export class RemoteError extends TransportError {
  constructor(
    readonly role: Role,
    readonly worker: string,
    readonly remoteMessage: string,
  ) {
    super(`${role} worker ${worker} failed: ${remoteMessage}`);
    this.name = 'RemoteError';
  }
}

/** No answer after every attempt, or no worker took the request in time. */
export class RequestTimeoutError extends TransportError {
  constructor(
    readonly role: Role,
    readonly attempts: number,
    /** Workers that took the request and did not answer in time, in order. */
    readonly workers: readonly string[],
    detail: string,
  ) {
    super(`${role} request timed out: ${detail}`);
    this.name = 'RequestTimeoutError';
  }
}

/** In-process: nobody serves the role. */
export class NoHandlerError extends TransportError {
  constructor(readonly role: Role) {
    super(`no ${role} handler is being served`);
    this.name = 'NoHandlerError';
  }
}

/** The server refused a publish or subscribe for this user (see nats.conf). */
export class PermissionDeniedError extends TransportError {
  constructor(
    readonly operation: 'publish' | 'subscribe',
    readonly subject: string,
  ) {
    super(`the NATS server refused to let this user ${operation} on ${subject} (see the user's permissions in nats.conf)`);
    this.name = 'PermissionDeniedError';
  }
}

export class TransportClosedError extends TransportError {
  constructor() {
    super('the transport is closed');
    this.name = 'TransportClosedError';
  }
}

function summarise(issues: readonly string[]): string {
  if (issues.length === 0) return 'no detail';
  const shown = issues.slice(0, 3).join('; ');
  return issues.length > 3 ? `${shown} (+${issues.length - 3} more)` : shown;
}
