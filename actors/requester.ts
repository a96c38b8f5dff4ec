// What the controller needs from a transport: send one role a request and get its validated reply.
// The adapters (in-process, NATS) live in src/transport and satisfy this structurally.
import type { ReplyOf, RequestOf, Role } from './protocol.js';

export interface Requester {
  request<R extends Role>(role: R, request: RequestOf<R>, options?: { timeoutMs?: number; retries?: number }): Promise<ReplyOf<R>>;
}
