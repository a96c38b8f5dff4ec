import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BlobStore, sha256 } from '../../src/transport/nats/blob-store.js';

const blob = (n: number, fill: number) => new Uint8Array(n).fill(fill);

test('given a full store, when another blob comes, then the least recently used one goes', () => {
  const store = new BlobStore(300);
  store.put('a', blob(100, 1));
  store.put('b', blob(100, 2));
  store.put('c', blob(100, 3));
  store.get('a');
  store.put('d', blob(100, 4));
  assert.ok(store.has('a'));
  assert.not.ok(store.has('b'));
  assert.ok(store.has('c') && store.has('d'));
  assert.is(store.bytes, 300);
});

test('given a pinned blob, when the store overflows, then it stays until unpinned', () => {
  const store = new BlobStore(100);
  const unpin = store.putPinned('a', blob(100, 1));
  store.put('b', blob(100, 2));
  assert.ok(store.has('a'));
  assert.not.ok(store.has('b'), 'the newcomer is the only unpinned blob to evict');
  unpin();
  unpin();
  store.put('c', blob(50, 3));
  assert.not.ok(store.has('a'));
  assert.ok(store.has('c'));
});

test('given a leased blob, when it is released, then waiters for no leases wake', async () => {
  const store = new BlobStore(1000);
  store.putLeased('a', blob(10, 1), 60_000);
  assert.is(store.leased, 1);
  let woke = false;
  const waiting = store.whenNoLeases().then(() => (woke = true));
  await Promise.resolve();
  assert.not.ok(woke);
  store.release('a');
  await waiting;
  assert.ok(woke);
  assert.is(store.leased, 0);
});

test('given a blob larger than the whole store, when put pinned, then it is kept until unpinned', () => {
  const store = new BlobStore(10);
  const unpin = store.putPinned('big', blob(100, 1));
  assert.ok(store.has('big'));
  unpin();
  assert.not.ok(store.has('big'));
});

test('given bytes, when hashed, then the hash is their SHA-256', () => {
  assert.is(sha256(new TextEncoder().encode('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test.run();
