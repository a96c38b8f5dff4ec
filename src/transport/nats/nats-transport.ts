// The NATS adapter of the transport port: roles served by `aurora worker` processes anywhere, requests
// spread over them by queue groups, large fields moved as content-addressed blobs, time-outs retried on
// another worker, and requests re-sent after the connection comes back. Protocol: docs/nats-actors.md.
import {
  connect,
  nuid,
  PermissionViolationError,
  headers,
  type Msg,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import type { ReplyOf, RequestOf, Role } from '../../../actors/protocol.js';
import { decodeMessage } from '../codec.js';
import { TransportClosedError, TransportError } from '../errors.js';
import { positiveInteger } from '../in-process.js';
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
} from '../port.js';
import { BlobFetcher } from './blob-fetch.js';
import { BlobStore } from './blob-store.js';
import { emptyStats, type NatsContext, type NatsTransportStats } from './context.js';
import { connectionAuth, credentialsFromEnv, describeCredentials, redactUrl, type NatsCredentials } from './credentials.js';
import { Requester, type KnownWorker } from './requester.js';
import { NatsWorker } from './worker.js';
import { settlesWithin } from './settles-within.js';
import { blobSubject, Header, rpcSubject } from './wire.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** How long closing waits for the server to confirm a drain (ms). */
const DRAIN_WAIT_MS = 5_000;

export interface NatsTransportOptions {
  log?: Log;
  /** Defaults for requests that do not say (timeoutMs: 120 000, retries: 2). */
  defaults?: RequestOptions;
  /** How long a request may wait for any worker to take it (ms, default 300 000). */
  acceptTimeoutMs?: number;
  /** A send that nobody answered (lost with a connection) is sent again after this long (ms, default 5 000). */
  resendMs?: number;
  /**
   * While requests wait for a free worker, the queue group is probed to find workers not heard from yet
   * (the oldest request itself while no worker is known): `probeFirstMs` after a new request or a newly
   * found worker (ms, default 5), then twice as late each time, up to every `probeMs` (ms, default 250).
   */
  probeFirstMs?: number;
  probeMs?: number;
  /**
   * Requests a worker holds beyond the ones it runs (default 0). Requesters send a declined request to a
   * worker as soon as it has room, so a held request only saves one round trip, and it can wait behind a
   * long one while another worker sits idle.
   */
  prefetch?: number;
  /** Messages up to this size go whole; larger ones as a manifest and blobs (default 64 KiB). */
  inlineBytes?: number;
  /** Size of one blob chunk (default 1 MiB; never above the server's max_payload). */
  chunkBytes?: number;
  /** Chunks pulled at once per blob (default 4). */
  chunkWindow?: number;
  /** Blob cache and store, in bytes (default 256 MiB). Pinned blobs may exceed it for a while. */
  blobCacheBytes?: number;
  /** Largest blob accepted from a manifest (default 1 GiB). */
  maxBlobBytes?: number;
  /** How long a reply's blobs wait to be pulled (ms, default 120 000). */
  replyLeaseMs?: number;
}

export interface NatsConnectOptions extends NatsTransportOptions {
  /** nats://host:port, or several for a cluster. */
  servers: string | string[];
  /** Default: from the AURORA_NATS_* environment variables. */
  credentials?: NatsCredentials;
  /** Shown by the server's monitoring. */
  name?: string;
  /** Wait between reconnect attempts (ms, default 250); the client never stops trying. */
  reconnectTimeWaitMs?: number;
  /** Handshake time-out (ms, default 5 000). */
  connectTimeoutMs?: number;
}

/** A worker served over NATS; after its drain it can tell whether the server got every answer. */
export interface NatsServed extends Served {
  /** True once drained with every answer confirmed by the server; false if the server could not be reached. */
  handedOver(): boolean | undefined;
}

