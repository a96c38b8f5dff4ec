// The relay: publishes every committed event of a store, in global order, to the JetStream stream
// AURORA_EVENTS (see subjects.ts), so that outside tools can follow runs live.
//
// The stream itself is the relay's only memory: at the start of each session the relay reads the stream's
// last message and its Aurora-Position header, and subscribes to the store from the next position. So a
// relay restart, a NATS restart (nats-server 2.9 acknowledges before fsync, so a crash may lose the last
// acknowledged messages) or an outage all end the same way: the relay resumes right after what the stream
// really holds. No gap and no duplicate, by two locks:
// - every publish says which stream sequence it must follow (Nats-Expected-Last-Sequence): a message
//   that would land after a lost or missing one is refused, the session ends and a new one resyncs;
// - every publish carries the event id as Nats-Msg-Id: a message that reached the stream although its
//   acknowledgement was lost is recognised as a duplicate within the stream's window.
// Publishes are pipelined (up to `maxInFlight` unacknowledged); the expected sequence keeps them in order.
import { connect, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import { headers, nanos } from '@nats-io/transport-node';
import {
  jetstream,
  jetstreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type PubAck,
} from '@nats-io/jetstream';
import { eventBytes } from '../fingerprint.js';
import type { EventStore, RecordedEvent, Subscription } from '../store.js';
import { serverVersionWarning } from './server-version.js';
import { eventSubject, relayHeaders, relayStream, relaySubjectPrefix } from './subjects.js';

export interface RelayOptions {
  store: EventStore;
  /** NATS server URL(s), e.g. nats://127.0.0.1:4222. */
  servers: string | string[];
  /** Extra connection options (user, pass, token, tls, …). */
  connection?: Partial<NodeConnectionOptions>;
  /** Stream name (default AURORA_EVENTS) and subject prefix (default aurora.events). */
  stream?: string;
  subjectPrefix?: string;
  /** De-duplication window of the stream when the relay creates it (default 2 minutes). */
  duplicateWindowMs?: number;
  /** Unacknowledged publishes at most (default 256). */
  maxInFlight?: number;
  /** How long to wait for a publish acknowledgement or an API answer (default 5000 ms). */
  timeoutMs?: number;
  /** Wait between failed sessions, doubling up to 8× (default 250 ms). */
  retryMs?: number;
  /** One line per notable thing (default: stderr). */
  log?: (line: string) => void;
}

export interface RelayStats {
  /** Position of the last event the stream is known to hold (0: none). */
  position: number;
  /** Messages acknowledged as stored (this process). */
  published: number;
  /** Sessions begun: 1 + the resyncs after failures, reconnects and refusals. */
  sessions: number;
  connected: boolean;
}

class ResyncNeeded extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ResyncNeeded';
  }
}

export class EventRelay {
  private readonly store: EventStore;
  private readonly streamName: string;
  private readonly prefix: string;
  private readonly maxInFlight: number;
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  private readonly log: (line: string) => void;
  private nc: NatsConnection | null = null;
  private subscription: Subscription | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  private readonly waiters: { position: number; resolve: () => void }[] = [];
  private warnedVersion = false;
  private readonly loop: Promise<void>;
  private readonly stats: RelayStats = { position: 0, published: 0, sessions: 0, connected: false };

  private constructor(private readonly options: RelayOptions) {
    this.store = options.store;
    this.streamName = options.stream ?? relayStream;
    this.prefix = options.subjectPrefix ?? relaySubjectPrefix;
    this.maxInFlight = options.maxInFlight ?? 256;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.retryMs = options.retryMs ?? 250;
    this.log = options.log ?? ((line) => process.stderr.write(`aurora relay: ${line}\n`));
    this.loop = this.run();
  }

  /** Starts relaying in the background; `stop()` ends it. */
  static start(options: RelayOptions): EventRelay {
    return new EventRelay(options);
  }

  get status(): RelayStats {
    return { ...this.stats };
  }

  /** Resolves once the stream is known to hold every event up to `position`. */
  waitFor(position: number): Promise<void> {
    if (this.stats.position >= position) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
  }

