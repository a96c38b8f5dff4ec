// The checkpoint store that goes with an event store: its own table in the same database.
//   sqlite:<path>   table aurora_projection_checkpoints in the same file, through the event store's own
//                   connection (SqliteEventStore.db), so checkpoints and events share one database handle
//   postgres://…    table aurora_projection_checkpoints in the same database and schema, own small pool
//   memory:, kurrentdb://…   checkpoints in memory: a memory store dies with the process anyway, and
//                   KurrentDB has no table to put them in (its projections rebuild at start-up)
import type { EventStore } from '../events/store.js';
import { parseStoreUrl } from '../events/open-store.js';
import { MemoryCheckpointStore, type CheckpointStore } from './checkpoint-store.js';

export async function openCheckpointStore(url: string, store: EventStore): Promise<CheckpointStore> {
  const target = parseStoreUrl(url);
  switch (target.kind) {
    case 'sqlite': {
      const { SqliteEventStore } = await import('../events/adapters/sqlite.js');
      const { SqliteCheckpointStore } = await import('./checkpoints-sqlite.js');
      if (store instanceof SqliteEventStore) return new SqliteCheckpointStore(store.db);
      return SqliteCheckpointStore.open(target.path);
    }
    case 'postgres': {
      const { PostgresCheckpointStore } = await import('./checkpoints-postgres.js');
      return PostgresCheckpointStore.open(target.url);
    }
    case 'memory':
    case 'kurrentdb':
      return new MemoryCheckpointStore();
    default: {
      const never: never = target;
      throw new Error(`unreachable: ${JSON.stringify(never)}`);
    }
  }
}
