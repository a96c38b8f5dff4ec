// Stopping and resuming a run (actors/self-play.ts): a run stopped after k iterations (or cut short by a
// failed iteration) and resumed ends with the same events as one that never stopped, RunStopped aside;
// an unknown run cannot be resumed and an existing one cannot be started again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runSelfPlay, RunError } from '../../actors/self-play.js';
import type { Requester } from '../../actors/requester.js';
import { openStore } from '../../events/open-store.js';
import type { EventStore } from '../../events/store.js';
import type { Transport } from '../../src/transport/port.js';
import { openInProcess } from '../../src/wiring/open-transport.js';
import { firstDifference, fingerprints, readRun, smallConfig } from './self-play-fixtures.js';

let transport: Transport;
let uninterrupted: string[];

test.before(async () => {
  transport = await openInProcess();
  const store = await openStore('memory:');
  await runSelfPlay({ store, requester: transport, runId: 'r', seed: 3, config: smallConfig, codeVersion: 'test' });
  uninterrupted = fingerprints(await readRun(store, 'r'));
});

test.after(async () => {
  await transport.close();
});

/** Plays until `after` iterations have completed, then stops as Ctrl-C would. */
async function playUntil(store: EventStore, after: number) {
  const abort = new AbortController();
  return runSelfPlay({
    store,
    requester: transport,
    runId: 'r',
    seed: 3,
    config: smallConfig,
    codeVersion: 'test',
    signal: abort.signal,
    onProgress: (p) => {
      if (p.iteration === after) abort.abort();
    },
  });
}

const withoutStops = (events: Awaited<ReturnType<typeof readRun>>) => fingerprints(events.filter((e) => e.type !== 'RunStopped'));

test('given a run stopped after two iterations, when it is resumed, then every event but RunStopped has the fingerprint of an uninterrupted run', async () => {
  const store = await openStore('memory:');
  const stopped = await playUntil(store, 2);
  assert.is(stopped.status, 'stopped');
  assert.is(stopped.iterations, 2);
  const atStop = await readRun(store, 'r');
  assert.equal(atStop.at(-1)!.type, 'RunStopped');
  assert.equal(atStop.at(-1)!.data, { iteration: 2, reason: 'interrupted', detail: 'stopped on request' });
  assert.is(atStop.filter((e) => e.type === 'IterationCompleted').length, 2);

  // Seed and configuration given to a resume are ignored: the run's own, from RunStarted, are used.
  const resumed = await runSelfPlay({ store, requester: transport, runId: 'r', seed: 999, config: { iterations: 9 }, codeVersion: 'test', resume: true });
  assert.is(resumed.status, 'completed');
  assert.is(resumed.iterations, 4);
  const events = await readRun(store, 'r');
  assert.is(events.filter((e) => e.type === 'RunStopped').length, 1);
  const got = withoutStops(events);
  assert.equal(got, uninterrupted, firstDifference(got, uninterrupted));
});

test('given an in-process run, when a timer or signal handler aborts it, then it stops after the iteration in progress (the run yields to the event loop)', async () => {
  const store = await openStore('memory:');
  const abort = new AbortController();
  let seen = 0;
  setTimeout(() => abort.abort(), 1);
  const result = await runSelfPlay({
    store,
    requester: transport,
    runId: 'r',
    seed: 3,
    config: { ...smallConfig, iterations: 200 },
    codeVersion: 'test',
    signal: abort.signal,
    onProgress: (p) => (seen = p.iteration),
  });
  assert.is(result.status, 'stopped');
  assert.ok(result.iterations < 200);
  assert.is(result.iterations, seen);
});

test('given a run stopped twice, the second time with nothing done in between, when resumed, then both stops are recorded and the rest is as uninterrupted', async () => {
  const store = await openStore('memory:');
  await playUntil(store, 1);
  const aborted = new AbortController();
  aborted.abort();
  const again = await runSelfPlay({ store, requester: transport, runId: 'r', seed: 3, codeVersion: 'test', resume: true, signal: aborted.signal });
  assert.is(again.status, 'stopped');
  assert.is(again.iterations, 1);
  await runSelfPlay({ store, requester: transport, runId: 'r', seed: 3, codeVersion: 'test', resume: true });
  const events = await readRun(store, 'r');
  const stops = events.filter((e) => e.type === 'RunStopped');
  assert.is(stops.length, 2);
  assert.is(new Set(stops.map((e) => e.metadata.eventId)).size, 2);
  const got = withoutStops(events);
  assert.equal(got, uninterrupted, firstDifference(got, uninterrupted));
});

test('given an iteration that fails half-way (a crash), when the run is resumed, then nothing of it was kept and the run ends as uninterrupted', async () => {
  const store = await openStore('memory:');
  let simulatorCalls = 0;
  const crashing: Requester = {
    request: (role, request, options) => {
      if (role === 'simulator' && (request as { scenarioId: string }).scenarioId.startsWith('s-3-') && ++simulatorCalls === 2) {
        return Promise.reject(new Error('worker lost'));
      }
      return transport.request(role, request, options);
    },
  };
  const err = await runSelfPlay({ store, requester: crashing, runId: 'r', seed: 3, config: smallConfig, codeVersion: 'test' }).catch((e: unknown) => e);
  assert.instance(err, RunError);
  assert.match((err as Error).message, /^iteration 3: .*worker lost/);
  const kept = await readRun(store, 'r');
  assert.ok(kept.every((e) => e.metadata.iteration <= 2), 'no event of the failed iteration');
  assert.is(kept.at(-1)!.type, 'IterationCompleted');

  await runSelfPlay({ store, requester: transport, runId: 'r', seed: 3, codeVersion: 'test', resume: true });
  const got = fingerprints(await readRun(store, 'r'));
  assert.equal(got, uninterrupted, firstDifference(got, uninterrupted));
});

test('given a completed run, when resumed, then it answers with its result and appends nothing', async () => {
  const store = await openStore('memory:');
  await runSelfPlay({ store, requester: transport, runId: 'r', seed: 3, config: smallConfig, codeVersion: 'test' });
  const before = (await readRun(store, 'r')).length;
  const again = await runSelfPlay({ store, requester: transport, runId: 'r', seed: 3, codeVersion: 'test', resume: true });
  assert.is(again.status, 'completed');
  assert.is(again.iterations, 4);
  assert.is((await readRun(store, 'r')).length, before);
});

test('given a run id the store has never seen, when resumed, then a RunError says so and nothing is written', async () => {
  const store = await openStore('memory:');
  const err = await runSelfPlay({ store, requester: transport, runId: 'ghost', seed: 3, codeVersion: 'test', resume: true }).catch((e: unknown) => e);
  assert.instance(err, RunError);
  assert.is((err as Error).message, 'run ghost does not exist in this store');
  assert.is(await store.headPosition(), 0);
});

test('given a run id that exists, when a run is started with it, then it is refused and the stored run is untouched', async () => {
  const store = await openStore('memory:');
  await playUntil(store, 1);
  const before = fingerprints(await readRun(store, 'r'));
  const err = await runSelfPlay({ store, requester: transport, runId: 'r', seed: 3, config: smallConfig, codeVersion: 'test' }).catch((e: unknown) => e);
  assert.instance(err, RunError);
  assert.match((err as Error).message, /run r already exists \(use --resume to continue it\)/);
  assert.equal(fingerprints(await readRun(store, 'r')), before);
});

test.run();