export class NatsTransport implements Transport {
  /** Connects with the given (or environment) credentials; the transport owns the connection. */
  static async connect(options: NatsConnectOptions): Promise<NatsTransport> {
    const credentials = options.credentials ?? credentialsFromEnv();
    const servers = Array.isArray(options.servers) ? options.servers : [options.servers];
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers,
        name: options.name ?? 'aurora',
        maxReconnectAttempts: -1,
        reconnectTimeWait: options.reconnectTimeWaitMs ?? 250,
        reconnectJitter: 100,
        pingInterval: 20_000,
        timeout: options.connectTimeoutMs ?? 5_000,
        ...connectionAuth(credentials),
      });
    } catch (err) {
      throw new TransportError(
        `cannot connect to NATS at ${servers.map(redactUrl).join(', ')} with ${describeCredentials(credentials)}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    return new NatsTransport(nc, options, true);
  }

  readonly id = nuid.next();
  private readonly ctx: NatsContext;
  private readonly requester: Requester;
  private readonly blobServer: Subscription;
  private readonly served = new Set<NatsWorker<Role>>();
  private servedCount = 0;
  private closing: Promise<void> | undefined;

  constructor(
    readonly connection: NatsConnection,
    private readonly options: NatsTransportOptions = {},
    private readonly ownsConnection = false,
  ) {
    const log = options.log ?? stderrLog;
    const stats = emptyStats();
    const blobs = new BlobStore(options.blobCacheBytes ?? 256 * MiB);
    const inlineLimit = options.inlineBytes ?? 64 * KiB;
    this.ctx = {
      nc: connection,
      id: this.id,
      log,
      blobs,
      stats,
      fetcher: new BlobFetcher(
        connection,
        blobs,
        { chunkBytes: options.chunkBytes ?? MiB, window: options.chunkWindow ?? 4, chunkTimeoutMs: 10_000, tries: 3 },
        stats,
      ),
      inlineBytes: () => Math.min(inlineLimit, Math.floor((connection.info?.max_payload ?? MiB) / 4)),
      maxBlobBytes: options.maxBlobBytes ?? 1024 * MiB,
      replyLeaseMs: options.replyLeaseMs ?? 120_000,
    };
    this.requester = new Requester(this.ctx, {
      timeoutMs: options.defaults?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retries: options.defaults?.retries ?? DEFAULT_RETRIES,
      acceptTimeoutMs: options.acceptTimeoutMs ?? 300_000,
      resendMs: options.resendMs ?? 5_000,
      probeFirstMs: options.probeFirstMs ?? 5,
      probeMs: options.probeMs ?? 250,
    });
    this.blobServer = connection.subscribe(blobSubject(this.id), {
      callback: (err, msg) => {
        if (err) log(`aurora transport: blob subscription ended: ${err.message}`);
        else this.serveChunk(msg);
      },
    });
    this.watchStatus().catch((err: Error) => log(`aurora transport: stopped watching the NATS connection: ${err.message}`));
  }

  request<R extends Role>(role: R, request: RequestOf<R>, options?: RequestOptions): Promise<ReplyOf<R>> {
    if (this.closing) return Promise.reject(new TransportClosedError());
    return this.requester.request(role, request, options);
  }

  async serve<R extends Role>(role: R, handler: Handler<R>, options: ServeOptions = {}): Promise<NatsServed> {
    if (this.closing) throw new TransportClosedError();
    const concurrency = positiveInteger(options.concurrency ?? 1, 'concurrency');
    const prefetch = this.options.prefetch ?? 0;
    const worker = new NatsWorker(this.ctx, role, `${this.id}-${++this.servedCount}`, handler, concurrency, prefetch);
    await worker.start();
    this.served.add(worker as unknown as NatsWorker<Role>);
    return {
      role,
      id: worker.id,
      drain: async () => {
        await worker.drain();
        this.served.delete(worker as unknown as NatsWorker<Role>);
      },
      handedOver: () => worker.handedOver,
    };
  }

  /** The workers of a role this transport's requests have heard from, with the room each last reported (a copy). */
  knownWorkers(role: Role): KnownWorker[] {
    return this.requester.knownWorkers(role);
  }

  /** Counters for tests, benchmarks and diagnostics (a copy). */
  stats(): NatsTransportStats {
    return { ...this.ctx.stats, answeredBy: { ...this.ctx.stats.answeredBy }, heldMs: { ...this.ctx.stats.heldMs } };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.served].map((w) => w.drain()));
      await this.requester.close();
      if (this.ownsConnection) {
        // Draining needs the server; while it is away the drain fails or hangs, and either way the
        // connection must still be closed, or its reconnect loop keeps the process alive.
        await settlesWithin(this.connection.drain(), DRAIN_WAIT_MS);
        if (!this.connection.isClosed()) await this.connection.close();
      } else if (!this.connection.isClosed()) {
        this.blobServer.unsubscribe();
      }
    })();
    return this.closing;
  }

  private serveChunk(msg: Msg): void {
    const h = headers();
    let chunk: Uint8Array | undefined;
    try {
      const { hash, offset, length } = decodeMessage(msg.data) as { hash: unknown; offset: unknown; length: unknown };
      const blob = typeof hash === 'string' ? this.ctx.blobs.get(hash) : undefined;
      if (blob && Number.isInteger(offset) && Number.isInteger(length) && (offset as number) >= 0 && (length as number) > 0) {
        const start = offset as number;
        const maxChunk = (this.connection.info?.max_payload ?? MiB) - 4096;
        const end = Math.min(blob.length, start + Math.min(length as number, maxChunk));
        chunk = blob.subarray(start, end);
        this.ctx.stats.chunksServed++;
        this.ctx.stats.bytesServed += chunk.length;
        if (end >= blob.length) this.ctx.blobs.release(hash as string);
      }
    } catch {
      chunk = undefined;
    }
    h.set(Header.status, chunk ? 'ok' : 'missing');
    try {
      msg.respond(chunk, { headers: h });
    } catch {
      // the connection is closing; the puller times out and gives up
    }
  }

  private async watchStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      switch (status.type) {
        case 'disconnect':
          this.ctx.log(`aurora transport: lost the NATS connection to ${redactUrl(status.server)}; reconnecting`);
          break;
        case 'reconnect':
          this.ctx.log(`aurora transport: reconnected to NATS at ${redactUrl(status.server)}`);
          this.requester.resendUntaken();
          break;
        case 'error':
          if (status.error instanceof PermissionViolationError) {
            const { operation, subject } = status.error;
            this.ctx.log(`aurora transport: the NATS server refused to let this user ${operation} on ${subject}`);
            if (operation === 'publish' && (['attacker', 'defender', 'simulator'] as const).some((r) => rpcSubject(r) === subject)) {
              this.requester.publishDenied(subject);
            }
          } else {
            this.ctx.log(`aurora transport: NATS error: ${status.error.message}`);
          }
          break;
        default:
          break;
      }
    }
  }
}
