// The controller's side of NATS request/reply. Every request goes to the role's subject, where the queue
// group hands it to one worker. The worker answers `accepted` at once (from then on the time-out runs) and
// later with the result, or `busy` (full, draining): then the request is sent again after a short back-off,
// to whichever worker the queue group picks. A worker that took the request and did not answer in time is
// named in the next send's Aurora-Avoid header and declines it, so the retry lands on another worker. All
// answers to one request, from any of its sends, count: the first final answer wins (handlers are
// deterministic, so any answer is the answer).
import { createInbox, headers, type Msg, type Subscription } from '@nats-io/transport-node';
import type { ReplyOf, RequestOf, Role } from '../../../actors/protocol.js';
import { checkReply, checkRequest, decodeChecked, encodeFieldsChecked } from '../boundary.js';
import { decodeMessage } from '../codec.js';
import {
  InvalidMessageError,
  PermissionDeniedError,
  RemoteError,
  RequestTimeoutError,
  TransportClosedError,
} from '../errors.js';
import type { RequestOptions } from '../port.js';
import { BlobUnavailableError } from './blob-fetch.js';
import { packBody, unpackManifest, type PackedBody } from './body.js';
import type { NatsContext } from './context.js';
import { blobSubject, Header, PROTOCOL_VERSION, rpcSubject, type WireStatus } from './wire.js';

export interface RequesterSettings {
  timeoutMs: number;
  retries: number;
  /** How long a request may wait for any worker to take it (ms). */
  acceptTimeoutMs: number;
  /** A send nobody answered (lost in a reconnect) is sent again after this long (ms). */
  resendMs: number;
}

const BACKOFF_FIRST_MS = 5;
const BACKOFF_MAX_MS = 250;

export class Requester {
  private readonly inbox = createInbox();
  private readonly sub: Subscription;
  private readonly byToken = new Map<string, Pending>();
  private readonly pending = new Set<Pending>();
  private sequence = 0;
  private closed = false;

  constructor(
    readonly ctx: NatsContext,
    readonly settings: RequesterSettings,
  ) {
    this.sub = ctx.nc.subscribe(`${this.inbox}.*`, {
      callback: (err, msg) => {
        if (err) ctx.log(`aurora transport: reply subscription failed: ${err.message}`);
        else this.byToken.get(msg.subject.slice(this.inbox.length + 1))?.onAnswer(msg);
      },
    });
  }

  async request<R extends Role>(role: R, request: RequestOf<R>, options: RequestOptions = {}): Promise<ReplyOf<R>> {
    if (this.closed) throw new TransportClosedError();
    let body: PackedBody;
    // Our blobs stay until the request is over: a retry's worker pulls them too.
    const unpins: (() => void)[] = [];
    try {
      const fields = encodeFieldsChecked(role, 'request', checkRequest(role, request, 'requester'), 'requester');
      body = packBody(fields, this.ctx.inlineBytes(), (hash, bytes) => unpins.push(this.ctx.blobs.putPinned(hash, bytes)), blobSubject(this.ctx.id));
    } catch (err) {
      for (const unpin of unpins) unpin();
      if (err instanceof InvalidMessageError) this.ctx.log(`aurora transport: refused to send a ${role} request: ${err.message}`);
      throw err;
    }
    this.ctx.stats.requests++;
    const pending = new Pending(this, role, body, {
      ...this.settings,
      timeoutMs: options.timeoutMs ?? this.settings.timeoutMs,
      retries: options.retries ?? this.settings.retries,
    });
    this.pending.add(pending);
    try {
      return (await pending.start()) as ReplyOf<R>;
    } finally {
      this.pending.delete(pending);
      for (const unpin of unpins) unpin();
    }
  }

  newReplySubject(pending: Pending): string {
    const token = (++this.sequence).toString(36);
    this.byToken.set(token, pending);
    pending.tokens.push(token);
    return `${this.inbox}.${token}`;
  }

  forget(tokens: readonly string[]): void {
    for (const token of tokens) this.byToken.delete(token);
  }

  /** After a reconnect: what no worker has taken may have been lost with the old connection. */
  resendUntaken(): void {
    for (const p of this.pending) p.resendIfUntaken();
  }

