import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryEventStore } from '../../events/adapters/memory.js';
import { SqliteEventStore } from '../../events/adapters/sqlite.js';
import { DEFAULT_STORE_URL, StoreUrlError, openStore, parseStoreUrl } from '../../events/open-store.js';

test('given store URLs, when parsed, then each selects its adapter', () => {
  assert.equal(parseStoreUrl('memory:'), { kind: 'memory', name: null });
  assert.equal(parseStoreUrl('memory:team'), { kind: 'memory', name: 'team' });
  assert.equal(parseStoreUrl('sqlite:.aurora/aurora.db'), { kind: 'sqlite', path: '.aurora/aurora.db' });
  assert.equal(parseStoreUrl('sqlite:///var/lib/aurora.db'), { kind: 'sqlite', path: '/var/lib/aurora.db' });
  assert.equal(parseStoreUrl('postgres://u@h/db?schema=x'), { kind: 'postgres', url: 'postgres://u@h/db?schema=x' });
  assert.equal(parseStoreUrl('postgresql://u@h/db'), { kind: 'postgres', url: 'postgresql://u@h/db' });
  assert.equal(parseStoreUrl('kurrentdb://h:2113?tls=false').kind, 'kurrentdb');
  assert.equal(parseStoreUrl('esdb://h:2113').kind, 'kurrentdb');
  assert.is(DEFAULT_STORE_URL, 'sqlite:.aurora/aurora.db');
});

test('given a URL no adapter understands, when opening, then one clear error names it', async () => {
  for (const url of ['mysql://h/db', 'sqlite:', 'events.db']) {
    try {
      await openStore(url);
      assert.unreachable('expected StoreUrlError');
    } catch (err) {
      assert.instance(err, StoreUrlError);
      assert.match((err as Error).message, `event store URL '${url}'`);
    }
  }
});

test('given memory: and sqlite::memory:, when opened, then the matching adapters are used', async () => {
  const memory = await openStore('memory:');
  const sqlite = await openStore('sqlite::memory:');
  assert.instance(memory, MemoryEventStore);
  assert.instance(sqlite, SqliteEventStore);
  await Promise.all([memory.close(), sqlite.close()]);
});

test.run();
