import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kurrentEventId, parseKurrentUrl } from '../../events/adapters/kurrentdb.js';
import { parseStoreUrl } from '../../events/open-store.js';

test('given our event id, when mapped to a KurrentDB id, then it is a stable version-8 UUID', () => {
  const id = kurrentEventId('run-1/it-3/eval-7');
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is(kurrentEventId('run-1/it-3/eval-7'), id);
  assert.is.not(kurrentEventId('run-1/it-3/eval-8'), id);
});

test('given KurrentDB URLs, when parsed, then esdb is rewritten and the namespace is taken out', () => {
  assert.equal(parseKurrentUrl('esdb://localhost:2113?tls=false'), { connectionString: 'kurrentdb://localhost:2113?tls=false', namespace: null });
  assert.equal(parseKurrentUrl('esdb+discover://a:2113,b:2113'), { connectionString: 'kurrentdb+discover://a:2113,b:2113', namespace: null });
  assert.equal(parseKurrentUrl('kurrentdb://h:2113?namespace=team-a&tls=false'), {
    connectionString: 'kurrentdb://h:2113?tls=false',
    namespace: 'team-a',
  });
  assert.equal(parseKurrentUrl('kurrentdb://h:2113?tls=false&namespace=t1'), { connectionString: 'kurrentdb://h:2113?tls=false', namespace: 't1' });
  assert.throws(() => parseKurrentUrl('kurrentdb://h?namespace=a%20b'), /namespace/);
  assert.is(parseStoreUrl('esdb://h:2113').kind, 'kurrentdb');
  assert.is(parseStoreUrl('kurrentdb://h:2113').kind, 'kurrentdb');
});

test.run();
