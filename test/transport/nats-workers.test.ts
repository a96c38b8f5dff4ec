// `aurora worker` processes serving over a real nats-server: load sharing through the queue group,
// reconnecting after the server is killed, retrying a request a hung worker took, and draining on Ctrl-C.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RequestOf } from '../../actors/protocol.js';
import { NatsTransport } from '../../src/transport/nats/nats-transport.js';
import { startNatsServer, type NatsServerProcess } from '../support/nats-process.js';
import { startWorker, type WorkerProcess } from '../support/worker-process.js';
import { evaluate } from './fixtures/messages.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))),
  ]);
}

let server: NatsServerProcess;
let workers: WorkerProcess[] = [];
let controller: NatsTransport;
let log: string[] = [];

test.before(async () => {
  server = await startNatsServer();
  workers = await Promise.all([1, 2, 3].map(() => startWorker({ role: 'simulator', url: server.url, fixtures: true })));
  controller = await NatsTransport.connect({ servers: server.url, credentials: { kind: 'none' }, log: (l) => log.push(l) });
});

test.after(async () => {
  await controller?.close();
  for (const w of workers) w.child.kill('SIGKILL');
  await server?.stop();
});

test('given three worker processes, when thirty requests come at once, then all are answered and every worker took a share', async () => {
  const requests = Array.from({ length: 30 }, (_, i) => evaluate(i + 1, 'sleep:20'));
  const replies = await within(Promise.all(requests.map((r) => controller.request('simulator', r))), 20_000, 'thirty requests');
  assert.equal(
    replies.map((r) => r.results[0]!.metrics.tasks),
    requests.map((_, i) => i + 1),
  );
  const answeredBy = controller.stats().answeredBy;
  for (const w of workers) assert.ok((answeredBy[w.id] ?? 0) >= 1, `${w.id} answered none: ${JSON.stringify(answeredBy)}`);
  assert.is(Object.values(answeredBy).reduce((a, b) => a + b, 0), 30);
});

test('given a handler that blocks its event loop longer than the re-send interval, when asked, then the request went out once', async () => {
  const asker = await NatsTransport.connect({ servers: server.url, credentials: { kind: 'none' }, resendMs: 200, log: () => {} });
  try {
    const reply = await within(asker.request('simulator', evaluate(2, 'block:800')), 10_000, 'the blocking request');
    assert.is(reply.scenarioId, 's2');
    assert.is(asker.stats().sends, 1, '`accepted` left the worker before its handler blocked');
  } finally {
    await asker.close();
  }
});

test('given a run in progress, when the server is killed -9 and restarted on the same port, then requests succeed again', async () => {
  assert.is((await controller.request('simulator', evaluate(3))).scenarioId, 's3');
  await server.kill9();
  const during = controller.request('simulator', evaluate(4)); // sent while the server is down
  await sleep(300);
  await server.restart();
  const reply = await within(during, 15_000, 'the request sent during the outage');
  assert.is(reply.scenarioId, 's4');
  const after = await within(Promise.all([5, 6, 7].map((n) => controller.request('simulator', evaluate(n)))), 15_000, 'requests after the restart');
  assert.equal(
    after.map((r) => r.scenarioId),
    ['s5', 's6', 's7'],
  );
  assert.ok(log.some((l) => l.includes('lost the NATS connection')));
  assert.ok(log.some((l) => l.includes('reconnected to NATS')));
  // A worker keeps its id across the reconnect: every answer names one of the ids announced at start-up.
  const answeredBy = controller.stats().answeredBy;
  assert.ok(Object.keys(answeredBy).every((id) => workers.some((w) => w.id === id)), JSON.stringify(answeredBy));
});

test('given a worker process that hangs on what it takes, when a request times out there, then it is retried on another worker', async () => {
  const hung = await startWorker({ role: 'defender', url: server.url, fixtures: true, env: { AURORA_TEST_HANG: '1' } });
  try {
    const request: RequestOf<'defender'> = { runId: 'r', iteration: 0, scenarioId: 's', scenarioSummary: null, population: [], count: 3, seed: 5, search: null };
    log = [];
    // The hung worker is the only defender when the request goes out, so it takes it.
    const pending = controller.request('defender', request, { timeoutMs: 2_500, retries: 1 });
    const healthy = await startWorker({ role: 'defender', url: server.url, fixtures: true });
    try {
      const reply = await within(pending, 15_000, 'the retried request');
      assert.is(reply.policies.length, 3);
      const answeredBy = controller.stats().answeredBy;
      assert.is(answeredBy[healthy.id], 1);
      assert.is(answeredBy[hung.id], undefined);
      assert.ok(log.some((l) => l.includes(`${hung.id}: no answer within 2500 ms; sending the request to another worker`)), log.join('\n'));
    } finally {
      healthy.child.kill('SIGKILL');
    }
  } finally {
    hung.child.kill('SIGKILL');
  }
});

test('given a request running on a worker, when every worker gets SIGINT, then the reply still arrives and each exits 0', async () => {
  const pending = controller.request('simulator', evaluate(9, 'sleep:1500'));
  await sleep(400); // taken by one of them by now
  for (const w of workers) w.child.kill('SIGINT');
  const reply = await within(pending, 10_000, 'the request in flight');
  assert.is(reply.scenarioId, 's9');
  const codes = await within(Promise.all(workers.map((w) => w.exited)), 10_000, 'the workers exiting');
  assert.equal(codes, [0, 0, 0], workers.map((w) => w.stderr()).join('\n'));
  for (const w of workers) assert.equal(w.events.map((e) => e.event), ['ready', 'draining', 'stopped']);
});

test.run();