  /** Stops reading the store, waits for the acknowledgements of what was published, then drains the connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    void this.subscription?.close();
    this.wake?.();
    await this.loop;
    const nc = this.nc;
    this.nc = null;
    if (nc && !nc.isClosed()) {
      // Draining needs the server; when it is gone, close.
      const drained = nc.drain().then(() => true, () => false);
      const timedOut = new Promise<boolean>((r) => setTimeout(() => r(false), this.timeoutMs).unref());
      if (!(await Promise.race([drained, timedOut]))) await nc.close().catch(() => undefined);
    }
  }

  // ── the loop ───────────────────────────────────────────────────────────────────────────────────

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const published = this.stats.published;
      try {
        const nc = await this.connection();
        if (nc === null) break;
        await this.session(nc);
      } catch (err) {
        if (this.stopping) break;
        // Back off only while sessions make no progress.
        failures = this.stats.published > published ? 1 : failures + 1;
        if (!(err instanceof ResyncNeeded) || failures > 1) this.log(`resyncing after: ${describe(err)}`);
        await this.pause(this.retryMs * 2 ** Math.min(3, failures - 1));
      }
    }
  }

  /** Waits `ms`, or less if stop() is called. */
  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
  }

  /** The connection, opened on first use; nats.js reconnects it by itself for ever. */
  private async connection(): Promise<NatsConnection | null> {
    if (this.nc && !this.nc.isClosed()) return this.nc;
    const pending = connect({
      name: 'aurora-relay',
      ...this.options.connection,
      servers: this.options.servers,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      waitOnFirstConnect: true,
      timeout: this.timeoutMs,
    });
    const stopped = new Promise<null>((resolve) => {
      this.wake = () => resolve(null);
    });
    const nc = await Promise.race([pending, stopped]);
    this.wake = null;
    if (nc === null) {
      void pending.then((late) => late.close()).catch(() => undefined);
      return null;
    }
    this.nc = nc;
    this.stats.connected = true;
    this.checkVersion(nc);
    void this.watch(nc);
    return nc;
  }

  private checkVersion(nc: NatsConnection): void {
    const warning = serverVersionWarning(nc.info?.version);
    if (warning !== null && !this.warnedVersion) {
      this.warnedVersion = true;
      this.log(warning);
    }
  }

  /** After a reconnect the server may have lost what it acknowledged last: resync from the stream. */
  private async watch(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        this.stats.connected = false;
        if (!this.stopping) this.log(`lost the connection to ${s.server}; the store keeps the events meanwhile`);
      }
      if (s.type === 'reconnect') {
        this.stats.connected = true;
        this.log(`reconnected to ${s.server}; resuming after the last event the stream holds`);
        this.checkVersion(nc);
        void this.subscription?.close();
      }
    }
  }

  private async ensureStream(jsm: JetStreamManager): Promise<void> {
    const subjects = `${this.prefix}.>`;
    try {
      const info = await jsm.streams.info(this.streamName);
      if (!info.config.subjects?.includes(subjects)) {
        throw new Error(`stream ${this.streamName} exists without the subjects ${subjects} (it has ${JSON.stringify(info.config.subjects ?? [])})`);
      }
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
      await jsm.streams.add({
        name: this.streamName,
        subjects: [subjects],
        storage: StorageType.File,
        duplicate_window: nanos(this.options.duplicateWindowMs ?? 120_000),
      });
      this.log(`created stream ${this.streamName} (${subjects}, file storage)`);
    }
  }

  /** The position of the last event in the stream (0 if none) and the stream's last sequence. */
  private async lastRelayed(jsm: JetStreamManager): Promise<{ position: number; sequence: number }> {
    const { state } = await jsm.streams.info(this.streamName);
    // Walk back over deleted messages (a message removed by hand) to the last one still there.
    for (let seq = state.last_seq; state.messages > 0 && seq >= state.first_seq; seq--) {
      const msg = await jsm.streams.getMessage(this.streamName, { seq });
      if (msg === null) continue;
      const value = msg.header?.get(relayHeaders.position) ?? '';
      const position = Number(value);
      if (value === '' || !Number.isSafeInteger(position) || position < 1) {
        throw new Error(`message ${seq} of stream ${this.streamName} has no ${relayHeaders.position} header: the stream holds messages the relay did not write`);
      }
      return { position, sequence: state.last_seq };
    }
    return { position: 0, sequence: state.last_seq };
  }

  private async session(nc: NatsConnection): Promise<void> {
    this.stats.sessions += 1;
    const jsm = await jetstreamManager(nc, { timeout: this.timeoutMs });
    const js = jetstream(nc, { timeout: this.timeoutMs });
    await this.ensureStream(jsm);
    const { position, sequence } = await this.lastRelayed(jsm);
    const head = await this.store.headPosition();
    if (position > head) {
      throw new Error(`stream ${this.streamName} holds position ${position} but the store ends at ${head}: is the relay pointed at the right store?`);
    }
    this.advance(position, true);
    if (this.stopping) return;

    const subscription = this.store.subscribe({ fromPosition: position + 1 });
    this.subscription = subscription;
    const inFlight: Promise<void>[] = [];
    let failure: Error | null = null;
    const fail = (err: Error) => {
      failure ??= err;
      void subscription.close();
    };
    let nextPosition = position + 1;
    let lastSequence = sequence;
    try {
      for await (const event of subscription) {
        if (failure !== null || this.stopping) break;
        if (event.position !== nextPosition) throw new Error(`the store skipped from position ${nextPosition - 1} to ${event.position}`);
        nextPosition += 1;
        const expected = lastSequence;
        lastSequence += 1;
        const ack = this.publish(js, event, expected).then(
          (pa) => {
            if (pa.duplicate || pa.seq !== expected + 1) {
              fail(new ResyncNeeded(`position ${event.position} ${pa.duplicate ? 'was already in the stream' : `landed at sequence ${pa.seq}, not ${expected + 1}`}`));
              return;
            }
            if (failure === null) {
              this.stats.published += 1;
              this.advance(event.position);
            }
          },
          (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))),
        );
        inFlight.push(ack);
        if (inFlight.length >= this.maxInFlight) await inFlight.shift();
      }
    } finally {
      this.subscription = null;
      await subscription.close();
      await Promise.all(inFlight);
    }
    if (failure !== null) throw failure;
    if (!this.stopping) throw new ResyncNeeded('the connection was re-established');
  }

  private publish(js: JetStreamClient, event: RecordedEvent, expectedLastSequence: number): Promise<PubAck> {
    const h = headers();
    h.set(relayHeaders.position, String(event.position));
    h.set(relayHeaders.type, event.type);
    return js.publish(eventSubject(event.metadata.runId, event.type, this.prefix), eventBytes(event), {
      msgID: event.metadata.eventId,
      headers: h,
      expect: { lastSequence: expectedLastSequence, streamName: this.streamName },
      timeout: this.timeoutMs,
    });
  }

  private advance(position: number, resync = false): void {
    if (!resync && position <= this.stats.position) return;
    this.stats.position = position;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.position <= position) this.waiters.splice(i, 1)[0]!.resolve();
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof JetStreamApiError) return `${err.message} (JetStream code ${err.code})`;
  return err instanceof Error ? err.message : String(err);
}
