// A small in-process stand-in for KurrentDBClient with the behaviour the adapter relies on: streams with
// 0-based revisions and expected-state checks, a global log with {commit, prepare} positions that are not
// gap-free, readAll from a position (inclusive) with a filter and maxCount, readStream (StreamNotFoundError
// for a missing stream), and subscribeToAll from the end. It lets the adapter's own logic (position index,
// idempotency, retries, subscriptions) run in every test run; it says nothing about a real server.
import { EventEmitter } from 'node:events';
import {
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendStreamState,
  type EventData,
  type Filter,
  type Position,
} from '@kurrent/kurrentdb-client';

export interface FakeRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  isJson: boolean;
  created: Date;
  position: Position;
}

function matches(filter: Filter | undefined, r: FakeRecord): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? r.streamId : r.type;
  if ('prefixes' in filter && filter.prefixes) return filter.prefixes.some((p) => subject.startsWith(p));
  if ('regex' in filter && filter.regex) return new RegExp(filter.regex).test(subject);
  return true;
}

export class FakeKurrentLog {
  readonly records: FakeRecord[] = [];
  readonly subscribers = new Set<{ filter: Filter | undefined; emitter: EventEmitter }>();
  private offset = 100n;

  append(streamId: string, events: EventData[], expected: AppendStreamState): { nextExpectedRevision: bigint; position: Position } {
    const existing = this.records.filter((r) => r.streamId === streamId);
    const current = existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === 'no_stream') ||
      (expected === 'stream_exists' && current !== 'no_stream') ||
      expected === current;
    if (!ok) throw new WrongExpectedVersionError(undefined, { streamName: streamId, expected, current: current as never });
    // A system event now and then, as a real server writes them, to be filtered out.
    this.push({ streamId: '$stats-1', type: '$statsCollected', data: {}, metadata: undefined, id: 'sys' }, 0n);
    let revision = current === 'no_stream' ? 0n : current + 1n;
    let last: Position = { commit: 0n, prepare: 0n };
    for (const e of events) {
      last = this.push(
        { streamId, id: e.id, type: e.type, data: JSON.parse(JSON.stringify(e.data)), metadata: JSON.parse(JSON.stringify(e.metadata)) },
        revision++,
      );
    }
    return { nextExpectedRevision: revision - 1n, position: last };
  }

  private push(e: { streamId: string; id: string; type: string; data: unknown; metadata: unknown }, revision: bigint): Position {
    this.offset += 37n + BigInt(JSON.stringify(e.data).length); // byte offsets: growing, not gap-free
    const record: FakeRecord = { ...e, revision, isJson: true, created: new Date(), position: { commit: this.offset, prepare: this.offset } };
    this.records.push(record);
    for (const s of this.subscribers) if (matches(s.filter, record)) setImmediate(() => s.emitter.emit('data', { event: record }));
    return record.position;
  }
}

/** The subset of KurrentDBClient the adapter uses. */
export class FakeKurrentClient {
  constructor(readonly log: FakeKurrentLog) {}

  async appendToStream(streamName: string, events: EventData | EventData[], options: { streamState?: AppendStreamState } = {}) {
    const result = this.log.append(streamName, Array.isArray(events) ? events : [events], options.streamState ?? 'any');
    return { success: true, ...result };
  }

  async *readAll(options: { fromPosition?: 'start' | 'end' | Position; maxCount?: number | bigint; filter?: Filter } = {}) {
    const from = options.fromPosition ?? 'start';
    let left = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    for (const r of [...this.log.records]) {
      if (left <= 0) return;
      if (from === 'end') return;
      if (from !== 'start' && r.position.commit < from.commit) continue;
      if (!matches(options.filter, r)) continue;
      left--;
      yield { event: r, commitPosition: r.position.commit };
    }
  }

  async *readStream(streamName: string, options: { fromRevision?: bigint; maxCount?: number | bigint } = {}) {
    const records = this.log.records.filter((r) => r.streamId === streamName);
    if (records.length === 0) throw Object.create(StreamNotFoundError.prototype) as StreamNotFoundError;
    let left = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    for (const r of records) {
      if (r.revision < (options.fromRevision ?? 0n)) continue;
      if (left-- <= 0) return;
      yield { event: r };
    }
  }

  subscribeToAll(options: { filter?: Filter } = {}) {
    const emitter = new EventEmitter();
    const entry = { filter: options.filter, emitter };
    this.log.subscribers.add(entry);
    setImmediate(() => emitter.emit('confirmation'));
    return Object.assign(emitter, {
      unsubscribe: async () => {
        this.log.subscribers.delete(entry);
      },
    });
  }

  async dispose(): Promise<void> {}
}
