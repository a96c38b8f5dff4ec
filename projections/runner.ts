// The runner: folds the events of a store into a set of projections and checkpoints them, so a restart
// resumes where it stopped instead of folding from zero. Each projection has its own position (the last
// event folded into it): a projection whose checkpoint is missing, unreadable or of another version
// starts from zero while the others carry on, and an event is folded only into projections behind it.
//
// A checkpoint is the state, encoded with the canonical codec, plus the position; every save writes the
// checkpoints of all projections in one transaction (see checkpoint-store.ts). The state and position
// saved are taken together, synchronously, so they always agree even while folding carries on.
import { decodeStored, encodeCanonicalOwned, ScratchEncoder } from '../events/codec.js';
import { readAllInPages, type EventStore, type RecordedEvent } from '../events/store.js';
import { MemoryCheckpointStore, type Checkpoint, type CheckpointStore, type PendingCheckpoint } from './checkpoint-store.js';
import type { Projection } from './fold.js';

export interface RunnerOptions {
  /** Where checkpoints go (default: in memory). */
  checkpoints?: CheckpointStore;
  /** Events per read from the store (default 1024: larger pages keep more garbage alive at once). */
  pageSize?: number;
  /**
   * Save checkpoints after at least this many events folded since the last save (default 100 000; 0: only
   * when asked and at the end of a catch-up) — and at least one event per `CHECKPOINT_BYTES_PER_EVENT`
   * bytes of the checkpoint it would write, so saving grows rarer as the states grow and costs at most
   * about a tenth of the folding it protects (in the 1M-event benchmark, encoding and writing 68 MB took
   * 2.7 CPU-s, ~40 ns a byte; folding an event into every projection ~10 µs). That size is the last save's,
   * scaled by how far the position has moved since: states that grow with the events (a rebuild from zero)
   * would otherwise be saved at a fraction of their size, and a late save costs nearly the final one again.
   */
  checkpointEvery?: number;
  /** That bytes-per-event figure (default CHECKPOINT_BYTES_PER_EVENT; 0: save every `checkpointEvery` events whatever the size). */
  checkpointBytesPerEvent?: number;
  /** Called after each page while catching up. */
  onProgress?: (position: number) => void;
}

export interface LoadReport {
  /** Projections restored from a checkpoint, with its position. */
  restored: { name: string; position: number }[];
  /** Projections starting from zero, and why. */
  fromZero: { name: string; reason: 'no checkpoint' | 'other version' | 'unreadable' }[];
}

export interface CatchUpReport {
  /** Lowest position of any projection before and after. */
  from: number;
  to: number;
  /** Events read from the store. */
  events: number;
}

/** Events folded per byte of the last checkpoint before the next periodic save (see checkpointEvery). */
export const CHECKPOINT_BYTES_PER_EVENT = 10;

interface Slot {
  readonly projection: Projection<unknown>;
  state: unknown;
  position: number;
}

export class ProjectionRunner {
  private readonly slots: Slot[];
  private readonly checkpoints: CheckpointStore;
  private readonly pageSize: number;
  private readonly checkpointEvery: number;
  private readonly checkpointBytesPerEvent: number;
  private readonly onProgress: ((position: number) => void) | undefined;
  private sinceSave = 0;
  /** Size of the last checkpoint saved, all projections (bytes). */
  private lastSaveBytes = 0;
  /** The position (lowest of all projections) that save was taken at. */
  private lastSavePosition = 0;
  /** The largest state of the last save (bytes): what the next save's encoding buffer starts at, scaled. */
  private lastLargestState = 0;
  private saving: Promise<void> = Promise.resolve();
  /** Saves started and not yet settled. */
  private pendingSaves = 0;

