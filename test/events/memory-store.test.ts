import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryLog, namedMemoryLog, openMemoryStore } from '../../events/adapters/memory.js';
import { openStore } from '../../events/open-store.js';
import { ratings } from './fixtures.js';
import { registerStoreContract } from './store-contract.js';

let log = new MemoryLog();
const contract = suite('memory store contract');
registerStoreContract(contract, {
  async fresh() {
    log = new MemoryLog();
  },
  async open(options) {
    return openMemoryStore({ ...options, log });
  },
  async tamper(position) {
    const row = log.rows[position - 1]!;
    const bytes = new Uint8Array(row.bytes);
    bytes[bytes.length - 1] ^= 1;
    row.bytes = bytes;
  },
  async dispose() {},
});
contract.run();

const named = suite('memory: URLs');

named('given memory:<name>, when opened twice, then both stores share one log; memory: alone is always new', async () => {
  const a = await openStore('memory:shared-test');
  const b = await openStore('memory:shared-test');
  await a.appendToStream('s', ratings('n', 2));
  assert.is(await b.headPosition(), 2);
  assert.is(namedMemoryLog('shared-test').rows.length, 2);
  const c = await openStore('memory:');
  assert.is(await c.headPosition(), 0);
  await Promise.all([a.close(), b.close(), c.close()]);
});

named.run();
