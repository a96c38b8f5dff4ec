// The transport port: how the controller asks a role (attacker, defender, simulator) for an answer and how
// a worker serves a role. Two adapters implement it: in-process (the embedded default) and NATS (workers in
// any number of processes and machines). Both validate every request and reply with the role's schema from
// actors/protocol.ts where it crosses a process boundary (NATS: at both ends; in-process: once, where it
// enters the transport) and move them as canonical MessagePack, so they hand handlers and requesters the
// same data.
import type { ReplyOf, RequestOf, Role } from '../../actors/protocol.js';

export type { ReplyOf, RequestOf, Role };

/** Answers one request of a role. Handlers are deterministic and idempotent: a retry is always safe. */
export type Handler<R extends Role> = (request: RequestOf<R>) => Promise<ReplyOf<R>>;

export interface RequestOptions {
  /** How long a worker may take once it has taken the request (ms). Waiting for a free worker is not counted. */
  timeoutMs?: number;
  /** How many times a request that timed out is sent again, each time avoiding the workers that timed out. */
  retries?: number;
}

export interface ServeOptions {
  /** How many requests this handler runs at once (default 1). */
  concurrency?: number;
}

/** A handler being served. */
export interface Served {
  readonly role: Role;
  /** Names this worker in logs and in the NATS `Aurora-Worker` header. */
  readonly id: string;
  /** Stops taking requests, finishes the ones it has taken (and hands over their replies), then stops. */
  drain(): Promise<void>;
}

export interface Transport {
  request<R extends Role>(role: R, request: RequestOf<R>, options?: RequestOptions): Promise<ReplyOf<R>>;
  serve<R extends Role>(role: R, handler: Handler<R>, options?: ServeOptions): Promise<Served>;
  /** Drains everything this transport serves, fails its pending requests, and releases its resources. */
  close(): Promise<void>;
}

/** Where a transport writes its one-line notices (rejected messages, retries, reconnects). Never secrets. */
export type Log = (line: string) => void;

export const stderrLog: Log = (line) => {
  process.stderr.write(`${line}\n`);
};

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_RETRIES = 2;
