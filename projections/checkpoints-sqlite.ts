// Checkpoints in the SQLite database that holds the events: the table aurora_projection_checkpoints in the
// same file, written through the event store's connection when given it (SqliteEventStore.db), or through
// a connection of its own (WAL lets it sit beside the event store's writer). One transaction per save.
import Database from 'better-sqlite3';
import type { Checkpoint, CheckpointStore, PendingCheckpoint } from './checkpoint-store.js';

export const checkpointTable = 'aurora_projection_checkpoints';

interface Row {
  name: string;
  version: number;
  position: number;
  state: Buffer;
}

export class SqliteCheckpointStore implements CheckpointStore {
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly saveAll: (checkpoints: readonly Checkpoint[]) => void;
  private readonly encodeAndSaveAll: (checkpoints: readonly PendingCheckpoint[]) => void;

  /** `owned`: close the connection with the store. */
  constructor(
    private readonly db: Database.Database,
    private readonly owned = false,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${checkpointTable} (
      name TEXT PRIMARY KEY,
      version INTEGER NOT NULL,
      position INTEGER NOT NULL,
      state BLOB NOT NULL,
      saved_at TEXT NOT NULL
    ) STRICT`);
    this.upsert = db.prepare(
      `INSERT INTO ${checkpointTable} (name, version, position, state, saved_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position,
         state = excluded.state, saved_at = excluded.saved_at`,
    );
    this.remove = db.prepare(`DELETE FROM ${checkpointTable} WHERE name = ?`);
    this.saveAll = db.transaction((checkpoints: readonly Checkpoint[]) => {
      const at = new Date().toISOString();
      for (const c of checkpoints) this.write(c, c.state, at);
    });
    this.encodeAndSaveAll = db.transaction((checkpoints: readonly PendingCheckpoint[]) => {
      const at = new Date().toISOString();
      for (const c of checkpoints) this.write(c, c.encode(), at);
    });
  }

  /** Opens the database file at `path` (the event store's file). */
  static open(path: string): SqliteCheckpointStore {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    return new SqliteCheckpointStore(db, true);
  }

  async load(names: readonly string[]): Promise<Checkpoint[]> {
    const select = this.db.prepare(`SELECT name, version, position, state FROM ${checkpointTable} WHERE name = ?`);
    return names.flatMap((name) => {
      const row = select.get(name) as Row | undefined;
      return row === undefined ? [] : [{ name: row.name, version: row.version, position: row.position, state: new Uint8Array(row.state) }];
    });
  }

  async save(checkpoints: readonly Checkpoint[]): Promise<void> {
    this.saveAll(checkpoints);
  }

  /** In one transaction, as `save`; each state is encoded just before it is written and dropped after. */
  async saveEncodingEach(checkpoints: readonly PendingCheckpoint[]): Promise<void> {
    this.encodeAndSaveAll(checkpoints);
  }

  private write(c: { name: string; version: number; position: number }, state: Uint8Array, at: string): void {
    // A view, not a copy: the states of a large store are tens of MB each (better-sqlite3 binds Buffers).
    this.upsert.run(c.name, c.version, c.position, Buffer.from(state.buffer, state.byteOffset, state.byteLength), at);
  }

  async clear(names: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const name of names) this.remove.run(name);
    })();
  }

  async close(): Promise<void> {
    if (this.owned && this.db.open) this.db.close();
  }
}
