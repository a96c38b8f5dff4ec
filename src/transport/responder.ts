// The worker's side of the boundary, shared by every adapter: load the request, check it, run the handler,
// check and encode its reply. Anything that fails is logged in one line and answered with an error outcome;
// a request that does not validate never reaches the handler.
import type { ReplyOf, RequestOf, Role } from '../../actors/protocol.js';
import { checkReply, checkRequest } from './boundary.js';
import { InvalidMessageError } from './errors.js';
import type { Handler, Log } from './port.js';

export type FailureStatus = 'invalid-request' | 'invalid-reply' | 'failed';

export type Outcome<T> =
  | { readonly status: 'ok'; readonly body: T }
  | { readonly status: FailureStatus; readonly message: string; readonly issues: readonly string[] };

export interface Answering {
  readonly worker: string;
  /** Where the request came from, for the log line (a reply subject, `in-process`). */
  readonly origin: string;
  readonly log: Log;
  /**
   * The request was checked by a requester in this same process and arrives as a copy of what passed
   * (in-process): it is not checked a second time.
   */
  readonly requestChecked?: boolean;
  /** `encode` checks the reply itself (in-process: admitMessage), so it is not checked here first. */
  readonly encodeChecks?: boolean;
}

export async function answer<R extends Role, T>(
  role: R,
  handler: Handler<R>,
  load: () => unknown,
  encode: (reply: ReplyOf<R>) => T,
  at: Answering,
): Promise<Outcome<T>> {
  let request;
  try {
    const loaded = await load();
    request = at.requestChecked === true ? (loaded as RequestOf<R>) : checkRequest(role, loaded, 'worker');
  } catch (err) {
    if (!(err instanceof InvalidMessageError)) throw err;
    at.log(`aurora transport: ${role} worker ${at.worker} refused a request from ${at.origin}: ${err.message}`);
    return { status: 'invalid-request', message: err.message, issues: err.issues };
  }
  let reply: unknown;
  try {
    reply = await handler(request);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    at.log(`aurora transport: ${role} worker ${at.worker}: handler failed on a request from ${at.origin}: ${message}`);
    return { status: 'failed', message, issues: [] };
  }
  try {
    return { status: 'ok', body: encode(at.encodeChecks === true ? (reply as ReplyOf<R>) : checkReply(role, reply, 'worker')) };
  } catch (err) {
    if (!(err instanceof InvalidMessageError)) throw err;
    at.log(`aurora transport: ${role} worker ${at.worker} refused its handler's reply to ${at.origin}: ${err.message}`);
    return { status: 'invalid-reply', message: err.message, issues: err.issues };
  }
}
