// The NATS adapter against a real nats-server, with requesters and workers in this process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, createInbox, headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import type { RequestOf } from '../../actors/protocol.js';
import { decodeMessage, encodeMessage } from '../../src/transport/codec.js';
import { InvalidMessageError, RemoteError, RequestTimeoutError } from '../../src/transport/errors.js';
import { InProcessTransport } from '../../src/transport/in-process.js';
import { NatsTransport } from '../../src/transport/nats/nats-transport.js';
import { startNatsServer, type NatsServerProcess } from '../support/nats-process.js';
import { createRoleHandler } from './fixtures/handlers.js';
import { evaluate, proposeScenarios } from './fixtures/messages.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const none = { kind: 'none' } as const;

let server: NatsServerProcess;
let workerLog: string[];
let requesterLog: string[];
let worker: NatsTransport;
let controller: NatsTransport;
let calls = 0;

test.before(async () => {
  server = await startNatsServer();
  workerLog = [];
  requesterLog = [];
  worker = await NatsTransport.connect({ servers: server.url, credentials: none, log: (l) => workerLog.push(l) });
  controller = await NatsTransport.connect({ servers: server.url, credentials: none, log: (l) => requesterLog.push(l), acceptTimeoutMs: 5_000 });
  const simulate = createRoleHandler('simulator');
  await worker.serve('simulator', async (r) => {
    calls++;
    return simulate(r);
  });
  await worker.serve('attacker', createRoleHandler('attacker'));
});

test.after(async () => {
  await controller?.close();
  await worker?.close();
  await server?.stop();
});

test.before.each(() => {
  workerLog.length = 0;
  requesterLog.length = 0;
});

test('given a simulator worker on NATS, when the controller asks, then it gets the same bytes the in-process transport gives', async () => {
  const local = new InProcessTransport({ log: () => {} });
  await local.serve('simulator', createRoleHandler('simulator'));
  const request = evaluate(20, '', 3);
  const overNats = await controller.request('simulator', request);
  const inProcess = await local.request('simulator', request);
  assert.equal(encodeMessage(overNats), encodeMessage(inProcess));
  assert.is(overNats.results.length, 3);
  await local.close();
});

/** Publishes raw bytes as a stranger would and collects every answer for a moment. */
async function strangerRequest(nc: NatsConnection, data: Uint8Array, body?: string, protocol?: string): Promise<Msg[]> {
  const inbox = createInbox();
  const answers: Msg[] = [];
  const sub = nc.subscribe(inbox, { callback: (_err, msg) => void answers.push(msg) });
  const h = headers();
  if (body) h.set('Aurora-Body', body);
  if (protocol) h.set('Aurora-Protocol', protocol);
  nc.publish('aurora.rpc.simulator', data, { reply: inbox, headers: h });
  for (let i = 0; i < 100 && !answers.some((m) => m.headers?.get('Aurora-Status') !== 'accepted'); i++) await sleep(10);
  sub.unsubscribe();
  return answers;
}

test("given a stranger's malformed messages, when they reach a worker, then each is refused with a logged line and never handled", async () => {
  const nc = await connect({ servers: server.url });
  try {
    const before = calls;
    const garbage = await strangerRequest(nc, new Uint8Array([0xc1, 0xc1]));
    const wrongShape = await strangerRequest(nc, encodeMessage({ scenarioId: 's', scenario: 'everything', policies: [] }));
    const badManifest = await strangerRequest(nc, encodeMessage({ v: 1, source: 'aurora.rpc.simulator', inline: {}, blobs: [] }), 'manifest');
    const future = await strangerRequest(nc, encodeMessage(evaluate(1)), undefined, '2');
    for (const answers of [garbage, wrongShape, badManifest, future]) {
      assert.equal(
        answers.map((m) => m.headers?.get('Aurora-Status')),
        ['accepted', 'invalid-request'],
      );
      const { issues } = decodeMessage(answers[1]!.data) as { issues: string[] };
      assert.ok(issues.length > 0);
    }
    nc.publish('aurora.rpc.simulator', encodeMessage(evaluate(1))); // no reply subject: ignored
    await nc.flush();
    await sleep(50);
    assert.is(calls, before, 'no handler ran');
    assert.is(workerLog.length, 5, workerLog.join('\n'));
    assert.match(workerLog[0]!, /refused a request from _INBOX\..*not MessagePack/);
    assert.match(workerLog[1]!, /scenario/);
    assert.match(workerLog[2]!, /manifest/);
    assert.match(workerLog[3]!, /Aurora-Protocol 2 is not supported/);
    assert.match(workerLog[4]!, /no reply subject/);
  } finally {
    await nc.close();
  }
});

test('given a worker impostor answering garbage, when the controller asks, then the requester refuses the reply', async () => {
  const nc = await connect({ servers: server.url });
  const t = await NatsTransport.connect({ servers: server.url, credentials: none, log: (l) => requesterLog.push(l) });
  // The impostor is the only defender; it answers with bytes that are not a PoliciesProposed.
  nc.subscribe('aurora.rpc.defender', {
    queue: 'aurora-defender',
    callback: (_err, msg) => {
      const h = headers();
      h.set('Aurora-Status', 'ok');
      h.set('Aurora-Worker', 'impostor');
      msg.respond(encodeMessage({ policies: 'none', rejected: [] }), { headers: h });
    },
  });
  await nc.flush();
  try {
    const err = await t
      .request('defender', { runId: 'r', iteration: 0, scenarioId: 's', scenarioSummary: null, population: [], count: 1, seed: 1, search: null })
      .catch((e: unknown) => e);
    assert.instance(err, InvalidMessageError);
    assert.is((err as InvalidMessageError).side, 'requester');
    assert.is((err as InvalidMessageError).direction, 'reply');
    assert.is(requesterLog.length, 1);
    assert.match(requesterLog[0]!, /refused a defender reply from impostor/);
  } finally {
    await t.close();
    await nc.close();
  }
});

