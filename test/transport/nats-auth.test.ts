// nats.conf as shipped (port and store moved to a temp copy), against a real nats-server: which user may
// do what. The server, not the client, is what refuses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { connect, PermissionViolationError, type NatsConnection, type Status } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { fileURLToPath } from 'node:url';
import { PermissionDeniedError } from '../../src/transport/errors.js';
import { NatsTransport } from '../../src/transport/nats/nats-transport.js';
import { startNatsServer, type NatsServerProcess } from '../support/nats-process.js';
import { createRoleHandler } from './fixtures/handlers.js';
import { evaluate, proposeScenarios } from './fixtures/messages.js';

const passwords = {
  AURORA_NATS_CONTROLLER_PASSWORD: 'controller-secret',
  AURORA_NATS_WORKER_PASSWORD: 'worker-secret',
  AURORA_NATS_RELAY_PASSWORD: 'relay-secret',
  AURORA_NATS_OBSERVER_PASSWORD: 'observer-secret',
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const shipped = readFileSync(fileURLToPath(new URL('../../nats.conf', import.meta.url)), 'utf8');

let server: NatsServerProcess;
const open: NatsConnection[] = [];

async function as(user: 'controller' | 'worker' | 'relay' | 'observer'): Promise<NatsConnection> {
  const nc = await connect({ servers: server.url, user, pass: `${user}-secret` });
  open.push(nc);
  return nc;
}

/** Collects the permission errors the server reports to this connection. */
function refusals(nc: NatsConnection): PermissionViolationError[] {
  const seen: PermissionViolationError[] = [];
  void (async () => {
    for await (const s of nc.status() as AsyncIterable<Status>) {
      if (s.type === 'error' && s.error instanceof PermissionViolationError) seen.push(s.error);
    }
  })();
  return seen;
}

test.before(async () => {
  server = await startNatsServer({
    config: ({ port, storeDir }) => {
      const config = shipped.replace('listen: 127.0.0.1:4222', `listen: 127.0.0.1:${port}`).replace('store_dir: "./.aurora/nats"', `store_dir: "${storeDir}"`);
      if (config === shipped) throw new Error('nats.conf no longer has the expected listen/store_dir lines');
      return config;
    },
    env: passwords,
  });
});

test.after(async () => {
  for (const nc of open) await nc.close().catch(() => {});
  await server?.stop();
});

test('given nats.conf, when a client has no or a wrong password, then the server turns it away', async () => {
  const anonymous = await connect({ servers: server.url, reconnect: false }).catch((e: unknown) => e);
  assert.instance(anonymous, Error);
  const wrong = await connect({ servers: server.url, user: 'worker', pass: 'guess', reconnect: false }).catch((e: unknown) => e);
  assert.instance(wrong, Error);
  assert.match(String((wrong as Error).message), /Authorization/i);
});

test('given the worker and controller users, when a worker serves and the controller asks, then large and small messages go both ways', async () => {
  const worker = await NatsTransport.connect({ servers: server.url, credentials: { kind: 'user', user: 'worker', password: 'worker-secret' }, log: () => {} });
  const controller = await NatsTransport.connect({
    servers: server.url,
    credentials: { kind: 'user', user: 'controller', password: 'controller-secret' },
    log: () => {},
  });
  try {
    assert.is(controller.connection.info?.max_payload, 8 * 1024 * 1024, 'max_payload: 8MB');
    await worker.serve('simulator', createRoleHandler('simulator'));
    await worker.serve('attacker', createRoleHandler('attacker'));
    assert.is((await controller.request('simulator', evaluate(5))).scenarioId, 's5');
    // ~250 KB each way: travels as blobs, so the blob subjects are allowed for both users.
    assert.is((await controller.request('simulator', evaluate(2_000))).results[0]!.metrics.tasks, 2_000);
    assert.is((await controller.request('attacker', proposeScenarios(1, 2_000))).scenarios[0]!.scenario.tasks.length, 2_000);
    assert.ok(controller.stats().chunksServed > 0 && controller.stats().chunksFetched > 0);

    // A worker may not ask the roles itself.
    const denied = await worker.request('simulator', evaluate(1)).catch((e: unknown) => e);
    assert.instance(denied, PermissionDeniedError);
  } finally {
    await controller.close();
    await worker.close();
  }
});

test('given the worker user, when it subscribes to a role subject outside its queue group, then the server refuses', async () => {
  const nc = await as('worker');
  const sub = nc.subscribe('aurora.rpc.simulator');
  const closed = await Promise.race([sub.closed, sleep(2_000).then(() => 'still open')]);
  assert.instance(closed, PermissionViolationError);
  assert.is((closed as PermissionViolationError).operation, 'subscription');
});

test('given the relay and the observer, when the relay publishes an event, then the observer follows it through a JetStream consumer', async () => {
  const relay = await as('relay');
  const jsm = await jetstreamManager(relay);
  await jsm.streams.add({ name: 'AURORA_EVENTS', subjects: ['aurora.events.>'] });
  const js = jetstream(relay);
  await js.publish('aurora.events.r1.RunStarted', new TextEncoder().encode('event 1'), { msgID: 'e1' });

  const observer = await as('observer');
  const live: string[] = [];
  observer.subscribe('aurora.events.>', { callback: (_e, m) => void live.push(m.subject) });
  await observer.flush();
  const consumer = await jetstream(observer).consumers.get('AURORA_EVENTS');
  const first = await consumer.next({ expires: 2_000 });
  assert.is(first?.subject, 'aurora.events.r1.RunStarted');
  assert.is(first?.string(), 'event 1');

  await js.publish('aurora.events.r1.IterationCompleted', new TextEncoder().encode('event 2'), { msgID: 'e2' });
  await sleep(100);
  assert.equal(live, ['aurora.events.r1.IterationCompleted'], 'the observer also follows live');
});

test('given the observer, when it tries to publish requests or events, or to create or delete a stream, then the server refuses each', async () => {
  const observer = await as('observer');
  const seen = refusals(observer);
  observer.publish('aurora.rpc.simulator', new Uint8Array([1]));
  observer.publish('aurora.events.r1.RunStarted', new Uint8Array([1]));
  await observer.flush();
  await sleep(100);
  assert.equal(
    seen.map((e) => `${e.operation} ${e.subject}`),
    ['publish aurora.rpc.simulator', 'publish aurora.events.r1.RunStarted'],
  );

  const jsm = await jetstreamManager(observer, { checkAPI: false });
  const created = await jsm.streams.add({ name: 'ROGUE', subjects: ['rogue.>'] }).catch((e: unknown) => e);
  assert.instance(created, Error);
  assert.match(String(created), /Permissions Violation/i);
  const deleted = await jsm.streams.delete('AURORA_EVENTS').catch((e: unknown) => e);
  assert.instance(deleted, Error);
  assert.match(String(deleted), /Permissions Violation/i);

  const relayJsm = await jetstreamManager(await as('relay'));
  const info = await relayJsm.streams.info('AURORA_EVENTS');
  assert.is(info.config.name, 'AURORA_EVENTS', 'the stream is still there');
  const rogue = await relayJsm.streams.info('ROGUE').catch((e: unknown) => e);
  assert.instance(rogue, Error, 'and no rogue stream was made');
});

test('given the relay, when it tries to ask a role or delete the event stream, then the server refuses', async () => {
  const relay = await as('relay');
  const seen = refusals(relay);
  relay.publish('aurora.rpc.simulator', new Uint8Array([1]));
  await relay.flush();
  await sleep(100);
  assert.equal(
    seen.map((e) => e.subject),
    ['aurora.rpc.simulator'],
  );
  const jsm = await jetstreamManager(relay);
  const deleted = await jsm.streams.delete('AURORA_EVENTS').catch((e: unknown) => e);
  assert.instance(deleted, Error);
});

test.run();