  /** The server refused our publish on `subject`: the requests sent there cannot succeed. */
  publishDenied(subject: string): void {
    for (const p of this.pending) if (p.subject === subject) p.fail(new PermissionDeniedError('publish', subject));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending) p.fail(new TransportClosedError());
    if (!this.ctx.nc.isClosed()) this.sub.unsubscribe();
  }
}

class Pending {
  readonly subject: string;
  readonly tokens: string[] = [];
  private accepted: string | undefined;
  private attempts = 1;
  private readonly timedOut: string[] = [];
  /** Workers named in Aurora-Avoid: those that timed out, until only they are left (see onAnswer). */
  private avoid: string[] = [];
  private onlyAvoidedSince: number | undefined;
  private busyStreak = 0;
  private finishing = false;
  private settled = false;
  private sendTimer: NodeJS.Timeout | undefined;
  private workTimer: NodeJS.Timeout | undefined;
  private acceptTimer: NodeJS.Timeout | undefined;
  private resolve!: (value: unknown) => void;
  private reject!: (err: Error) => void;

  constructor(
    private readonly requester: Requester,
    private readonly role: Role,
    private readonly body: PackedBody,
    private readonly settings: RequesterSettings,
  ) {
    this.subject = rpcSubject(role);
  }

  start(): Promise<unknown> {
    const promise = new Promise<unknown>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.armAcceptTimer();
    this.send();
    return promise;
  }

  resendIfUntaken(): void {
    if (!this.settled && !this.finishing && this.accepted === undefined) this.send();
  }

  fail(err: Error): void {
    this.settle(() => this.reject(err));
  }

  onAnswer(msg: Msg): void {
    if (this.settled) return;
    const { ctx } = this.requester;
    if (msg.headers?.code === 503) {
      ctx.stats.noResponders++;
      this.sendLater();
      return;
    }
    const status = msg.headers?.get(Header.status) as WireStatus | '' | undefined;
    const worker = msg.headers?.get(Header.worker) || 'an unnamed worker';
    switch (status) {
      case 'accepted':
        if (this.accepted !== undefined || this.finishing) return;
        this.accepted = worker;
        this.busyStreak = 0;
        this.onlyAvoidedSince = undefined;
        clearTimeout(this.sendTimer);
        clearTimeout(this.acceptTimer);
        this.workTimer = setTimeout(() => this.timedOutOn(worker, `no answer within ${this.settings.timeoutMs} ms`), this.settings.timeoutMs);
        return;
      case 'busy':
        ctx.stats.busy++;
        this.noteDecline(worker);
        if (this.accepted === undefined && !this.finishing) this.sendLater();
        return;
      case 'ok':
        if (!this.finishing) void this.finish(worker, msg);
        return;
      case 'invalid-request':
      case 'invalid-reply': {
        const { issues } = errorBody(msg.data);
        const direction = status === 'invalid-request' ? 'request' : 'reply';
        this.fail(new InvalidMessageError(this.role, direction, 'worker', issues));
        return;
      }
      case 'failed':
        this.fail(new RemoteError(this.role, worker, errorBody(msg.data).message));
        return;
      case 'unavailable':
        // The worker could not pull our blobs (a broken connection): another worker may.
        if (this.accepted === worker) this.timedOutOn(worker, `could not pull the request: ${errorBody(msg.data).message}`);
        else if (this.accepted === undefined) this.sendLater();
        return;
      default:
        ctx.log(`aurora transport: ignored an answer to a ${this.role} request with no known ${Header.status} from ${worker}`);
    }
  }

  private send(): void {
    if (this.settled) return;
    const { ctx } = this.requester;
    clearTimeout(this.sendTimer);
    const h = headers();
    h.set(Header.protocol, PROTOCOL_VERSION);
    h.set(Header.body, this.body.kind);
    if (this.avoid.length > 0) h.set(Header.avoid, this.avoid.join(','));
    try {
      ctx.nc.publish(this.subject, this.body.data, { reply: this.requester.newReplySubject(this), headers: h });
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    ctx.stats.sends++;
    this.sendTimer = setTimeout(() => this.resendIfUntaken(), this.settings.resendMs);
  }

  /**
   * A worker that timed out declines the retry, so another takes it. If for a whole time-out only such
   * workers have answered, there is no other (one worker, or the others gone): let them have it again.
   */
  private noteDecline(worker: string): void {
    if (!this.avoid.includes(worker)) {
      this.onlyAvoidedSince = undefined;
      return;
    }
    const now = performance.now();
    this.onlyAvoidedSince ??= now;
    if (now - this.onlyAvoidedSince < this.settings.timeoutMs) return;
    this.requester.ctx.log(
      `aurora transport: only ${this.role} workers that timed out on this request answer; sending it to them again (${this.avoid.join(', ')})`,
    );
    this.avoid = [];
    this.onlyAvoidedSince = undefined;
  }

  /** Sends again after a back-off that grows while every worker is busy. */
  private sendLater(): void {
    clearTimeout(this.sendTimer);
    const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.busyStreak);
    this.busyStreak++;
    this.sendTimer = setTimeout(() => this.resendIfUntaken(), wait);
  }