test('given a failing handler or an invalid reply, when asked over NATS, then the requester gets RemoteError or InvalidMessageError', async () => {
  const failed = await controller.request('simulator', evaluate(1, 'throw')).catch((e: unknown) => e);
  assert.instance(failed, RemoteError);
  assert.match((failed as Error).message, /fixture failure on purpose/);
  const invalid = await controller.request('simulator', evaluate(1, 'bad-reply')).catch((e: unknown) => e);
  assert.instance(invalid, InvalidMessageError);
  assert.is((invalid as InvalidMessageError).side, 'worker');
  assert.is((invalid as InvalidMessageError).direction, 'reply');
});

test('given a 100 000-task scenario, when sent both ways, then it arrives whole through blobs, and a second send reuses the cached blob', async () => {
  const before = controller.stats();
  const reply = await controller.request('simulator', evaluate(100_000));
  assert.is(reply.results[0]!.metrics.tasks, 100_000);
  const afterFirst = controller.stats();
  assert.ok(afterFirst.chunksServed - before.chunksServed >= 10, `the scenario went in chunks (${afterFirst.chunksServed - before.chunksServed})`);
  assert.ok(afterFirst.bytesServed - before.bytesServed > 10_000_000);

  // Same scenario, other policies: only the small part of the request travels again.
  const again = await controller.request('simulator', { ...evaluate(100_000, '', 2) });
  assert.is(again.results.length, 2);
  const afterSecond = controller.stats();
  assert.is(afterSecond.chunksServed, afterFirst.chunksServed, 'no chunk pulled the second time');
  assert.ok(worker.stats().blobCacheHits >= 1);

  // A reply of 100 000 tasks comes back through the worker's blobs.
  const proposed = await controller.request('attacker', proposeScenarios(1, 100_000));
  const scenario = proposed.scenarios[0]!.scenario;
  assert.is(scenario.tasks.length, 100_000);
  assert.is(scenario.tasks[99_999]!.id, 't99999');
  assert.ok(controller.stats().chunksFetched - afterSecond.chunksFetched >= 10);
});

test('given no worker for a role, when asked, then the request fails once nobody takes it in time', async () => {
  const t = await NatsTransport.connect({ servers: server.url, credentials: none, acceptTimeoutMs: 300, log: () => {} });
  try {
    const request: RequestOf<'defender'> = { runId: 'r', iteration: 0, scenarioId: 's', scenarioSummary: null, population: [], count: 1, seed: 1, search: null };
    const err = await t.request('defender', request).catch((e: unknown) => e);
    assert.instance(err, RequestTimeoutError);
    assert.match((err as Error).message, /no defender worker took the request within 300 ms/);
    assert.ok(t.stats().noResponders >= 1);
  } finally {
    await t.close();
  }
});

test('given a worker that takes a request and hangs, when it times out, then another worker answers and the hung one declines the retry', async () => {
  const hung = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  const healthy = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  try {
    const stuck = await hung.serve('defender', () => new Promise(() => {}), { concurrency: 4 });
    const request: RequestOf<'defender'> = { runId: 'r', iteration: 0, scenarioId: 's', scenarioSummary: null, population: [], count: 2, seed: 9, search: null };
    const pending = controller.request('defender', request, { timeoutMs: 300, retries: 2 });
    await sleep(100); // the only defender has taken it by now
    const good = await healthy.serve('defender', createRoleHandler('defender'));
    const reply = await pending;
    assert.is(reply.policies.length, 2);
    assert.equal(Object.keys(controller.stats().answeredBy).filter((w) => w === stuck.id || w === good.id), [good.id]);
    assert.ok(requesterLog.some((l) => l.includes(`defender worker ${stuck.id}: no answer within 300 ms; sending the request to another worker`)), requesterLog.join('\n'));
    await good.drain();
  } finally {
    await healthy.close();
    await hung.connection.close();
  }
});

test('given a single worker that timed out, when no other worker answers for a whole time-out, then it gets the request again', async () => {
  const only = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  try {
    let calls = 0;
    const defend = createRoleHandler('defender');
    const served = await only.serve('defender', async (r) => {
      calls++;
      if (calls === 1) await new Promise(() => {}); // stuck the first time only
      return defend(r);
    }, { concurrency: 2 });
    const request: RequestOf<'defender'> = { runId: 'r', iteration: 0, scenarioId: 's', scenarioSummary: null, population: [], count: 1, seed: 4, search: null };
    const reply = await controller.request('defender', request, { timeoutMs: 200, retries: 1 });
    assert.is(reply.policies.length, 1);
    assert.is(calls, 2);
    assert.ok(requesterLog.some((l) => l.includes(`only defender workers that timed out on this request answer; sending it to them again (${served.id})`)), requesterLog.join('\n'));
  } finally {
    await only.connection.close(); // its first call never ends, so no drain
  }
});

test.run();
