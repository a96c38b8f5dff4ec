// The contract against a real KurrentDB: runs only where KURRENTDB_URL points at a server
// (e.g. KURRENTDB_URL=kurrentdb://127.0.0.1:2113?tls=false). Each test uses its own namespace.
import { randomBytes } from 'node:crypto';
import { jsonEvent } from '@kurrent/kurrentdb-client';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { kurrentEventId, openKurrentStore } from '../../events/adapters/kurrentdb.js';
import { TamperedEventError } from '../../events/store.js';
import { rating } from './fixtures.js';
import { registerStoreContract } from './store-contract.js';

const url = process.env.KURRENTDB_URL;

if (!url) {
  console.log('kurrentdb store tests not run: KURRENTDB_URL is not set');
} else {
  const run = `aurora_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let n = 0;
  let namespace = '';
  const contract = suite('kurrentdb store contract');
  registerStoreContract(contract, {
    async fresh() {
      namespace = `${run}_${++n}`;
    },
    async open(options) {
      return openKurrentStore(url, { ...options, namespace });
    },
    tamper: null, // KurrentDB's log cannot be edited; see the test below
    async dispose() {},
  });
  contract.run();

  const kurrent = suite('kurrentdb store');

  kurrent('given an event written by another client with a wrong fingerprint, when reading it, then it is reported as tampered', async () => {
    const ns = `${run}_forged`;
    const store = await openKurrentStore(url, { namespace: ns });
    try {
      await store.appendToStream('s', [rating('good')]);
      const forged = rating('forged');
      await store.client.appendToStream(`${ns}:s`, [
        jsonEvent({
          id: kurrentEventId('forged'),
          type: forged.type,
          data: { ...forged.data, after: 9999 },
          metadata: { ...forged.metadata, fingerprint: 'not-the-hash' },
        }),
      ]);
      try {
        await store.readAll();
        assert.unreachable('expected TamperedEventError');
      } catch (err) {
        assert.instance(err, TamperedEventError);
        assert.is((err as TamperedEventError).position, 2);
      }
    } finally {
      await store.close();
    }
  });

  kurrent.run();
}
