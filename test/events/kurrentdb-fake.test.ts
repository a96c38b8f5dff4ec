// The store contract against the KurrentDB adapter over an in-process fake client (support/fake-kurrent.ts):
// exercises the adapter's own position index, idempotency and subscription logic in every run. The real
// server is covered by kurrentdb-store.test.ts where KURRENTDB_URL is set.
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { KurrentEventStore } from '../../events/adapters/kurrentdb.js';
import { ratings } from './fixtures.js';
import { registerStoreContract } from './store-contract.js';
import { FakeKurrentClient, FakeKurrentLog } from './support/fake-kurrent.js';

let log = new FakeKurrentLog();
const open = (options = {}) => new KurrentEventStore(new FakeKurrentClient(log) as unknown as KurrentDBClient, options);

const contract = suite('kurrentdb adapter contract (fake client)');
registerStoreContract(contract, {
  async fresh() {
    log = new FakeKurrentLog();
  },
  async open(options) {
    return open(options);
  },
  async tamper(position) {
    const ours = log.records.filter((r) => !r.type.startsWith('$'));
    const record = ours[position - 1]!;
    record.data = { ...(record.data as object), before: -1 };
  },
  async dispose() {},
});
contract.run();

const kurrent = suite('kurrentdb adapter (fake client)');

kurrent('given two namespaces in one database, when each appends, then each sees only its own streams, numbered from 1', async () => {
  log = new FakeKurrentLog();
  const a = open({ namespace: 'team-a' });
  const b = open({ namespace: 'team-b' });
  await a.appendToStream('run-1', ratings('a', 2));
  await b.appendToStream('run-1', ratings('b', 3));
  assert.equal((await a.readAll()).map((e) => [e.position, e.stream, e.metadata.eventId]), [
    [1, 'run-1', 'a-0'],
    [2, 'run-1', 'a-1'],
  ]);
  assert.equal((await b.readStream('run-1')).map((e) => e.position), [1, 2, 3]);
  assert.equal(log.records.filter((r) => !r.type.startsWith('$')).map((r) => r.streamId), [
    'team-a:run-1',
    'team-a:run-1',
    'team-b:run-1',
    'team-b:run-1',
    'team-b:run-1',
  ]);
  await Promise.all([a.close(), b.close()]);
});

kurrent.run();
