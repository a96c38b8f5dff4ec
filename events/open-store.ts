// Opens the event store a URL names:
//   memory:             a new in-memory store (tests); memory:<name> shares one log per process by name
//   sqlite:<path>       a SQLite file, relative to the working directory (created with its directory);
//                       sqlite::memory: for a throwaway database
//   postgres://…, postgresql://…   PostgreSQL; ?schema=<name> picks the schema (default public)
//   kurrentdb://…, kurrent://…, kdb://…, esdb://… (and +discover)   KurrentDB
// The default is sqlite:.aurora/aurora.db.
// Adapters are loaded on demand: a SQLite user never loads pg or KurrentDB's gRPC client.
import type { KurrentStoreOptions } from './adapters/kurrentdb.js';
import { namedMemoryLog, openMemoryStore } from './adapters/memory.js';
import type { StoreOptions } from './adapters/options.js';
import type { PostgresStoreOptions } from './adapters/postgres.js';
import type { SqliteStoreOptions } from './adapters/sqlite.js';
import type { EventStore } from './store.js';

export const DEFAULT_STORE_URL = 'sqlite:.aurora/aurora.db';

export type OpenStoreOptions = StoreOptions & SqliteStoreOptions & PostgresStoreOptions & KurrentStoreOptions;

/** An event store URL this function does not understand. */
export class StoreUrlError extends Error {
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`event store URL '${url}': ${detail}`);
    this.name = 'StoreUrlError';
  }
}

/** Which adapter a URL selects, and what it is handed. */
export function parseStoreUrl(
  url: string,
): { kind: 'memory'; name: string | null } | { kind: 'sqlite'; path: string } | { kind: 'postgres' | 'kurrentdb'; url: string } {
  if (url === 'memory:' || url === 'memory') return { kind: 'memory', name: null };
  if (url.startsWith('memory:')) return { kind: 'memory', name: url.slice('memory:'.length) };
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    // sqlite:///abs/path and sqlite://rel/path are accepted too
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new StoreUrlError(url, 'sqlite: needs a file path, e.g. sqlite:.aurora/aurora.db');
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  if (/^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//.test(url)) return { kind: 'kurrentdb', url };
  throw new StoreUrlError(url, 'expected memory:, sqlite:<path>, postgres://…, or kurrentdb://…');
}

export async function openStore(url: string = DEFAULT_STORE_URL, options: OpenStoreOptions = {}): Promise<EventStore> {
  const target = parseStoreUrl(url);
  switch (target.kind) {
    case 'memory':
      return openMemoryStore({ ...options, ...(target.name === null ? {} : { log: namedMemoryLog(target.name) }) });
    case 'sqlite':
      return (await import('./adapters/sqlite.js')).openSqliteStore(target.path, options);
    case 'postgres':
      return (await import('./adapters/postgres.js')).openPostgresStore(target.url, options);
    case 'kurrentdb':
      return (await import('./adapters/kurrentdb.js')).openKurrentStore(target.url, options);
    default: {
      const never: never = target;
      throw new Error(`unreachable: ${JSON.stringify(never)}`);
    }
  }
}
