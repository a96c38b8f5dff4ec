// The relay against a real nats-server -js: events appended to a store while NATS is killed (-9) and
// restarted, and while the relay itself is killed and restarted, end up in the JetStream stream exactly
// once each, in order, positions 1..N with no gap.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { AuroraEvent } from '../../events/catalogue.js';
import { openMemoryStore } from '../../events/adapters/memory.js';
import { openSqliteStore } from '../../events/adapters/sqlite.js';
import { eventBytes } from '../../events/fingerprint.js';
import { EventRelay } from '../../events/relay/relay.js';
import { eventSubject, relayHeaders, relayStream } from '../../events/relay/subjects.js';
import { runStream, type EventStore } from '../../events/store.js';
import { syntheticRun } from '../../src/bench/synthetic-run.js';
import { startJetStreamServer, withJetStreamServer } from '../support/nats-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Events in batches as a controller appends them: one batch per `size` events. */
function batches(runId: string, iterations: number, size: number): AuroraEvent[][] {
  const events = [...syntheticRun({ runId, iterations, seed: 11, maxTasks: 8 })];
  const out: AuroraEvent[][] = [];
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size));
  return out;
}

async function appendAll(store: EventStore, runId: string, list: AuroraEvent[][], pauseMs: number): Promise<void> {
  for (const batch of list) {
    await store.appendToStream(runStream(runId), batch);
    if (pauseMs > 0) await sleep(pauseMs);
  }
}

/** Waits until the stream's last sequence reaches `count` (or the deadline passes). */
async function waitForStream(url: string, count: number, deadlineMs = 15_000): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const until = Date.now() + deadlineMs;
    while (Date.now() < until) {
      const info = await jsm.streams.info(relayStream).catch(() => null);
      if (info && info.state.last_seq >= count) return;
      await sleep(50);
    }
  } finally {
    await nc.close();
  }
}

/** Asserts that the stream holds exactly the store's events: sequence = position = 1..N, each once. */
async function assertStreamEqualsStore(url: string, store: EventStore): Promise<number> {
  const events = await store.readAll();
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(relayStream);
    assert.is(state.messages, events.length, 'messages in the stream');
    assert.is(state.first_seq, 1);
    assert.is(state.last_seq, events.length, 'no message was stored twice or lost');
    for (const event of events) {
      const msg = await jsm.streams.getMessage(relayStream, { seq: event.position });
      assert.ok(msg !== null, `sequence ${event.position} is missing`);
      assert.is(msg!.header.get(relayHeaders.position), String(event.position));
      assert.is(msg!.header.get(relayHeaders.msgId), event.metadata.eventId);
      assert.is(msg!.header.get(relayHeaders.type), event.type);
      assert.is(msg!.subject, eventSubject(event.metadata.runId, event.type));
      assert.ok(Buffer.from(msg!.data).equals(Buffer.from(eventBytes(event))), `payload of position ${event.position}`);
    }
    return events.length;
  } finally {
    await nc.close();
  }
}

test('given events appended while nats-server is killed -9 and restarted twice, when the relay catches up, then the stream holds them exactly once in order', async () => {
  const server = await startJetStreamServer();
  const store = openMemoryStore();
  const log: string[] = [];
  const relay = EventRelay.start({ store, servers: server.url, timeoutMs: 1000, retryMs: 50, log: (l) => log.push(l) });
  try {
    const list = batches('outage', 11, 12);
    // About 1.7 s of appends; NATS goes down twice while they run, each time for 300 ms.
    const writing = appendAll(store, 'outage', list, 10);
    await sleep(300);
    await server.kill9();
    await sleep(300); // the store keeps taking events while NATS is down
    await server.restart();
    await sleep(800);
    await server.kill9();
    await sleep(300);
    await server.restart();
    await writing;
    const head = await store.headPosition();
    assert.ok(head > 1000, `a real workload (${head} events)`);
    await waitForStream(server.url, head);
    await relay.waitFor(head);
    const n = await assertStreamEqualsStore(server.url, store);
    assert.is(n, head);
    assert.ok(relay.status.sessions >= 2, `the relay resynced after the outages (${relay.status.sessions} sessions)`);
  } finally {
    await relay.stop();
    await store.close();
    await server.stop();
  }
});