  private armAcceptTimer(): void {
    clearTimeout(this.acceptTimer);
    this.acceptTimer = setTimeout(() => {
      if (this.accepted !== undefined || this.finishing) return;
      this.fail(
        new RequestTimeoutError(
          this.role,
          this.attempts,
          this.timedOut,
          `no ${this.role} worker took the request within ${this.settings.acceptTimeoutMs} ms (is any running, and allowed to subscribe?)`,
        ),
      );
    }, this.settings.acceptTimeoutMs);
  }

  private timedOutOn(worker: string, why: string): void {
    if (this.settled) return;
    const { ctx } = this.requester;
    clearTimeout(this.workTimer);
    ctx.stats.timeouts++;
    this.timedOut.push(worker);
    if (!this.avoid.includes(worker)) this.avoid.push(worker);
    if (this.attempts > this.settings.retries) {
      this.fail(new RequestTimeoutError(this.role, this.attempts, this.timedOut, `${why} (worker ${worker}, attempt ${this.attempts})`));
      return;
    }
    this.attempts++;
    ctx.stats.retries++;
    ctx.log(
      `aurora transport: ${this.role} worker ${worker}: ${why}; ` +
        `sending the request to another worker (attempt ${this.attempts} of ${this.settings.retries + 1})`,
    );
    this.accepted = undefined;
    this.finishing = false;
    this.busyStreak = 0;
    this.armAcceptTimer();
    this.send();
  }

  private async finish(worker: string, msg: Msg): Promise<void> {
    const { ctx } = this.requester;
    this.finishing = true;
    clearTimeout(this.workTimer);
    clearTimeout(this.sendTimer);
    clearTimeout(this.acceptTimer);
    try {
      const kind = msg.headers?.get(Header.body) || 'inline';
      // A reply's blobs are read once: not worth a place in the cache.
      const pull = (source: string, hash: string, size: number) => ctx.fetcher.fetch(source, hash, size, false);
      const value =
        kind === 'manifest'
          ? await unpackManifest(this.role, 'reply', msg.data, 'requester', pull, ctx.maxBlobBytes)
          : decodeChecked(this.role, 'reply', msg.data, 'requester');
      const reply = checkReply(this.role, value, 'requester');
      ctx.stats.answeredBy[worker] = (ctx.stats.answeredBy[worker] ?? 0) + 1;
      this.settle(() => this.resolve(reply));
    } catch (err) {
      if (err instanceof BlobUnavailableError) {
        this.timedOutOn(worker, `its reply could not be pulled: ${err.message}`);
        return;
      }
      if (err instanceof InvalidMessageError) ctx.log(`aurora transport: refused a ${this.role} reply from ${worker}: ${err.message}`);
      this.fail(err as Error);
    }
  }

  private settle(action: () => void): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.sendTimer);
    clearTimeout(this.workTimer);
    clearTimeout(this.acceptTimer);
    this.requester.forget(this.tokens);
    action();
  }
}

/** The body of an error answer: {message, issues}; anything else still yields a message. */
function errorBody(data: Uint8Array): { message: string; issues: string[] } {
  try {
    const value = decodeMessage(data) as { message?: unknown; issues?: unknown };
    const message = typeof value?.message === 'string' ? value.message : 'no message';
    const issues = Array.isArray(value?.issues) ? value.issues.filter((i): i is string => typeof i === 'string') : [];
    return { message, issues: issues.length > 0 ? issues : [message] };
  } catch {
    return { message: 'an unreadable error answer', issues: ['an unreadable error answer'] };
  }
}
