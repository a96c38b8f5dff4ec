// Run as a separate process by sqlite-store.test.ts: appends `count` events to the SQLite store at `path`,
// one append each, to show that a subscriber in another process sees them.
import { openSqliteStore } from '../../../events/adapters/sqlite.js';
import { ratings } from '../fixtures.js';

const [path, prefix, count] = process.argv.slice(2);
const store = openSqliteStore(path!);
for (const event of ratings(prefix!, Number(count))) await store.appendToStream('run-child', [event]);
await store.close();
