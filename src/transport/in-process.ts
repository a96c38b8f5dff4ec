// The embedded transport: every role served in this process. Each message is admitted once, where it
// enters the transport (a request by the requester before it is sent, a reply by the worker before it is
// sent back): schema-checked and copied into exactly the data its MessagePack bytes would decode to
// (boundary.ts admitMessage), so nothing is shared by reference and handlers see what they would see over
// NATS, without making the bytes. Each attempt at a request gets its own copy of the admitted request.
// Several handlers of a role take requests in turn (round robin), each at most `concurrency` at a time;
// the rest wait in order.
import type { ReplyOf, RequestOf, Role } from '../../actors/protocol.js';
import { admitMessage } from './boundary.js';
import { copyMessage } from './codec.js';
import {
  InvalidMessageError,
  NoHandlerError,
  RemoteError,
  RequestTimeoutError,
  TransportClosedError,
} from './errors.js';
import {
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_MS,
  stderrLog,
  type Handler,
  type Log,
  type RequestOptions,
  type Served,
  type ServeOptions,
  type Transport,
} from './port.js';
import { answer, type Outcome } from './responder.js';

export interface InProcessOptions {
  log?: Log;
  /** Defaults for requests that do not say. */
  defaults?: RequestOptions;
}

interface Worker {
  readonly id: string;
  readonly role: Role;
  readonly handler: Handler<Role>;
  readonly concurrency: number;
  running: number;
  draining: boolean;
  readonly onIdle: (() => void)[];
}

interface Job {
  readonly avoid: ReadonlySet<string>;
  run(worker: Worker): Promise<void>;
  fail(err: Error): void;
}

export class InProcessTransport implements Transport {
  private readonly log: Log;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly workers = new Map<Role, Worker[]>();
  private readonly cursors = new Map<Role, number>();
  private readonly queues = new Map<Role, Job[]>();
  private servedCount = 0;
  private closed = false;

  constructor(options: InProcessOptions = {}) {
    this.log = options.log ?? stderrLog;
    this.timeoutMs = options.defaults?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.defaults?.retries ?? DEFAULT_RETRIES;
  }

  async serve<R extends Role>(role: R, handler: Handler<R>, options: ServeOptions = {}): Promise<Served> {
    if (this.closed) throw new TransportClosedError();
    const concurrency = positiveInteger(options.concurrency ?? 1, 'concurrency');
    const worker: Worker = {
      id: `in-process-${role}-${++this.servedCount}`,
      role,
      handler: handler as unknown as Handler<Role>,
      concurrency,
      running: 0,
      draining: false,
      onIdle: [],
    };
    const list = this.workers.get(role) ?? [];
    list.push(worker);
    this.workers.set(role, list);
    this.dispatch(role);
    return {
      role,
      id: worker.id,
      drain: () => this.drainWorker(worker),
    };
  }

