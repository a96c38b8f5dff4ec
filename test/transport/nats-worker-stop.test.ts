// `aurora worker` told to stop (SIGTERM) while its NATS server is down: it finishes what it took and exits
// in bounded time, saying in one line that the server could not be reached (exit 1); if the server is back
// before the request is done, the reply is handed over and it exits 0 as usual.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NatsTransport } from '../../src/transport/nats/nats-transport.js';
import { startNatsServer } from '../support/nats-process.js';
import { startWorker, type WorkerProcess } from '../support/worker-process.js';
import { evaluate } from './fixtures/messages.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Guards against hanging (the bug was a worker that never exited), not a measure of speed. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))),
  ]);
}

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(20);
  }
}

const unreachableLines = (w: WorkerProcess) => w.stderr().split('\n').filter((l) => l.startsWith('aurora worker:'));

test('given a worker running a request, when the server is killed and the worker gets SIGTERM, then it says the server is unreachable in one line and exits 1', async () => {
  const server = await startNatsServer({ jetstream: true });
  const worker = await startWorker({ role: 'simulator', url: server.url, fixtures: true });
  const controller = await NatsTransport.connect({ servers: server.url, credentials: { kind: 'none' }, log: () => {} });
  try {
    const pending = controller.request('simulator', evaluate(1, 'sleep:1500'), { timeoutMs: 60_000 });
    pending.catch(() => {}); // it is lost with the server; closing the controller ends it
    await until(() => controller.knownWorkers('simulator').some((w) => w.id === worker.id), 10_000, 'the worker taking the request');
    await server.kill9();
    worker.child.kill('SIGTERM');
    const code = await within(worker.exited, 20_000, 'the worker exiting');
    assert.is(code, 1, worker.stderr());
    assert.equal(worker.events.map((e) => e.event), ['ready', 'draining', 'stopped']);
    assert.is(worker.events.at(-1)!.handedOver, false);
    const lines = unreachableLines(worker);
    assert.is(lines.length, 1, worker.stderr());
    assert.match(lines[0]!, `aurora worker: SIGTERM: the NATS server at ${server.url} could not be reached`);
    // The same holds in this process: closing without the server ends the client's reconnect loop.
    await within(controller.close(), 20_000, 'closing the controller');
    assert.ok(controller.connection.isClosed(), 'the connection is closed, so nothing keeps the process alive');
  } finally {
    await controller.close();
    worker.child.kill('SIGKILL');
    await server.stop();
  }
});

test('given a worker running a request, when the server is killed, the worker gets SIGTERM and the server comes back, then the reply arrives and the worker exits 0', async () => {
  const server = await startNatsServer({ jetstream: true });
  const worker = await startWorker({ role: 'simulator', url: server.url, fixtures: true });
  const controller = await NatsTransport.connect({ servers: server.url, credentials: { kind: 'none' }, log: () => {} });
  try {
    // Long enough for the server to restart and both ends to reconnect before the reply is written.
    const pending = controller.request('simulator', evaluate(2, 'sleep:5000'), { timeoutMs: 60_000 });
    await until(() => controller.knownWorkers('simulator').some((w) => w.id === worker.id), 10_000, 'the worker taking the request');
    await server.kill9();
    worker.child.kill('SIGTERM');
    await server.restart();
    assert.is((await within(pending, 20_000, 'the reply')).scenarioId, 's2');
    assert.is(await within(worker.exited, 20_000, 'the worker exiting'), 0, worker.stderr());
    assert.equal(worker.events.map((e) => e.event), ['ready', 'draining', 'stopped']);
    assert.is(worker.events.at(-1)!.handedOver, true);
    assert.equal(unreachableLines(worker), [], worker.stderr());
    assert.equal(controller.stats().answeredBy, { [worker.id]: 1 });
  } finally {
    await controller.close();
    worker.child.kill('SIGKILL');
    await server.stop();
  }
});

test.run();
