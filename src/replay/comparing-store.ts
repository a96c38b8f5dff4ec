// The store a replayed run writes to: every batch is compared, event by event, with the recorded run
// before it is kept (in a fresh in-memory store, which a resumed segment of the replay reads back).
// The first event that differs stops the replay there and then, so a mismatch early in a long run costs
// only the work up to it.
import type { AuroraEvent } from '../../events/catalogue.js';
import { fingerprint } from '../../events/fingerprint.js';
import type { AppendResult, EventStore, ExpectedRevision, ReadAllOptions, ReadStreamOptions, RecordedEvent, SubscribeOptions, Subscription } from '../../events/store.js';
import { differences, type FieldDifference } from './diff.js';
import type { RecordedEntry } from './recorded-log.js';

export type MismatchKind =
  /** The replayed event's fingerprint differs from the recorded one. */
  | 'differs'
  /** The store refused the recorded event (altered bytes, a missing revision, unknown type or version). */
  | 'unreadable'
  /** The replayed run ended while the recorded one goes on. */
  | 'missing'
  /** The recorded run ends inside a batch of the replay: its tail was cut off. */
  | 'cut';

export interface Mismatch {
  kind: MismatchKind;
  /** Index of the event in the run's stream (0-based), and its global position in the recorded store. */
  revision: number;
  position: number | null;
  /** The recorded event's type (null when unreadable or absent), and the replayed one's (null when absent). */
  recordedType: string | null;
  replayedType: string | null;
  recordedEventId: string | null;
  replayedEventId: string | null;
  recordedFingerprint: string | null;
  replayedFingerprint: string | null;
  /** Field-level differences (kind 'differs'): the first few, and how many there are. */
  differences: FieldDifference[];
  differenceCount: number;
  /** One line on what went wrong. */
  detail: string;
}

/** Thrown from an append to stop the replayed run; the replay reads `mismatch` / `reachedEnd` / `awaitsInput`. */
export class ReplayHalt extends Error {
  constructor(readonly why: 'mismatch' | 'end' | 'input') {
    super(
      why === 'mismatch'
        ? 'replay stopped at the first mismatch'
        : why === 'end'
          ? 'replay reached the end of the recorded run'
          : 'replay reached an input the recorded run took from outside',
    );
    this.name = 'ReplayHalt';
  }
}

const envelope = (e: { type: string; data: unknown; metadata: unknown }) => ({ type: e.type, data: e.data, metadata: e.metadata });

/**
 * Events a run's log holds that the run did not decide: a policy imported into a stopped run
 * (`aurora policy import --run`). Replay serves them as recorded, like the model's answers.
 */
export function isOutsideInput(event: RecordedEvent): boolean {
  return event.type === 'PolicyImported';
}

export class ComparingStore implements EventStore {
  /** Events compared and matched so far. */
  matched = 0;
  /** Matched only once read through an upcaster (a run recorded with an older schema version). */
  matchedAfterUpcast = 0;
  mismatch: Mismatch | null = null;
  /** The replay tried to go past the last recorded event (an incomplete run). */
  reachedEnd = false;
  /** The replayed run reached events that came from outside the run (see `isOutsideInput`). */
  awaitsInput = false;

  constructor(
    private readonly inner: EventStore,
    private readonly recorded: readonly RecordedEntry[],
  ) {}

  /** Compares an event at revision `i` with the recorded one; a Mismatch, or null when equal. */
  private compare(i: number, event: AuroraEvent): Mismatch | null {
    const entry = this.recorded[i]!;
    const replayedFingerprint = fingerprint(event);
    const base = {
      revision: i,
      replayedType: event.type,
      replayedEventId: event.metadata.eventId,
      replayedFingerprint,
      differences: [] as FieldDifference[],
      differenceCount: 0,
    };
    if (entry.kind === 'unreadable') {
      const u = entry.unreadable;
      return {
        ...base,
        kind: 'unreadable',
        position: u.position,
        recordedType: null,
        recordedEventId: null,
        recordedFingerprint: null,
        detail: `the store cannot give back the recorded event (${u.error}): ${u.reason}`,
      };
    }
    const recorded = entry.event;
    if (recorded.fingerprint === replayedFingerprint) return null;
    const diff = differences(envelope(recorded), envelope(event), 12);
    // An event stored by older code is read upcast: its stored fingerprint is of the old bytes, and the
    // replay writes the current version. Equal data after upcasting is a match.
    if (diff.total === 0) {
      this.matchedAfterUpcast += 1;
      return null;
    }
    return {
      ...base,
      kind: 'differs',
      position: recorded.position,
      recordedType: recorded.type,
      recordedEventId: recorded.metadata.eventId,
      recordedFingerprint: recorded.fingerprint,
      differences: diff.differences,
      differenceCount: diff.total,
      detail: diff.total === 1 ? '1 field differs' : `${diff.total} fields differ`,
    };
  }