test('given a NATS server that comes back having lost acknowledged messages, when the relay reconnects while idle, then it sends them again', async () => {
  // What nats-server 2.9 may do after a crash (it acknowledges before fsync), made certain: the server's
  // store is put back to a copy taken before the last events were relayed.
  const server = await startJetStreamServer();
  const store = openMemoryStore();
  const log: string[] = [];
  const relay = EventRelay.start({ store, servers: server.url, timeoutMs: 1000, retryMs: 50, log: (l) => log.push(l) });
  const jetstreamDir = join(server.dir, 'jetstream');
  const snapshot = join(server.dir, 'snapshot');
  try {
    const list = batches('lost', 3, 50);
    const half = Math.floor(list.length / 2);
    await appendAll(store, 'lost', list.slice(0, half), 0);
    await relay.waitFor(await store.headPosition());
    await server.kill9();
    cpSync(jetstreamDir, snapshot, { recursive: true });
    await server.restart();
    await appendAll(store, 'lost', list.slice(half), 0);
    const head = await store.headPosition();
    await waitForStream(server.url, head);
    const publishedBefore = relay.status.published;
    // The crash: the stream loses its tail; nothing new is appended afterwards.
    await server.kill9();
    rmSync(jetstreamDir, { recursive: true, force: true });
    cpSync(snapshot, jetstreamDir, { recursive: true });
    await server.restart();
    await waitForStream(server.url, head);
    await assertStreamEqualsStore(server.url, store);
    assert.ok(relay.status.published > publishedBefore, 'the lost messages were published again');
  } finally {
    await relay.stop();
    await store.close();
    await server.stop();
  }
});

test('given a relay stopped and started again, when more events were appended meanwhile, then it resumes after the last relayed position', async () => {
  await withJetStreamServer(async (server) => {
    const store = openMemoryStore();
    const list = batches('resume', 3, 40);
    const half = Math.floor(list.length / 2);
    await appendAll(store, 'resume', list.slice(0, half), 0);
    const a = EventRelay.start({ store, servers: server.url, log: () => undefined });
    await a.waitFor(await store.headPosition());
    await a.stop();
    const relayedByA = a.status.published;
    await appendAll(store, 'resume', list.slice(half), 0);
    const b = EventRelay.start({ store, servers: server.url, log: () => undefined });
    const head = await store.headPosition();
    await b.waitFor(head);
    await b.stop();
    assert.is(relayedByA + b.status.published, head, 'the second relay published only what the first had not');
    await assertStreamEqualsStore(server.url, store);
    await store.close();
  });
});

test('given a relay process killed -9 mid-stream, when another relay process starts on the same SQLite store, then the stream has no gap and no duplicate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aurora-relay-'));
  const server = await startJetStreamServer();
  const path = join(dir, 'events.db');
  const store = openSqliteStore(path);
  /** Starts `aurora relay` and resolves once it has said it runs (its Ctrl-C handler is in place then). */
  const startRelayProcess = async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'relay', '--store', `sqlite:${path}`, '--nats', server.url], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (text: string) => {
        err += text;
        if (err.includes('Ctrl-C stops')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`aurora relay exited (${code}) before it ran:\n${err}`)));
    });
    return child;
  };
  let child = await startRelayProcess();
  try {
    const list = batches('crash', 5, 10);
    const writing = appendAll(store, 'crash', list, 5);
    await waitForStream(server.url, 200);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    child = await startRelayProcess();
    await writing;
    const head = await store.headPosition();
    await waitForStream(server.url, head);
    await assertStreamEqualsStore(server.url, store);
    // Ctrl-C: the relay drains and exits 0.
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    child.kill('SIGINT');
    assert.is(await exited, 0);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await store.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('given a stream of that name with other subjects, when the relay starts, then it refuses and says why', async () => {
  await withJetStreamServer(async (server) => {
    const nc = await connect({ servers: server.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: relayStream, subjects: ['elsewhere.>'] });
    await nc.close();
    const store = openMemoryStore();
    const log: string[] = [];
    const relay = EventRelay.start({ store, servers: server.url, retryMs: 20, log: (l) => log.push(l) });
    const until = Date.now() + 3000;
    while (log.length === 0 && Date.now() < until) await sleep(20);
    await relay.stop();
    assert.match(log[0] ?? '', /without the subjects aurora\.events\.>/);
    await store.close();
  });
});

test.run();
