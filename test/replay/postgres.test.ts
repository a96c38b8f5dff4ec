// A run recorded on PostgreSQL (a schema of its own) replays exactly through `aurora replay --store
// postgres://…`, and has the fingerprints of the same run recorded in memory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openMemoryStore } from '../../events/adapters/memory.js';
import { openStore } from '../../events/open-store.js';
import { dropSchema, postgresOff, storeUrl, testSchema } from '../events/support/postgres.js';
import { aurora, fingerprints, readRun, recordRun } from './support/runs.js';

if (postgresOff) {
  console.log('postgres replay test not run: AURORA_TEST_POSTGRES_URL=off');
} else {
  const schema = testSchema();
  test.after(() => dropSchema(schema));

  test('given a run recorded on PostgreSQL, when replayed, then every event matches and the fingerprints equal the in-memory run', async () => {
    const url = storeUrl(schema);
    const store = await openStore(url);
    const memory = openMemoryStore();
    try {
      await recordRun(store, { runId: 'pg', stopAfter: 2 });
      await recordRun(store, { runId: 'pg', resume: true });
      await recordRun(memory, { runId: 'pg', stopAfter: 2 });
      await recordRun(memory, { runId: 'pg', resume: true });
      assert.equal(fingerprints(await readRun(store, 'pg')), fingerprints(await readRun(memory, 'pg')));
    } finally {
      await store.close();
      await memory.close();
    }
    const { code, out } = await aurora('replay', 'pg', '--store', url, '--json');
    assert.is(code, 0, out);
    const result = JSON.parse(out);
    assert.equal([result.status, result.resumes, result.matched === result.events], ['identical', 1, true]);
    assert.is((await aurora('replay', 'other', '--store', url)).code, 2);
  });

  test.run();
}