  /** The recorded events at the replay's current place that came from outside the run, if any. */
  private pendingInputs(): RecordedEvent[] {
    const inputs: RecordedEvent[] = [];
    for (let i = this.matched; i < this.recorded.length; i++) {
      const entry = this.recorded[i]!;
      if (entry.kind !== 'event' || !isOutsideInput(entry.event)) break;
      inputs.push(entry.event);
    }
    return inputs;
  }

  /**
   * Writes the recorded outside inputs found at the replay's place into the replayed run, as they were
   * recorded (a run never produces them itself), so the run resumes over the same log. Returns how many.
   */
  async takeRecordedInputs(): Promise<number> {
    const inputs = this.pendingInputs();
    for (const e of inputs) await this.inner.appendToStream(e.stream, [envelope(e) as AuroraEvent]);
    this.matched += inputs.length;
    this.awaitsInput = false;
    return inputs.length;
  }

  async appendToStream(stream: string, events: readonly AuroraEvent[], options?: { expected?: ExpectedRevision }): Promise<AppendResult> {
    if (this.mismatch !== null || this.reachedEnd) throw new ReplayHalt(this.mismatch !== null ? 'mismatch' : 'end');
    // The recorded run was stopped here (perhaps killed, leaving no RunStopped) and given an input from
    // outside before it resumed: halt, so the replay can stop, take the input and resume the same way.
    if (this.pendingInputs().length > 0) {
      this.awaitsInput = true;
      throw new ReplayHalt('input');
    }
    for (let j = 0; j < events.length; j++) {
      const i = this.matched + j;
      const event = events[j]!;
      if (i >= this.recorded.length) {
        if (j === 0) {
          this.reachedEnd = true;
          throw new ReplayHalt('end');
        }
        // Appends are atomic, so a recorded run never ends inside one of its batches unless cut.
        this.mismatch = {
          kind: 'cut',
          revision: i,
          position: null,
          recordedType: null,
          recordedEventId: null,
          recordedFingerprint: null,
          replayedType: event.type,
          replayedEventId: event.metadata.eventId,
          replayedFingerprint: fingerprint(event),
          differences: [],
          differenceCount: 0,
          detail: `the recorded run ends inside a batch that was appended whole (${events.length} events from revision ${this.matched}): events were removed from its end`,
        };
        this.matched = i;
        throw new ReplayHalt('mismatch');
      }
      const mismatch = this.compare(i, event);
      if (mismatch !== null) {
        this.mismatch = mismatch;
        this.matched = i;
        throw new ReplayHalt('mismatch');
      }
    }
    this.matched += events.length;
    return this.inner.appendToStream(stream, events, options);
  }

  /** After the replayed run ended by itself: anything still recorded is missing from the replay. */
  finish(): void {
    if (this.mismatch !== null || this.matched >= this.recorded.length) return;
    const entry = this.recorded[this.matched]!;
    const event = entry.kind === 'event' ? entry.event : null;
    this.mismatch = {
      kind: entry.kind === 'event' ? 'missing' : 'unreadable',
      revision: this.matched,
      position: event?.position ?? (entry.kind === 'unreadable' ? entry.unreadable.position : null),
      recordedType: event?.type ?? null,
      recordedEventId: event?.metadata.eventId ?? null,
      recordedFingerprint: event?.fingerprint ?? null,
      replayedType: null,
      replayedEventId: null,
      replayedFingerprint: null,
      differences: [],
      differenceCount: 0,
      detail:
        entry.kind === 'event'
          ? `the replayed run ended, but ${this.recorded.length - this.matched} more event(s) are recorded`
          : `the store cannot give back the recorded event (${entry.unreadable.error}): ${entry.unreadable.reason}`,
    };
  }

  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(stream, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  subscribe(options?: SubscribeOptions): Subscription {
    return this.inner.subscribe(options);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
