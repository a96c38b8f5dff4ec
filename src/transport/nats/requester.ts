// The controller's side of NATS request/reply. A request goes to the role's subject, where the queue group
// hands it to one worker, or straight to a worker known to have room. The worker answers `accepted` at
// once (from then on the time-out runs) and later with the result, or `busy` (full, draining). Every answer
// carries the worker's free places and its direct subject, so the requester keeps a line of declined
// requests per role and sends the oldest straight to a worker the moment one says it has room (its final
// answer frees a place): no worker idles while a request waits, and nothing waits on a back-off timer. The
// queue group is still probed while requests wait (a probe carries no request; any worker answers it with
// its room), which is how workers the requester has not heard from yet are found: soon after a request
// comes, then less and less often, so that a known worker answering fast does not hide idle ones. A worker
// that took the request and did not answer in time is named in the next send's Aurora-Avoid header and
// declines it, so the retry lands on another worker. All answers to one request, from any of its sends,
// count: the first final answer wins (handlers are deterministic, so any answer is the answer).
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
import { blobSubject, Header, isDirectSubject, PROTOCOL_VERSION, rpcSubject, type WireStatus } from './wire.js';
import { Role as Roles } from '../../../actors/protocol.js';

export interface RequesterSettings {
  timeoutMs: number;
  retries: number;
  /** How long a request may wait for any worker to take it (ms). */
  acceptTimeoutMs: number;
  /** A send nobody answered (lost in a reconnect) is sent again after this long (ms). */
  resendMs: number;
  /** While requests wait, the queue group is probed after `probeFirstMs`, then twice as late each time up to every `probeMs` (ms). */
  probeFirstMs: number;
  probeMs: number;
}
/** Reply token of probes (request tokens are base-36 numbers): `probe-<role>`. */
const PROBE_TOKEN = 'probe-';

/** A worker of a role as its last answer described it. */
export interface KnownWorker {
  readonly id: string;
  direct: string;
  free: number;
}

const perRole = <T>(make: () => T): Record<Role, T> => ({ attacker: make(), defender: make(), simulator: make() });

export class Requester {
  private readonly inbox = createInbox();
  private readonly sub: Subscription;
  private readonly byToken = new Map<string, Pending>();
  private readonly pending = new Set<Pending>();
  /** Workers heard from, by role and id. */
  private readonly known = perRole(() => new Map<string, KnownWorker>());
  /** Requests declined (busy) and not sent again yet, oldest first. */
  private readonly lines = perRole(() => new Set<Pending>());
  private readonly probes = perRole((): { timer: NodeJS.Timeout | undefined; streak: number } => ({ timer: undefined, streak: 0 }));
  private sequence = 0;
  private closed = false;

