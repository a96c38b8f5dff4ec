import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openPostgresStore, parsePostgresUrl } from '../../events/adapters/postgres.js';
import { openStore } from '../../events/open-store.js';
import type { EventStore } from '../../events/store.js';
import { rating, ratings } from './fixtures.js';
import { registerStoreContract, take } from './store-contract.js';
import { dropSchema, postgresOff, postgresUrl, sql, storeUrl, testSchema } from './support/postgres.js';

const url = suite('postgres URL');

url('given a URL with ?schema, when parsed, then the schema is taken out of the connection string', () => {
  assert.equal(parsePostgresUrl('postgres://u@h:5432/db?schema=team_a&sslmode=disable'), {
    connectionString: 'postgres://u@h:5432/db?sslmode=disable',
    schema: 'team_a',
  });
  assert.is(parsePostgresUrl('postgresql://h/db').schema, 'public');
  assert.throws(() => parsePostgresUrl('postgres://h/db?schema=Robert%22;drop'), /schema/);
});

url.run();

if (postgresOff) {
  console.log('postgres store tests not run: AURORA_TEST_POSTGRES_URL=off');
} else {
  let schema = '';
  const contract = suite('postgres store contract');
  registerStoreContract(contract, {
    async fresh() {
      if (schema) await dropSchema(schema);
      schema = testSchema();
    },
    async open(options) {
      return openPostgresStore(storeUrl(schema), options);
    },
    async tamper(position) {
      await sql(
        `UPDATE "${schema}".aurora_events
         SET bytes = set_byte(bytes, length(bytes) - 1, get_byte(bytes, length(bytes) - 1) # 1)
         WHERE position = $1`,
        [position],
      );
    },
    async dispose() {
      if (schema) await dropSchema(schema);
    },
  });
  contract.run();

  const pgSuite = suite('postgres store');
  let schemas: string[] = [];
  let stores: EventStore[] = [];
  const open = async (name: string) => {
    const store = await openStore(storeUrl(name));
    stores.push(store);
    return store;
  };
  const fresh = () => {
    const name = testSchema();
    schemas.push(name);
    return name;
  };
  pgSuite.after.each(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await Promise.all(schemas.map(dropSchema));
    stores = [];
    schemas = [];
  });

  pgSuite(`given ${postgresUrl}, when two schemas are used, then their stores are independent`, async () => {
    const a = await open(fresh());
    const b = await open(fresh());
    await a.appendToStream('s', ratings('a', 3));
    assert.is(await a.headPosition(), 3);
    assert.is(await b.headPosition(), 0);
    const tables = await sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schemas[0]],
    );
    assert.equal(tables.map((t) => t.table_name), ['aurora_events', 'aurora_head']);
  });

  pgSuite('given four writers appending at once, when a subscriber follows, then it sees every event once, gap-free', async () => {
    const name = fresh();
    const writers = await Promise.all([1, 2, 3, 4].map(() => open(name)));
    const follower = await open(name);
    const sub = follower.subscribe({ filter: { streamPrefix: 'run-' } });
    const perWriter = 30;
    const pending = take(sub, writers.length * perWriter * 2, 'the concurrent appends');
    await Promise.all(
      writers.map(async (w, k) => {
        for (let i = 0; i < perWriter; i++) {
          // Independent transactions in flight together: each batch goes to its writer's stream or a shared one.
          await w.appendToStream(i % 2 === 0 ? `run-w${k}` : 'run-shared', ratings(`w${k}-${i}`, 2));
        }
      }),
    );
    const got = await pending;
    assert.equal(got.map((e) => e.position), Array.from({ length: got.length }, (_, i) => i + 1));
    const shared = await follower.readStream('run-shared');
    assert.equal(shared.map((e) => e.revision), Array.from({ length: shared.length }, (_, i) => i));
    for (let i = 0; i < shared.length; i += 2) {
      assert.is(shared[i]!.metadata.eventId.replace(/-0$/, ''), shared[i + 1]!.metadata.eventId.replace(/-1$/, ''), 'batches stay whole');
    }
    await sub.close();
  });

  pgSuite('given a live subscription, when its LISTEN connection is killed, then it reconnects and keeps delivering', async () => {
    const name = fresh();
    const store = await open(name);
    const sub = store.subscribe();
    await store.appendToStream('s', [rating('before')]);
    assert.is((await take(sub, 1))[0]!.metadata.eventId, 'before');
    const killed = await sql<{ pid: number }>(
      `SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE query = $1`,
      [`LISTEN "aurora_events_${name}"`],
    );
    assert.is(killed.length, 1, 'the LISTEN connection was found');
    const pending = take(sub, 1, 'the event after the reconnect');
    // Appended while the listener may be down: the reconnect wakes the subscriber, which re-reads.
    await store.appendToStream('s', [rating('after')]);
    assert.is((await pending)[0]!.metadata.eventId, 'after');
    await sub.close();
  });

  pgSuite.run();
}
