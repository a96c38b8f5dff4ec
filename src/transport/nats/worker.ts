// A worker serving one role over NATS: a queue subscription on the role's subject, so the server hands each
// request to one of the role's workers, wherever they run. It takes at most `concurrency + prefetch`
// requests at a time and declines the rest as `busy`, so a slow or stuck worker does not hoard work.
// Every answer says how many more it would take (Aurora-Free) and where to send them to it alone
// (Aurora-Direct, an inbox it also listens on): a requester holding declined requests sends them straight
// to a worker that has room, instead of retrying the queue group at random.
import { createInbox, headers, type Msg, type Subscription } from '@nats-io/transport-node';
import type { ReplyOf, Role } from '../../../actors/protocol.js';
import { decodeChecked, encodeFieldsChecked } from '../boundary.js';
import { encodeMessage } from '../codec.js';
import { InvalidMessageError, PermissionDeniedError } from '../errors.js';
import type { Handler, Served } from '../port.js';
import { answer } from '../responder.js';
import { packBody, unpackManifest, type PackedBody } from './body.js';
import type { NatsContext } from './context.js';
import { blobSubject, Header, PROTOCOL_VERSION, queueGroup, rpcSubject, type WireStatus } from './wire.js';
import { resolvesWithin, settlesWithin } from './settles-within.js';

/** How long a drain waits for requesters to pull the blobs of replies already sent (ms). */
const DRAIN_BLOB_WAIT_MS = 30_000;
/** How long a drain waits for the server: to leave the subscriptions, and to confirm it has every answer (ms). */
const DRAIN_SERVER_WAIT_MS = 5_000;

export class NatsWorker<R extends Role> implements Served {
  private sub: Subscription | undefined;
  private directSub: Subscription | undefined;
  /** Requests sent to this worker alone arrive here (Aurora-Direct). */
  readonly direct = createInbox();
  private running = 0;
  private readonly waiting: Msg[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private draining: Promise<void> | undefined;
  private delivered: boolean | undefined;

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
    this.directSub = this.ctx.nc.subscribe(this.direct, {
      callback: (err, msg) => {
        if (err) this.ctx.log(`aurora transport: ${this.role} worker ${this.id}: direct subscription ended: ${err.message}`);
        else this.onRequest(msg);
      },
    });
    // The server answers a refused subscription with an error before the flush's PONG.
    await this.ctx.nc.flush();
    if (this.sub.isClosed()) {
      await this.sub.closed;
      this.directSub.unsubscribe();
      throw new PermissionDeniedError('subscribe', `${subject} (queue ${queueGroup(this.role)})`);
    }
    if (this.directSub.isClosed()) {
      await this.directSub.closed;
      this.sub.unsubscribe();
      throw new PermissionDeniedError('subscribe', this.direct);
    }
  }

  /**
   * After a drain: true if the server confirmed it had every answer this worker wrote, false if it could not
   * be reached (answers written since it went away were lost with the connection); undefined before.
   */
  get handedOver(): boolean | undefined {
    return this.delivered;
  }

  drain(): Promise<void> {
    this.draining ??= (async () => {
      // Unsubscribing needs the server; while it is away, stop taking requests and go on.
      const leave = async (sub: Subscription | undefined) => {
        if (sub && !sub.isClosed() && !(await settlesWithin(sub.drain(), DRAIN_SERVER_WAIT_MS))) sub.unsubscribe();
      };
      await Promise.all([leave(this.sub), leave(this.directSub)]);
      if (this.running + this.waiting.length > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      // A flush resolves once the server has read everything written before it: the answers are handed over.
      // Without the server, nobody can pull reply blobs either, so waiting for that would only delay the stop.
      this.delivered = !this.ctx.nc.isClosed() && (await resolvesWithin(this.ctx.nc.flush(), DRAIN_SERVER_WAIT_MS));
      if (!this.delivered) return;
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
    if (msg.headers?.get(Header.probe)) {
      this.respond(msg, 'ready'); // a requester looking for room: nothing to take
      return;
    }
    const avoid = (msg.headers?.get(Header.avoid) ?? '').split(',');
    if (this.draining || avoid.includes(this.id) || this.free() === 0) {
      this.ctx.stats.declined++;
      this.respond(msg, 'busy');
      return;
    }
    this.ctx.stats.accepted++;
    this.waiting.push(msg); // first, so that the answer's Aurora-Free counts it
    this.respond(msg, 'accepted');
    this.pump();
  }

  /** How many more requests this worker would take now. */
  private free(): number {
    return this.draining ? 0 : Math.max(0, this.concurrency + this.prefetch - this.running - this.waiting.length);
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) void this.run(this.waiting.shift()!);
  }

  private async run(msg: Msg): Promise<void> {
    this.running++;
    const origin = msg.reply!;
    let final: [WireStatus, Uint8Array, string?];
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
      final =
        outcome.status === 'ok'
          ? ['ok', outcome.body.data, outcome.body.kind]
          : [outcome.status, encodeMessage({ message: outcome.message, issues: outcome.issues })];
      this.ctx.stats.answered++;
    } catch (err) {
      // Not the request's fault (its blobs could not be pulled): the requester sends it elsewhere.
      const message = (err as Error).message;
      this.ctx.log(`aurora transport: ${this.role} worker ${this.id} could not serve a request from ${origin}: ${message}`);
      final = ['unavailable', encodeMessage({ message, issues: [] })];
    }
    // The place is free before the answer goes: its Aurora-Free counts it, so the requester can fill it at once.
    this.running--;
    this.respond(msg, ...final);
    this.pump();
    if (this.running + this.waiting.length === 0) for (const wake of this.idleWaiters.splice(0)) wake();
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
    h.set(Header.free, String(this.free()));
    h.set(Header.direct, this.direct);
    if (body) h.set(Header.body, body);
    try {
      msg.respond(data, { headers: h });
    } catch (err) {
      this.ctx.log(`aurora transport: ${this.role} worker ${this.id} could not answer ${msg.reply}: ${(err as Error).message}`);
    }
  }
}
