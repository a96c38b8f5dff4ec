// Checkpoints in the PostgreSQL database that holds the events: the table aurora_projection_checkpoints in
// the event store's schema (the URL's ?schema=, default public), written through a small pool of its own
// to the same database (the event store keeps its pool private). One transaction per save.
import pg from 'pg';
import { parsePostgresUrl } from '../events/adapters/postgres.js';
import type { Checkpoint, CheckpointStore } from './checkpoint-store.js';
import { checkpointTable } from './checkpoints-sqlite.js';

export class PostgresCheckpointStore implements CheckpointStore {
  private ready: Promise<void> | null = null;
  private readonly table: string;

  /** `owned`: end the pool with the store. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly schema = 'public',
    private readonly owned = false,
  ) {
    this.table = `"${schema}".${checkpointTable}`;
  }

  /** For the event store at `url` (postgres://…[?schema=name]). */
  static open(url: string): PostgresCheckpointStore {
    const { connectionString, schema } = parsePostgresUrl(url);
    const pool = new pg.Pool({ connectionString, max: 2 });
    pool.on('error', () => undefined);
    return new PostgresCheckpointStore(pool, schema, true);
  }

  private ensureTable(): Promise<void> {
    this.ready ??= (async () => {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        // Serialised with other processes creating it (CREATE … IF NOT EXISTS is not safe under races).
        await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`aurora:checkpoints:${this.schema}`]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
        await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
          name     text        PRIMARY KEY,
          version  integer     NOT NULL,
          position bigint      NOT NULL,
          state    bytea       NOT NULL,
          saved_at timestamptz NOT NULL DEFAULT now()
        )`);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        this.ready = null;
        throw err;
      } finally {
        client.release();
      }
    })();
    return this.ready;
  }

  async load(names: readonly string[]): Promise<Checkpoint[]> {
    await this.ensureTable();
    const { rows } = await this.pool.query<{ name: string; version: number; position: string; state: Buffer }>(
      `SELECT name, version, position, state FROM ${this.table} WHERE name = ANY($1::text[]) ORDER BY name`,
      [names],
    );
    return rows.map((r) => ({ name: r.name, version: r.version, position: Number(r.position), state: new Uint8Array(r.state) }));
  }

  async save(checkpoints: readonly Checkpoint[]): Promise<void> {
    await this.ensureTable();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const c of checkpoints) {
        await client.query(
          `INSERT INTO ${this.table} (name, version, position, state, saved_at) VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position,
             state = excluded.state, saved_at = excluded.saved_at`,
          [c.name, c.version, c.position, Buffer.from(c.state.buffer, c.state.byteOffset, c.state.byteLength)], // a view, not a copy
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async clear(names: readonly string[]): Promise<void> {
    await this.ensureTable();
    await this.pool.query(`DELETE FROM ${this.table} WHERE name = ANY($1::text[])`, [names]);
  }

  async close(): Promise<void> {
    if (this.owned) await this.pool.end();
  }
}
