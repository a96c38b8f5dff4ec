// Where the runner keeps what it has folded: per projection, the state (canonical MessagePack bytes of the
// codec), the projection's version and the global position of the last event folded into it. A save
// writes every checkpoint it is given atomically (one transaction on SQL stores), so a crash never leaves
// one projection ahead of the position it claims. Adapters: memory (here), SQLite and PostgreSQL
// (checkpoints-sqlite.ts, checkpoints-postgres.ts: a table next to the events, in the same database).
export interface Checkpoint {
  /** The projection's name. */
  readonly name: string;
  /** The projection's version when the state was saved. */
  readonly version: number;
  /** Global position of the last event folded into the state (0: none). */
  readonly position: number;
  /** encodeCanonical(state). */
  readonly state: Uint8Array;
}

/** A checkpoint whose state is encoded only when the store writes it. */
export interface PendingCheckpoint {
  readonly name: string;
  readonly version: number;
  readonly position: number;
  /**
   * encodeCanonical(state), now. The bytes may be a view of a buffer that the next `encode` of the same
   * save reuses: write (or copy) them before asking for the next.
   */
  encode(): Uint8Array;
}

export interface CheckpointStore {
  /** The saved checkpoints of these projections (missing ones are absent from the result). */
  load(names: readonly string[]): Promise<Checkpoint[]>;
  /** Saves all of them, atomically: afterwards either every one is saved or none is. */
  save(checkpoints: readonly Checkpoint[]): Promise<void>;
  /**
   * Optional, for stores that write synchronously: saves like `save`, atomically, but encodes each state
   * only when it writes it, so one encoded state is held at a time rather than all (together tens of MB).
   * Every `encode` is called, in order, before this returns.
   */
  saveEncodingEach?(checkpoints: readonly PendingCheckpoint[]): Promise<void>;
  /** Forgets the checkpoints of these projections. */
  clear(names: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Checkpoints in memory: for tests, and for `memory:` stores, whose events die with the process anyway. */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly saved = new Map<string, Checkpoint>();
  /** Saves so far (tests count them). */
  saves = 0;

  async load(names: readonly string[]): Promise<Checkpoint[]> {
    return names.flatMap((name) => {
      const c = this.saved.get(name);
      return c === undefined ? [] : [{ ...c, state: c.state.slice() }];
    });
  }

  async save(checkpoints: readonly Checkpoint[]): Promise<void> {
    this.saves += 1;
    for (const c of checkpoints) this.saved.set(c.name, { ...c, state: c.state.slice() });
  }

  async clear(names: readonly string[]): Promise<void> {
    for (const name of names) this.saved.delete(name);
  }

  async close(): Promise<void> {}
}