  request<R extends Role>(role: R, request: RequestOf<R>, options: RequestOptions = {}): Promise<ReplyOf<R>> {
    if (this.closed) return Promise.reject(new TransportClosedError());
    let admitted: unknown;
    try {
      admitted = admitMessage(role, 'request', request, 'requester');
    } catch (err) {
      if (err instanceof InvalidMessageError) this.log(`aurora transport: refused to send a ${role} request: ${err.message}`);
      return Promise.reject(err);
    }
    if (!this.serving(role)) return Promise.reject(new NoHandlerError(role));
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const retries = options.retries ?? this.retries;

    return new Promise<ReplyOf<R>>((resolve, reject) => {
      let settled = false;
      let attempts = 0;
      const timedOut: string[] = [];
      const timers = new Set<NodeJS.Timeout>();
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        fn();
      };
      const enqueue = () => {
        const job: Job = {
          avoid: new Set(timedOut),
          fail: (err) => settle(() => reject(err)),
          run: async (worker) => {
            attempts++;
            const timer = setTimeout(() => {
              timers.delete(timer);
              if (settled) return;
              timedOut.push(worker.id);
              if (attempts > retries) {
                settle(() =>
                  reject(new RequestTimeoutError(role, attempts, timedOut, `no answer within ${timeoutMs} ms on ${attempts} attempt(s)`)),
                );
                return;
              }
              this.log(`aurora transport: ${role} worker ${worker.id} took over ${timeoutMs} ms; retrying on another`);
              enqueue();
            }, timeoutMs);
            timers.add(timer);
            const outcome = await answer(
              role,
              worker.handler as unknown as Handler<R>,
              () => copyMessage(admitted),
              (reply) => admitMessage(role, 'reply', reply, 'worker'),
              { worker: worker.id, origin: 'in-process', log: this.log, requestChecked: true, encodeChecks: true },
            ).catch((err: unknown): Outcome<unknown> => ({ status: 'failed', message: String(err), issues: [] }));
            clearTimeout(timer);
            timers.delete(timer);
            if (settled) return;
            try {
              const reply = this.readOutcome(role, worker.id, outcome);
              settle(() => resolve(reply));
            } catch (err) {
              settle(() => reject(err));
            }
          },
        };
        this.queue(role).push(job);
        this.dispatch(role);
      };
      enqueue();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all = [...this.workers.values()].flat();
    await Promise.all(all.map((w) => this.drainWorker(w)));
    for (const jobs of this.queues.values()) for (const job of jobs.splice(0)) job.fail(new TransportClosedError());
  }

  private readOutcome<R extends Role>(role: R, worker: string, outcome: Outcome<unknown>): ReplyOf<R> {
    switch (outcome.status) {
      case 'ok':
        // Admitted by the worker: checked, and a copy nobody else holds.
        return outcome.body as ReplyOf<R>;
      case 'invalid-request':
        return failWith(new InvalidMessageError(role, 'request', 'worker', outcome.issues));
      case 'invalid-reply':
        return failWith(new InvalidMessageError(role, 'reply', 'worker', outcome.issues));
      case 'failed':
        return failWith(new RemoteError(role, worker, outcome.message));
      default: {
        const never: never = outcome;
        return never;
      }
    }
  }

  private serving(role: Role): boolean {
    return (this.workers.get(role) ?? []).some((w) => !w.draining);
  }

  private queue(role: Role): Job[] {
    let q = this.queues.get(role);
    if (!q) this.queues.set(role, (q = []));
    return q;
  }

  /** Hands waiting jobs, oldest first, to free workers in turn; a retry avoids the workers that timed out. */
  private dispatch(role: Role): void {
    const jobs = this.queue(role);
    const workers = (this.workers.get(role) ?? []).filter((w) => !w.draining);
    if (workers.length === 0) {
      for (const job of jobs.splice(0)) job.fail(this.closed ? new TransportClosedError() : new NoHandlerError(role));
      return;
    }
    for (let i = 0; i < jobs.length; ) {
      const job = jobs[i]!;
      const worker = this.pick(role, workers, job.avoid);
      if (!worker) {
        i++;
        continue;
      }
      jobs.splice(i, 1);
      worker.running++;
      void job.run(worker).finally(() => {
        worker.running--;
        if (worker.running === 0) for (const wake of worker.onIdle.splice(0)) wake();
        this.dispatch(role);
      });
    }
  }

  private pick(role: Role, workers: Worker[], avoid: ReadonlySet<string>): Worker | undefined {
    // Avoided workers are a last resort: only when every live worker has been avoided.
    const allowAvoided = workers.every((w) => avoid.has(w.id));
    const start = this.cursors.get(role) ?? 0;
    for (let k = 0; k < workers.length; k++) {
      const index = (start + k) % workers.length;
      const w = workers[index]!;
      if (w.running >= w.concurrency) continue;
      if (avoid.has(w.id) && !allowAvoided) continue;
      this.cursors.set(role, index + 1);
      return w;
    }
    return undefined;
  }

  private async drainWorker(worker: Worker): Promise<void> {
    if (!worker.draining) {
      worker.draining = true;
      this.dispatch(worker.role);
    }
    if (worker.running > 0) await new Promise<void>((resolve) => worker.onIdle.push(resolve));
    const list = this.workers.get(worker.role) ?? [];
    const index = list.indexOf(worker);
    if (index >= 0) list.splice(index, 1);
  }
}

function failWith(err: Error): never {
  throw err;
}

export function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1, not ${value}`);
  return value;
}