  constructor(
    private readonly store: EventStore,
    projections: readonly Projection<any>[],
    options: RunnerOptions = {},
  ) {
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`two projections are named ${p.name}`);
      names.add(p.name);
    }
    this.slots = projections.map((projection) => ({ projection, state: projection.initialState(), position: 0 }));
    this.checkpoints = options.checkpoints ?? new MemoryCheckpointStore();
    this.pageSize = options.pageSize ?? 1024;
    this.checkpointEvery = options.checkpointEvery ?? 100_000;
    this.checkpointBytesPerEvent = options.checkpointBytesPerEvent ?? CHECKPOINT_BYTES_PER_EVENT;
    this.onProgress = options.onProgress;
  }

  /** Restores every projection it can from its checkpoint; the others start from zero. */
  async load(): Promise<LoadReport> {
    const saved = new Map<string, Checkpoint>();
    for (const c of await this.checkpoints.load(this.slots.map((s) => s.projection.name))) saved.set(c.name, c);
    const report: LoadReport = { restored: [], fromZero: [] };
    for (const slot of this.slots) {
      const name = slot.projection.name;
      const c = saved.get(name);
      slot.state = slot.projection.initialState();
      slot.position = 0;
      if (c === undefined) report.fromZero.push({ name, reason: 'no checkpoint' });
      else if (c.version !== slot.projection.version) report.fromZero.push({ name, reason: 'other version' });
      else {
        try {
          slot.state = decodeStored(c.state); // the fast reader: the library's values and errors, several times faster
          slot.position = c.position;
          report.restored.push({ name, position: c.position });
        } catch {
          report.fromZero.push({ name, reason: 'unreadable' });
        }
      }
    }
    return report;
  }

  /** Lowest position of any projection: every event up to it is folded everywhere. */
  get position(): number {
    return Math.min(...this.slots.map((s) => s.position));
  }

  /** The position of one projection. */
  positionOf(projection: Projection<unknown> | string): number {
    return this.slot(projection).position;
  }

  /** The current state of a projection (owned by the runner: read it, do not change it). */
  state<S>(projection: Projection<S>): S {
    return this.slot(projection).state as S;
  }

  private slot(projection: Projection<unknown> | string): Slot {
    const name = typeof projection === 'string' ? projection : projection.name;
    const slot = this.slots.find((s) => s.projection.name === name);
    if (slot === undefined) throw new Error(`the runner has no projection named ${name}`);
    return slot;
  }

  /** Folds one event into every projection that has not seen it. Events must come in position order. */
  apply(event: RecordedEvent): void {
    for (const slot of this.slots) {
      if (event.position <= slot.position) continue;
      if (event.position !== slot.position + 1) {
        throw new Error(`projection ${slot.projection.name} is at position ${slot.position} and was given position ${event.position}`);
      }
      slot.state = slot.projection.evolve(slot.state, event);
      slot.position = event.position;
    }
    this.sinceSave += 1;
  }

  /** Folds everything the store holds after the projections' positions, checkpointing as it goes. */
  async catchUp(): Promise<CatchUpReport> {
    const from = this.position;
    let events = 0;
    const pages = this.store.readAllPages?.(from + 1, this.pageSize) ?? readAllInPages(this.store, from + 1, this.pageSize);
    for await (const page of pages) {
      for (const event of page) this.apply(event);
      events += page.length;
      this.onProgress?.(page[page.length - 1]!.position);
      if (this.checkpointDue()) await this.checkpoint();
    }
    await this.checkpoint();
    return { from, to: this.position, events };
  }

  /** Forgets every state and checkpoint and folds the whole store from position 1. */
  async rebuild(): Promise<CatchUpReport> {
    await this.checkpoints.clear(this.slots.map((s) => s.projection.name));
    for (const slot of this.slots) {
      slot.state = slot.projection.initialState();
      slot.position = 0;
    }
    return this.catchUp();
  }

  /**
   * Follows the store live: catches up, then folds each new event as it is committed, checkpointing every
   * `checkpointEvery` events, until `signal` aborts; then saves a last checkpoint.
   */
  async follow(signal: AbortSignal): Promise<void> {
    await this.catchUp();
    if (signal.aborted) return;
    const subscription = this.store.subscribe({ fromPosition: this.position + 1 });
    const stop = () => void subscription.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const event of subscription) {
        this.apply(event);
        if (this.checkpointDue()) await this.checkpoint();
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await subscription.close();
      await this.checkpoint();
    }
  }

  /** A periodic save is due: enough events folded for the interval, and for the size the save would have. */
  private checkpointDue(): boolean {
    if (this.checkpointEvery <= 0 || this.sinceSave < this.checkpointEvery) return false;
    if (this.checkpointBytesPerEvent === 0) return true;
    const growth = this.lastSavePosition > 0 ? Math.max(1, this.position / this.lastSavePosition) : 1;
    return this.sinceSave * this.checkpointBytesPerEvent >= this.lastSaveBytes * growth;
  }

  /** Saves every projection's state and position now (one atomic save). */
  checkpoint(): Promise<void> {
    // States grow with the events: the largest one is expected about as much larger as the position moved
    // (at most 16 times: a guess too small costs a few doublings, one too large reserves memory unused).
    const growth = this.lastSavePosition > 0 ? Math.min(16, Math.max(1, this.position / this.lastSavePosition)) : 1;
    const expectedLargest = this.lastLargestState * growth * 1.1;
    this.sinceSave = 0;
    this.lastSavePosition = this.position;
    // States are encoded synchronously, here, so the bytes and the position agree whatever is folded after.
    if (this.pendingSaves === 0 && this.checkpoints.saveEncodingEach !== undefined) {
      // The store encodes each state as it writes it (before returning): one encoded state alive at a time,
      // each in the same buffer (the store is done with one before it asks for the next).
      // Sized for the largest state expected, so encoding it leaves no trail of smaller buffers from doubling.
      let bytes = 0;
      let largest = 0;
      const scratch = new ScratchEncoder(expectedLargest);
      const pending: PendingCheckpoint[] = this.slots.map(({ projection, state, position }) => ({
        name: projection.name,
        version: projection.version,
        position,
        encode: () => {
          const encoded = scratch.encode(state);
          bytes += encoded.length;
          largest = Math.max(largest, encoded.length);
          return encoded;
        },
      }));
      const save = this.checkpoints.saveEncodingEach(pending);
      this.lastSaveBytes = bytes;
      this.lastLargestState = largest;
      return this.track(save);
    }
    const batch: Checkpoint[] = this.slots.map((s) => ({
      name: s.projection.name,
      version: s.projection.version,
      position: s.position,
      state: encodeCanonicalOwned(s.state),
    }));
    this.lastSaveBytes = batch.reduce((n, c) => n + c.state.length, 0);
    this.lastLargestState = batch.reduce((n, c) => Math.max(n, c.state.length), 0);
    // Saves run one after another; a failed save fails its caller, not the saves after it.
    return this.track(this.saving.catch(() => undefined).then(() => this.checkpoints.save(batch)));
  }

  /** Counts a save until it settles (only with none pending may the next one write at once). */
  private track(save: Promise<void>): Promise<void> {
    this.pendingSaves += 1;
    const settled = () => {
      this.pendingSaves -= 1;
    };
    save.then(settled, settled);
    this.saving = save;
    return save;
  }

  /** Waits for pending saves; the checkpoint store stays open (its owner closes it). */
  async flush(): Promise<void> {
    await this.saving;
  }
}
