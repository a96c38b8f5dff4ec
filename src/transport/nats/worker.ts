// A worker serving one role over NATS: a queue subscription on the role's subject, so the server hands each
// request to one of the role's workers, wherever they run. It takes at most `concurrency + prefetch`
// requests at a time and declines the rest as `busy`, so a slow or stuck worker does not hoard work.
import { headers, type Msg, type Subscription } from '@nats-io/transport-node';
import type { ReplyOf, Role } from '../../../actors/protocol.js';
import { decodeChecked, encodeFieldsChecked } from '../boundary.js';
import { encodeMessage } from '../codec.js';
import { InvalidMessageError, PermissionDeniedError } from '../errors.js';
import type { Handler, Served } from '../port.js';
import { answer } from '../responder.js';
import { packBody, unpackManifest, type PackedBody } from './body.js';
import type { NatsContext } from './context.js';
import { blobSubject, Header, PROTOCOL_VERSION, queueGroup, rpcSubject, type WireStatus } from './wire.js';
import { settlesWithin } from './settles-within.js';

/** How long a drain waits for requesters to pull the blobs of replies already sent (ms). */
const DRAIN_BLOB_WAIT_MS = 30_000;

export class NatsWorker<R extends Role> implements Served {
  private sub: Subscription | undefined;
  private running = 0;
  private readonly waiting: Msg[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly ctx: NatsContext,
    readonly role: R,
    readonly id: string,
    private readonly handler: Handler<R>,
    private readonly concurrency: number,
    private readonly prefetch: number,
  ) {}

  async start(): Promise<void> {
    const subject = rpcSubject(this.role);
    this.sub = this.ctx.nc.subscribe(subject, {
      queue: queueGroup(this.role),
      callback: (err, msg) => {
        if (err) this.ctx.log(`aurora transport: ${this.role} worker ${this.id}: subscription ended: ${err.message}`);
        else this.onRequest(msg);
      },
    });
    // The server answers a refused subscription with an error before the flush's PONG.
    await this.ctx.nc.flush();
    if (this.sub.isClosed()) {
      await this.sub.closed;
      throw new PermissionDeniedError('subscribe', `${subject} (queue ${queueGroup(this.role)})`);
    }
  }

  drain(): Promise<void> {
    this.draining ??= (async () => {
      // Unsubscribing needs the server; while it is away, stop taking requests and go on.
      if (this.sub && !(await settlesWithin(this.sub.drain(), 5_000))) this.sub.unsubscribe();
      if (this.running + this.waiting.length > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.ctx.blobs.whenNoLeases(), new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_BLOB_WAIT_MS)))]);
      clearTimeout(timer);
    })();
    return this.draining;
  }

  private onRequest(msg: Msg): void {
    if (!msg.reply) {
      this.ctx.log(`aurora transport: ${this.role} worker ${this.id} ignored a message on ${msg.subject} with no reply subject`);
      return;
    }
    const avoid = (msg.headers?.get(Header.avoid) ?? '').split(',');
    if (this.draining || avoid.includes(this.id) || this.running + this.waiting.length >= this.concurrency + this.prefetch) {
      this.ctx.stats.declined++;
      this.respond(msg, 'busy');
      return;
    }
    this.ctx.stats.accepted++;
    this.respond(msg, 'accepted');
    this.waiting.push(msg);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) void this.run(this.waiting.shift()!);
  }

  private async run(msg: Msg): Promise<void> {
    this.running++;
    const origin = msg.reply!;
    // `accepted` is already written: the client flushes in a microtask queued before this continuation
    // (a manifest's blob pulls yield to the event loop as well), so a handler that blocks comes after it.
    try {
      const outcome = await answer(
        this.role,
        this.handler,
        () => this.load(msg),
        (reply) => this.pack(reply),
        { worker: this.id, origin, log: this.ctx.log },
      );
      if (outcome.status === 'ok') {
        this.respond(msg, 'ok', outcome.body.data, outcome.body.kind);
      } else {
        this.respond(msg, outcome.status, encodeMessage({ message: outcome.message, issues: outcome.issues }));
      }
      this.ctx.stats.answered++;
    } catch (err) {
      // Not the request's fault (its blobs could not be pulled): the requester sends it elsewhere.
      const message = (err as Error).message;
      this.ctx.log(`aurora transport: ${this.role} worker ${this.id} could not serve a request from ${origin}: ${message}`);
      this.respond(msg, 'unavailable', encodeMessage({ message, issues: [] }));
    } finally {
      this.running--;
      this.pump();
      if (this.running + this.waiting.length === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private load(msg: Msg): Promise<unknown> | unknown {
    const version = msg.headers?.get(Header.protocol) || PROTOCOL_VERSION;
    if (version !== PROTOCOL_VERSION) {
      const problem = `${Header.protocol} ${version} is not supported (this worker speaks ${PROTOCOL_VERSION})`;
      throw new InvalidMessageError(this.role, 'request', 'worker', [problem]);
    }
    const kind = msg.headers?.get(Header.body) || 'inline';
    if (kind === 'inline') return decodeChecked(this.role, 'request', msg.data, 'worker');
    if (kind === 'manifest') {
      return unpackManifest(this.role, 'request', msg.data, 'worker', this.ctx.fetcher.fetch, this.ctx.maxBlobBytes);
    }
    throw new InvalidMessageError(this.role, 'request', 'worker', [`unknown ${Header.body} ${JSON.stringify(kind)}`]);
  }

  private pack(reply: ReplyOf<R>): PackedBody {
    const fields = encodeFieldsChecked(this.role, 'reply', reply, 'worker');
    const hold = (hash: string, bytes: Uint8Array) => this.ctx.blobs.putLeased(hash, bytes, this.ctx.replyLeaseMs);
    return packBody(fields, this.ctx.inlineBytes(), hold, blobSubject(this.ctx.id));
  }

  private respond(msg: Msg, status: WireStatus, data?: Uint8Array, body?: string): void {
    const h = headers();
    h.set(Header.status, status);
    h.set(Header.worker, this.id);
    if (body) h.set(Header.body, body);
    try {
      msg.respond(data, { headers: h });
    } catch (err) {
      this.ctx.log(`aurora transport: ${this.role} worker ${this.id} could not answer ${msg.reply}: ${(err as Error).message}`);
    }
  }
}
