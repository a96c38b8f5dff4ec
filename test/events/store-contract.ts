// The EventStore contract: one suite of behaviour every adapter must show. Each adapter's test file hands
// registerStoreContract a harness that makes a fresh, empty backend and opens stores on it.
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { StoreOptions } from '../../events/adapters/options.js';
import type { AuroraEvent } from '../../events/catalogue.js';
import { fingerprint } from '../../events/fingerprint.js';
import {
  EventIdConflictError,
  TamperedEventError,
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '../../events/store.js';
import { InvalidEventError } from '../../events/validate.js';
import { envelope, match, meta, rating, ratings, runStarted } from './fixtures.js';

export interface StoreHarness {
  /** Prepares a new, empty backend; every open() until the next fresh() uses it. */
  fresh(): Promise<void>;
  /** Opens a store (another instance each call) on the current backend. */
  open(options?: StoreOptions): Promise<EventStore>;
  /** Alters the stored bytes of the event at `position` behind the store's back (null: the backend cannot). */
  tamper: ((position: number) => Promise<void>) | null;
  /** Removes whatever the harness created. */
  dispose(): Promise<void>;
}

/** Guards against a hang (a subscription that never delivers); not a timing assertion. */
export function within<T>(promise: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what} after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Takes the next `count` events of a subscription (the subscription stays open). */
export async function take(sub: Subscription, count: number, what = `${count} events`): Promise<RecordedEvent[]> {
  const it = iterators.get(sub) ?? sub[Symbol.asyncIterator]();
  iterators.set(sub, it);
  const out: RecordedEvent[] = [];
  await within(
    (async () => {
      while (out.length < count) {
        const next = await it.next();
        if (next.done) throw new Error(`the subscription ended after ${out.length} of ${count} events`);
        out.push(next.value);
      }
    })(),
    what,
  );
  return out;
}
const iterators = new WeakMap<Subscription, AsyncIterator<RecordedEvent>>();

async function rejects(promise: Promise<unknown>, check: (err: unknown) => void): Promise<void> {
  try {
    await promise;
  } catch (err) {
    check(err);
    return;
  }
  assert.unreachable('expected the promise to reject');
}

export function registerStoreContract(test: Test, harness: StoreHarness): void {
  let opened: EventStore[] = [];
  const open = async (options?: StoreOptions) => {
    const store = await harness.open(options);
    opened.push(store);
    return store;
  };

  test.before.each(async () => {
    await harness.fresh();
  });
  test.after.each(async () => {
    await Promise.all(opened.map((s) => s.close()));
    opened = [];
  });
  test.after(async () => {
    await harness.dispose();
  });

  test('given an empty store, when reading, then there is nothing and the head is 0', async () => {
    const store = await open();
    assert.is(await store.headPosition(), 0);
    assert.equal(await store.readAll(), []);
    assert.equal(await store.readStream('run-nope'), []);
  });

  test('given a new stream, when appending with no_stream, then the events are stored in order with revisions and positions', async () => {
    const store = await open();
    const events = [runStarted('e0'), match('e1'), rating('e2')];
    const result = await store.appendToStream('run-r1', events, { expected: 'no_stream' });
    assert.equal(result, { nextRevision: 2, position: 3 });
    const read = await store.readStream('run-r1');
    assert.equal(read.map(envelope), events.map(envelope));
    assert.equal(read.map((e) => [e.stream, e.revision, e.position]), [
      ['run-r1', 0, 1],
      ['run-r1', 1, 2],
      ['run-r1', 2, 3],
    ]);
    for (const [i, e] of read.entries()) {
      assert.is(e.fingerprint, fingerprint(events[i]!), 'the fingerprint is that of the canonical bytes');
      assert.ok(!Number.isNaN(Date.parse(e.recordedAt)) && e.recordedAt.endsWith('Z'), 'recordedAt is ISO 8601');
    }
    assert.is(await store.headPosition(), 3);
  });

  test('given a stream, when appending with each kind of expected revision, then only a matching expectation passes', async () => {
    const store = await open();
    await rejects(store.appendToStream('s', [rating('a')], { expected: 'stream_exists' }), (err) => {
      assert.instance(err, WrongExpectedRevisionError);
      assert.is((err as WrongExpectedRevisionError).actual, 'no_stream');
    });
    await rejects(store.appendToStream('s', [rating('a')], { expected: 0 }), (err) => {
      assert.instance(err, WrongExpectedRevisionError);
    });
    assert.equal(await store.appendToStream('s', [rating('a'), rating('b')], { expected: 'no_stream' }), {
      nextRevision: 1,
      position: 2,
    });
    await rejects(store.appendToStream('s', [rating('c')], { expected: 'no_stream' }), (err) => {
      assert.instance(err, WrongExpectedRevisionError);
      assert.is((err as WrongExpectedRevisionError).actual, 1);
      assert.match((err as Error).message, 'stream s: expected revision no_stream, found 1');
    });
    await rejects(store.appendToStream('s', [rating('c')], { expected: 0 }), (err) => {
      assert.instance(err, WrongExpectedRevisionError);
      assert.is((err as WrongExpectedRevisionError).expected, 0);
      assert.is((err as WrongExpectedRevisionError).actual, 1);
    });
    assert.equal(await store.appendToStream('s', [rating('c')], { expected: 1 }), { nextRevision: 2, position: 3 });
    assert.equal(await store.appendToStream('s', [rating('d')], { expected: 'stream_exists' }), { nextRevision: 3, position: 4 });
    assert.equal(await store.appendToStream('s', [rating('e')], { expected: 'any' }), { nextRevision: 4, position: 5 });
    assert.equal(await store.appendToStream('s', [rating('f')]), { nextRevision: 5, position: 6 }, "the default is 'any'");
    assert.is(await store.headPosition(), 6, 'the refused appends stored nothing');
  });

  test('given a malformed expected revision, when appending, then it is refused before anything is stored', async () => {
    const store = await open();
    for (const expected of [-1, 1.5, 'latest'] as never[]) {
      await rejects(store.appendToStream('s', [rating('a')], { expected }), (err) => assert.instance(err, TypeError));
    }
    assert.is(await store.headPosition(), 0);
  });

  test('given a stored batch, when the same batch is appended again, then nothing is added and the original result is returned', async () => {
    const store = await open();
    const batch = ratings('x', 3);
    const first = await store.appendToStream('s', batch, { expected: 'no_stream' });
    await store.appendToStream('other', [rating('y')]);
    assert.equal(await store.appendToStream('s', batch, { expected: 'no_stream' }), first, 'even with a now-stale expectation');
    assert.equal(await store.appendToStream('s', batch, { expected: 7 }), first);
    assert.equal(await store.appendToStream('s', batch.slice(1, 2)), { nextRevision: 1, position: 2 }, 'a stored sub-batch in order');
    assert.is(await store.headPosition(), 4);
    assert.is((await store.readStream('s')).length, 3);
  });

  test('given a stored batch, when the store is reopened and the batch appended again, then the original result is returned', async () => {
    const store = await open();
    const batch = ratings('x', 2);
    const first = await store.appendToStream('s', batch);
    await store.close();
    const again = await open();
    assert.equal(await again.appendToStream('s', batch), first);
    assert.is(await again.headPosition(), 2);
  });

  test('given stored ids, when a batch mixes stored and new ids, then it is refused whole with EventIdConflictError', async () => {
    const store = await open();
    await store.appendToStream('s', ratings('x', 2));
    await rejects(store.appendToStream('s', [rating('x-1'), rating('new')]), (err) => {
      assert.instance(err, EventIdConflictError);
      assert.match((err as Error).message, 'x-1');
      assert.match((err as Error).message, 'new');
    });
    assert.is(await store.headPosition(), 2, 'the new event of the mixed batch was not stored');
  });

  test('given a stored id, when it is appended with other content, in another stream, in another order, or twice in a batch, then it is refused', async () => {
    const store = await open();
    await store.appendToStream('s', ratings('x', 2));
    await rejects(store.appendToStream('s', [rating('x-0', 1, 2)]), (err) => {
      assert.instance(err, EventIdConflictError);
      assert.match((err as Error).message, 'other content');
    });
    await rejects(store.appendToStream('t', ratings('x', 2)), (err) => {
      assert.instance(err, EventIdConflictError);
      assert.match((err as Error).message, 'stream s');
    });
    await rejects(store.appendToStream('s', ratings('x', 2).reverse()), (err) => {
      assert.instance(err, EventIdConflictError);
    });
    await rejects(store.appendToStream('s', [rating('dup'), rating('dup')]), (err) => {
      assert.instance(err, EventIdConflictError);
      assert.match((err as Error).message, 'twice');
    });
    assert.is(await store.headPosition(), 2);
  });

  test('given a batch with one invalid event, when appending, then it is refused naming type and path, and nothing is stored', async () => {
    const store = await open();
    const bad = rating('bad', Number.NaN);
    await rejects(store.appendToStream('s', [rating('ok'), bad]), (err) => {
      assert.instance(err, InvalidEventError);
      assert.is((err as Error).message, 'invalid RatingChanged event: data.before: NaN is not allowed');
    });
    assert.is(await store.headPosition(), 0);
    assert.equal(await store.readStream('s'), []);
  });

  test('given invalid events of several kinds, when appending each, then each is refused with its type and path', async () => {
    const store = await open();
    const base = rating('a');
    const cases: [unknown, string][] = [
      [{ ...base, data: { ...base.data, before: undefined } }, 'invalid RatingChanged event: data.before: undefined is not allowed (use null)'],
      [{ ...base, data: { ...base.data, extra: new Map() } }, 'invalid RatingChanged event: data.extra: a Map'],
      [{ ...base, data: { ...base.data, before: Infinity } }, 'invalid RatingChanged event: data.before: Infinity is not allowed'],
      [{ ...base, data: { ...base.data, before: 'high' } }, 'invalid RatingChanged event: data.before:'],
      [{ ...base, data: { ...base.data, extra: 1 } }, 'invalid RatingChanged event: data:'],
      [{ ...base, type: 'RatingGuessed' }, "invalid RatingGuessed event: type: unknown event type 'RatingGuessed'"],
      [{ ...base, metadata: { ...base.metadata, schemaVersion: 2 } }, 'invalid RatingChanged event: metadata.schemaVersion:'],
      [{ ...base, metadata: { ...base.metadata, runId: '' } }, 'invalid RatingChanged event: metadata.runId:'],
      [{ type: 'RatingChanged', data: base.data }, 'invalid RatingChanged event: metadata:'],
    ];
    for (const [event, message] of cases) {
      await rejects(store.appendToStream('s', [event as AuroraEvent]), (err) => {
        assert.instance(err, InvalidEventError);
        assert.ok((err as Error).message.startsWith(message), `${(err as Error).message} should start with ${message}`);
      });
    }
    assert.is(await store.headPosition(), 0);
  });

  test('given a batch whose expected revision fails, when appending, then nothing of it is stored', async () => {
    const store = await open();
    await store.appendToStream('s', [rating('a')]);
    await rejects(store.appendToStream('s', ratings('b', 5), { expected: 'no_stream' }), (err) => {
      assert.instance(err, WrongExpectedRevisionError);
    });
    assert.is(await store.headPosition(), 1);
    await store.appendToStream('s', ratings('b', 5), { expected: 0 });
    assert.is(await store.headPosition(), 6, 'the refused ids were not reserved');
  });

  test('given an empty batch, when appending, then the expectation is checked and nothing is stored', async () => {
    const store = await open();
    assert.equal(await store.appendToStream('s', [], { expected: 'no_stream' }), { nextRevision: -1, position: 0 });
    await store.appendToStream('s', ratings('a', 2));
    assert.equal(await store.appendToStream('s', [], { expected: 1 }), { nextRevision: 1, position: 2 });
    await rejects(store.appendToStream('s', [], { expected: 'no_stream' }), (err) => assert.instance(err, WrongExpectedRevisionError));
    assert.is(await store.headPosition(), 2);
  });

  test('given interleaved streams, when reading all and by stream with paging, then order and pages are exact', async () => {
    const store = await open();
    for (let i = 0; i < 6; i++) {
      await store.appendToStream(`run-${i % 2}`, [rating(`a${i}`), rating(`b${i}`)]);
    }
    const all = await store.readAll();
    assert.equal(all.map((e) => e.position), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal(all.map((e) => e.metadata.eventId).slice(0, 4), ['a0', 'b0', 'a1', 'b1']);
    assert.equal((await store.readAll({ fromPosition: 5, maxCount: 3 })).map((e) => e.position), [5, 6, 7]);
    assert.equal((await store.readAll({ fromPosition: 11, maxCount: 10 })).map((e) => e.position), [11, 12]);
    assert.equal(await store.readAll({ fromPosition: 13 }), []);
    assert.equal(await store.readAll({ maxCount: 0 }), []);
    assert.equal((await store.readAll({ fromPosition: 0, maxCount: 1 })).map((e) => e.position), [1], 'positions start at 1');
    const odd = await store.readStream('run-1');
    assert.equal(odd.map((e) => e.revision), [0, 1, 2, 3, 4, 5]);
    assert.equal(odd.map((e) => e.position), [3, 4, 7, 8, 11, 12]);
    assert.equal((await store.readStream('run-1', { from: 2, maxCount: 3 })).map((e) => e.metadata.eventId), ['a3', 'b3', 'a5']);
    assert.equal(await store.readStream('run-1', { from: 6 }), []);
    let from = 1;
    const paged: number[] = [];
    for (;;) {
      const page = await store.readAll({ fromPosition: from, maxCount: 5 });
      if (page.length === 0) break;
      paged.push(...page.map((e) => e.position));
      from = page[page.length - 1]!.position + 1;
    }
    assert.equal(paged, all.map((e) => e.position));
  });

  test('given stored events, when subscribing from the start, then it catches up and then delivers new events live', async () => {
    const store = await open();
    await store.appendToStream('run-a', ratings('old', 3));
    const sub = store.subscribe();
    assert.equal((await take(sub, 3, 'the catch-up')).map((e) => e.position), [1, 2, 3]);
    const pending = take(sub, 2, 'the live events');
    await store.appendToStream('run-b', ratings('new', 2));
    const live = await pending;
    assert.equal(live.map((e) => [e.position, e.stream, e.metadata.eventId]), [
      [4, 'run-b', 'new-0'],
      [5, 'run-b', 'new-1'],
    ]);
    await sub.close();
  });

  test('given a subscription from a position with a filter, when events arrive, then only matching ones from there are delivered', async () => {
    const store = await open();
    await store.appendToStream('run-a', [rating('a1'), match('a2')]);
    await store.appendToStream('other-x', [rating('x1')]);
    await store.appendToStream('run-b', [rating('b1')]);
    const sub = store.subscribe({ fromPosition: 2, filter: { streamPrefix: 'run-', types: ['RatingChanged'] } });
    const pending = take(sub, 2);
    await store.appendToStream('other-y', [rating('y1')]);
    await store.appendToStream('run-c', [match('c0'), rating('c1')]);
    assert.equal((await pending).map((e) => e.metadata.eventId), ['b1', 'c1']);
    await sub.close();
  });

  test('given a subscription waiting for events, when it is closed, then the pending iteration ends', async () => {
    const store = await open();
    await store.appendToStream('s', [rating('a')]);
    const sub = store.subscribe();
    const it = sub[Symbol.asyncIterator]();
    assert.is((await it.next()).value?.position, 1);
    const pending = it.next();
    await sub.close();
    assert.is((await within(pending, 'the closed subscription to end')).done, true);
    assert.is((await it.next()).done, true);
  });

  test('given a subscription, when the consumer breaks out of for-await, then the subscription ends cleanly', async () => {
    const store = await open();
    await store.appendToStream('s', ratings('a', 5));
    const seen: number[] = [];
    for await (const e of store.subscribe({ fromPosition: 2 })) {
      seen.push(e.position);
      if (seen.length === 2) break;
    }
    assert.equal(seen, [2, 3]);
  });

  test('given appends racing a catch-up, when subscribing, then every event arrives exactly once in order', async () => {
    const store = await open({ subscriptionPageSize: 7 });
    await store.appendToStream('s0', ratings('pre', 20));
    const sub = store.subscribe();
    const total = 20 + 30 * 3;
    const consumed = take(sub, total, 'every raced event');
    for (let i = 0; i < 30; i++) await store.appendToStream(`s${i % 4}`, ratings(`race${i}`, 3));
    const got = await consumed;
    assert.equal(got.map((e) => e.position), Array.from({ length: total }, (_, i) => i + 1));
    await sub.close();
  });

  test('given two store instances on one backend, when both append concurrently, then a subscriber sees one gap-free order', async () => {
    const a = await open();
    const b = await open();
    const watcher = await open();
    const sub = watcher.subscribe();
    const batches = 25;
    const size = 4;
    const consumed = take(sub, batches * 2 * size, 'the concurrent appends');
    await Promise.all([
      (async () => {
        for (let i = 0; i < batches; i++) await a.appendToStream(`run-a${i % 3}`, ratings(`a${i}`, size));
      })(),
      (async () => {
        for (let i = 0; i < batches; i++) await b.appendToStream(`run-b${i % 3}`, ratings(`b${i}`, size));
      })(),
      (async () => {
        // both writers also race on one stream with 'any'
        await Promise.all([a.appendToStream('shared', ratings('sa', 2)), b.appendToStream('shared', ratings('sb', 2))]);
      })(),
    ]);
    const first = await consumed;
    const got = [...first, ...(await take(sub, 4, 'the shared-stream appends'))];
    assert.equal(got.map((e) => e.position), Array.from({ length: got.length }, (_, i) => i + 1), 'gap-free, in order');
    assert.is(new Set(got.map((e) => e.metadata.eventId)).size, got.length, 'no duplicates');
    assert.is(await watcher.headPosition(), got.length);
    const shared = await watcher.readStream('shared');
    assert.equal(shared.map((e) => e.revision), [0, 1, 2, 3]);
    assert.ok(shared[0]!.metadata.eventId.slice(0, 2) === shared[1]!.metadata.eventId.slice(0, 2), 'each batch is contiguous');
    await sub.close();
  });

  const tamper = harness.tamper;
  if (tamper) test('given an event whose stored bytes were altered, when reading it, then TamperedEventError names its position', async () => {
    const store = await open();
    await store.appendToStream('s', ratings('a', 3));
    await tamper(2);
    await rejects(store.readAll(), (err) => {
      assert.instance(err, TamperedEventError);
      assert.is((err as TamperedEventError).position, 2);
      assert.match((err as Error).message, 'event at position 2 was altered');
    });
    await rejects(store.readStream('s'), (err) => assert.instance(err, TamperedEventError));
    assert.equal((await store.readAll({ maxCount: 1 })).map((e) => e.position), [1], 'untouched events still read');
    const sub = store.subscribe();
    const it = sub[Symbol.asyncIterator]();
    assert.is((await it.next()).value?.position, 1);
    await rejects(it.next(), (err) => assert.instance(err, TamperedEventError));
    await sub.close();
  });

  test('given a store with events, when it is closed and reopened, then everything reads back the same', async () => {
    const store = await open();
    await store.appendToStream('run-1', [runStarted('s0'), match('s1')]);
    await store.appendToStream('run-2', ratings('r', 3));
    const before = await store.readAll();
    await store.close();
    const again = await open();
    assert.is(await again.headPosition(), 5);
    assert.equal(await again.readAll(), before);
    assert.equal(await again.appendToStream('run-2', [rating('r-3')], { expected: 2 }), { nextRevision: 3, position: 6 });
  });

  test('given a closed store, when using it, then it refuses', async () => {
    const store = await open();
    await store.close();
    await rejects(store.readAll(), (err) => assert.match((err as Error).message, 'closed'));
    await rejects(store.appendToStream('s', [rating('a')]), (err) => assert.match((err as Error).message, 'closed'));
  });

  test('given events with metadata links, when read back, then causation and correlation survive', async () => {
    const store = await open();
    const e = { ...rating('child'), metadata: meta('child', { causationId: 'parent', correlationId: 'it-1', iteration: 1 }) };
    await store.appendToStream('s', [e]);
    const [read] = await store.readAll();
    assert.equal(read!.metadata, e.metadata);
  });
}