  constructor(
    readonly ctx: NatsContext,
    readonly settings: RequesterSettings,
  ) {
    this.sub = ctx.nc.subscribe(`${this.inbox}.*`, {
      callback: (err, msg) => {
        if (err) ctx.log(`aurora transport: reply subscription failed: ${err.message}`);
        else {
          const token = msg.subject.slice(this.inbox.length + 1);
          if (token.startsWith(PROBE_TOKEN)) this.onProbeAnswer(token.slice(PROBE_TOKEN.length), msg);
          else this.byToken.get(token)?.onAnswer(msg, token);
        }
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
    // New work: look for workers not heard from yet soon again, not only at the slowest probing pace.
    this.probes[role].streak = 0;
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

  /** Where a request goes next: straight to a known worker with room, the line (known workers are all full), or the queue group. */
  place(p: Pending): void {
    const worker = this.pick(p.role, p.avoided());
    if (worker) p.send(worker);
    else if (this.known[p.role].size > 0) this.wait(p);
    else p.send(undefined);
  }

  /** A declined request joins its role's line, unless a known worker has room for it now. */
  wait(p: Pending): void {
    this.lines[p.role].add(p);
    this.dispatch(p.role);
    if (this.lines[p.role].has(p)) this.armProbe(p.role);
  }

  leaveLine(p: Pending): void {
    const line = this.lines[p.role];
    if (line.delete(p) && line.size === 0) this.stopProbe(p.role);
  }

  /** A worker's answer: note its room and direct subject; if it has room, send it the oldest waiting requests. */
  heard(role: Role, msg: Msg): void {
    const id = msg.headers?.get(Header.worker);
    const direct = msg.headers?.get(Header.direct) ?? '';
    const free = Number(msg.headers?.get(Header.free));
    if (!id || !isDirectSubject(direct) || !Number.isInteger(free) || free < 0) return;
    const known = this.known[role];
    const worker = known.get(id);
    if (worker) {
      worker.direct = direct;
      worker.free = free;
    } else {
      known.set(id, { id, direct, free });
      this.probes[role].streak = 0;
    }
    if (free > 0) this.dispatch(role);
  }

  /** No one listens where we sent: that worker (or, for the queue group, every worker of the role) is gone. */
  gone(role: Role, worker: string | undefined): void {
    if (worker === undefined) this.known[role].clear();
    else this.known[role].delete(worker);
  }

  /** Workers this requester has heard from (for tests and diagnostics). */
  knownWorkers(role: Role): KnownWorker[] {
    return [...this.known[role].values()].map((w) => ({ ...w }));
  }

  private pick(role: Role, avoid: readonly string[]): KnownWorker | undefined {
    let best: KnownWorker | undefined;
    for (const w of this.known[role].values()) if (w.free > 0 && !avoid.includes(w.id) && (!best || w.free > best.free)) best = w;
    return best;
  }

  private dispatch(role: Role): void {
    const line = this.lines[role];
    for (const p of line) {
      const worker = this.pick(role, p.avoided());
      if (!worker) continue;
      line.delete(p);
      p.send(worker);
    }
    if (line.size === 0) this.stopProbe(role);
  }

  /**
   * While requests wait, the queue group is probed: it finds workers not heard from yet. With workers known,
   * a probe carries no request (any worker answers `ready` with its room, so nothing gets stuck behind a
   * long request on a busy worker); with none known, the oldest request goes itself. The first probe goes
   * soon (`probeFirstMs` after a new request or a newly found worker), then twice as late each time up to
   * `probeMs`: waiting `probeMs` at once let a known worker that answers faster than that take every
   * request while workers not heard from yet stayed idle.
   */
  private armProbe(role: Role): void {
    const probe = this.probes[role];
    if (probe.timer || this.closed) return;
    const wait = Math.min(this.settings.probeMs, this.settings.probeFirstMs * 2 ** probe.streak++);
    probe.timer = setTimeout(() => {
      probe.timer = undefined;
      const line = this.lines[role];
      const head = line.values().next().value;
      if (head === undefined) return;
      this.ctx.stats.probes++;
      // A request that avoids workers (they timed out on it) goes itself: they decline it, and only so can
      // the requester tell that no other worker answers (see Pending.noteDecline).
      for (const p of line) {
        if (p.avoided().length === 0) continue;
        line.delete(p);
        p.send(undefined);
      }
      if (line.size === 0) return;
      if (this.known[role].size > 0) {
        const h = headers();
        h.set(Header.protocol, PROTOCOL_VERSION);
        h.set(Header.probe, '1');
        try {
          this.ctx.nc.publish(rpcSubject(role), undefined, { reply: `${this.inbox}.${PROBE_TOKEN}${role}`, headers: h });
        } catch (err) {
          this.ctx.log(`aurora transport: could not probe the ${role} workers: ${(err as Error).message}`);
        }
      } else {
        const oldest = line.values().next().value!;
        line.delete(oldest);
        oldest.send(undefined);
      }
      if (line.size > 0) this.armProbe(role);
    }, wait);
  }

  private onProbeAnswer(role: string, msg: Msg): void {
    const parsed = Roles.safeParse(role);
    if (!parsed.success) return;
    if (msg.headers?.code === 503) {
      this.ctx.stats.noResponders++;
      this.gone(parsed.data, undefined);
      if (this.lines[parsed.data].size > 0) this.armProbe(parsed.data);
    } else {
      this.heard(parsed.data, msg);
    }
  }

  private stopProbe(role: Role): void {
    clearTimeout(this.probes[role].timer);
    this.probes[role].timer = undefined;
  }

  /** The server refused our publish on `subject`: the requests sent there cannot succeed. */
  publishDenied(subject: string): void {
    for (const p of this.pending) if (p.subject === subject) p.fail(new PermissionDeniedError('publish', subject));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const role of Object.keys(this.probes) as Role[]) this.stopProbe(role);
    for (const p of this.pending) p.fail(new TransportClosedError());
    if (!this.ctx.nc.isClosed()) this.sub.unsubscribe();
  }
}

class Pending {
  readonly subject: string;
  readonly tokens: string[] = [];
  /** The worker each send went straight to (none: the queue group), by reply token. */
  private readonly sentTo = new Map<string, string | undefined>();
  private accepted: string | undefined;
  private acceptedAt = 0;
  private attempts = 1;
  private readonly timedOut: string[] = [];
  /** Workers named in Aurora-Avoid: those that timed out, until only they are left (see onAnswer). */
  private avoid: string[] = [];
  private onlyAvoidedSince: number | undefined;
  private finishing = false;
  private settled = false;
  private sendTimer: NodeJS.Timeout | undefined;
  private workTimer: NodeJS.Timeout | undefined;
  private acceptTimer: NodeJS.Timeout | undefined;
  private resolve!: (value: unknown) => void;
  private reject!: (err: Error) => void;

  constructor(
    private readonly requester: Requester,
    readonly role: Role,
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
    this.requester.place(this);
    return promise;
  }

  /** Workers this request must not be sent to (they timed out on it). */
  avoided(): readonly string[] {
    return this.avoid;
  }

  private get untaken(): boolean {
    return !this.settled && !this.finishing && this.accepted === undefined;
  }

  resendIfUntaken(): void {
    if (this.untaken) {
      this.requester.leaveLine(this);
      this.requester.place(this);
    }
  }

  fail(err: Error): void {
    this.settle(() => this.reject(err));
  }

  onAnswer(msg: Msg, token: string): void {
    if (this.settled) return;
    const { ctx } = this.requester;
    if (msg.headers?.code === 503) {
      ctx.stats.noResponders++;
      this.requester.gone(this.role, this.sentTo.get(token));
      if (this.untaken) this.requester.wait(this);
      return;
    }
    this.requester.heard(this.role, msg);
    if (this.settled) return;
    const status = msg.headers?.get(Header.status) as WireStatus | '' | undefined;
    const worker = msg.headers?.get(Header.worker) || 'an unnamed worker';
    switch (status) {
      case 'accepted':
        if (this.accepted !== undefined || this.finishing) return;
        this.accepted = worker;
        this.acceptedAt = performance.now();
        this.requester.leaveLine(this);
        this.onlyAvoidedSince = undefined;
        clearTimeout(this.sendTimer);
        clearTimeout(this.acceptTimer);
        this.workTimer = setTimeout(
          () => afterPendingIo(() => this.accepted === worker && !this.finishing && this.timedOutOn(worker, `no answer within ${this.settings.timeoutMs} ms`)),
          this.settings.timeoutMs,
        );
        return;
      case 'busy':
        ctx.stats.busy++;
        this.noteDecline(worker);
        if (this.untaken) this.requester.wait(this);
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
        else if (this.untaken) this.requester.wait(this);
        return;
      default:
        ctx.log(`aurora transport: ignored an answer to a ${this.role} request with no known ${Header.status} from ${worker}`);
    }
  }

  /** Sends the request straight to `worker`, or to the queue group. */
  send(worker: KnownWorker | undefined): void {
    if (this.settled) return;
    const { ctx } = this.requester;
    clearTimeout(this.sendTimer);
    const h = headers();
    h.set(Header.protocol, PROTOCOL_VERSION);
    h.set(Header.body, this.body.kind);
    if (this.avoid.length > 0) h.set(Header.avoid, this.avoid.join(','));
    const reply = this.requester.newReplySubject(this);
    this.sentTo.set(reply.slice(reply.lastIndexOf('.') + 1), worker?.id);
    try {
      ctx.nc.publish(worker ? worker.direct : this.subject, this.body.data, { reply, headers: h });
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    ctx.stats.sends++;
    if (worker) {
      worker.free--;
      ctx.stats.directSends++;
    }
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

  private armAcceptTimer(): void {
    clearTimeout(this.acceptTimer);
    this.acceptTimer = setTimeout(() => afterPendingIo(() => {
      if (this.accepted !== undefined || this.finishing) return;
      this.fail(
        new RequestTimeoutError(
          this.role,
          this.attempts,
          this.timedOut,
          `no ${this.role} worker took the request within ${this.settings.acceptTimeoutMs} ms (is any running, and allowed to subscribe?)`,
        ),
      );
    }), this.settings.acceptTimeoutMs);
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
    this.armAcceptTimer();
    this.requester.place(this);
  }

  private async finish(worker: string, msg: Msg): Promise<void> {
    const { ctx } = this.requester;
    const held = this.accepted === worker ? performance.now() - this.acceptedAt : 0;
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
      ctx.stats.heldMs[worker] = (ctx.stats.heldMs[worker] ?? 0) + held;
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
    this.requester.leaveLine(this);
    clearTimeout(this.sendTimer);
    clearTimeout(this.workTimer);
    clearTimeout(this.acceptTimer);
    this.requester.forget(this.tokens);
    action();
  }
}

/**
 * Runs `check` once the answers that arrived meanwhile have been read: timers run before I/O in an event-loop
 * turn, so after the loop was blocked (a long handler in this process) a time-out would otherwise fire ahead
 * of the answer that came in time.
 */
function afterPendingIo(check: () => void): void {
  setImmediate(check);
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
