// How requests are spread over a role's workers: every answer says how much room the worker has and where
// to reach it alone (Aurora-Free, Aurora-Direct); a request a full worker declined waits at the requester
// and goes straight to the first worker that frees a place, with no back-off timer and no probing needed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, createInbox, headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import type { ReplyOf, RequestOf } from '../../actors/protocol.js';
import { decodeMessage, encodeMessage } from '../../src/transport/codec.js';
import { NatsTransport } from '../../src/transport/nats/nats-transport.js';
import { startNatsServer, type NatsServerProcess } from '../support/nats-process.js';
import { createRoleHandler } from './fixtures/handlers.js';
import { evaluate } from './fixtures/messages.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const none = { kind: 'none' } as const;
const simulate = createRoleHandler('simulator');

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))),
  ]);
}

/** Waits until `condition` holds (a guard against hanging, not a measure of speed). */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(10);
  }
}

/** A simulator handler that holds each request until the test lets it go; `entered` tells which it holds. */
function gatedHandler() {
  const gates = new Map<string, () => void>();
  const entered: string[] = [];
  const waiters: (() => void)[] = [];
  const handler = async (request: RequestOf<'simulator'>): Promise<ReplyOf<'simulator'>> => {
    await new Promise<void>((resolve) => {
      gates.set(request.scenarioId, resolve);
      entered.push(request.scenarioId);
      for (const wake of waiters.splice(0)) wake();
    });
    return simulate(request);
  };
  const holding = async (scenarioId: string) => {
    while (!gates.has(scenarioId)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const release = (scenarioId: string) => {
    gates.get(scenarioId)!();
    gates.delete(scenarioId);
  };
  const releaseIfHeld = (scenarioId: string) => {
    if (gates.has(scenarioId)) release(scenarioId);
  };
  return { handler, entered, holding, release, releaseIfHeld };
}

/** Publishes `data` on `subject` with a reply inbox and collects the answers until a final one. */
async function rawRequest(nc: NatsConnection, subject: string, data: Uint8Array): Promise<Msg[]> {
  const inbox = createInbox();
  const answers: Msg[] = [];
  const sub = nc.subscribe(inbox, { callback: (_err, msg) => void answers.push(msg) });
  const h = headers();
  h.set('Aurora-Protocol', '1');
  h.set('Aurora-Body', 'inline');
  nc.publish(subject, data, { reply: inbox, headers: h });
  for (let i = 0; i < 500 && !answers.some((m) => m.headers?.get('Aurora-Status') !== 'accepted'); i++) await sleep(10);
  sub.unsubscribe();
  return answers;
}

let server: NatsServerProcess;

test.before(async () => {
  server = await startNatsServer();
});

test.after(async () => {
  await server?.stop();
});

test('given a worker, when it answers, then each answer names its room and its direct subject, where it alone serves and checks requests', async () => {
  const worker = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  const nc = await connect({ servers: server.url });
  try {
    const served = await worker.serve('simulator', simulate, { concurrency: 1 });
    const answers = await rawRequest(nc, 'aurora.rpc.simulator', encodeMessage(evaluate(3)));
    assert.equal(
      answers.map((m) => [m.headers?.get('Aurora-Status'), m.headers?.get('Aurora-Worker'), m.headers?.get('Aurora-Free')]),
      [
        ['accepted', served.id, '0'], // it runs one at a time and now holds this one
        ['ok', served.id, '1'], // the place is free again when the reply leaves
      ],
    );
    const direct = answers[0]!.headers!.get('Aurora-Direct');
    assert.match(direct, /^_INBOX\.[A-Za-z0-9]+$/);
    assert.is(answers[1]!.headers!.get('Aurora-Direct'), direct);

    const straight = await rawRequest(nc, direct, encodeMessage(evaluate(4)));
    assert.equal(straight.map((m) => m.headers?.get('Aurora-Status')), ['accepted', 'ok']);
    assert.is((decodeMessage(straight[1]!.data) as ReplyOf<'simulator'>).scenarioId, 's4');

    const garbage = await rawRequest(nc, direct, encodeMessage({ scenarioId: 's', scenario: 'everything', policies: [] }));
    assert.equal(garbage.map((m) => m.headers?.get('Aurora-Status')), ['accepted', 'invalid-request']);
  } finally {
    await nc.close();
    await worker.close();
  }
});

test('given a full worker and no probing, when it frees its place, then the request it declined is sent straight to it', async () => {
  const gated = gatedHandler();
  const worker = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  // No probing and no re-sending within ten minutes: only the worker's own word that it has room can move
  // the waiting request.
  const controller = await NatsTransport.connect({
    servers: server.url,
    credentials: none,
    probeFirstMs: 600_000,
    probeMs: 600_000,
    resendMs: 600_000,
    log: () => {},
  });
  try {
    const served = await worker.serve('simulator', gated.handler, { concurrency: 1 });
    const first = controller.request('simulator', evaluate(1));
    await within(gated.holding('s1'), 10_000, 'the first request reaching the worker');
    // The second is declined as busy, or not sent at all once the worker is known to be full: it waits.
    const second = controller.request('simulator', evaluate(2));
    await sleep(100);
    assert.equal(gated.entered, ['s1'], 'the worker holds only the first');

    gated.release('s1');
    assert.is((await within(first, 10_000, 'the first request')).scenarioId, 's1');
    await within(gated.holding('s2'), 10_000, 'the second request reaching the freed worker');
    gated.release('s2');
    assert.is((await within(second, 10_000, 'the second request')).scenarioId, 's2');

    const stats = controller.stats();
    assert.is(stats.probes, 0, 'the queue group was not probed');
    assert.is(stats.directSends, 1, 'the second went straight to the worker');
    assert.equal(stats.answeredBy, { [served.id]: 2 });
  } finally {
    await controller.close();
    await worker.close();
  }
});

test('given a full worker and one not heard from yet, when a request waits, then a probe finds the idle one and the request goes straight to it', async () => {
  const gated = gatedHandler();
  const a = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  const controller = await NatsTransport.connect({ servers: server.url, credentials: none, probeMs: 20, resendMs: 600_000, log: () => {} });
  const b = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  try {
    const full = await a.serve('simulator', gated.handler);
    const first = controller.request('simulator', evaluate(1));
    await within(gated.holding('s1'), 10_000, 'the first request taken');
    await until(() => controller.knownWorkers('simulator').some((w) => w.id === full.id && w.free === 0), 10_000, 'the full worker known');
    const idle = await b.serve('simulator', simulate);
    // The requester knows only the full worker: the second waits, and probes carry no request.
    const second = await within(controller.request('simulator', evaluate(2)), 10_000, 'the second request');
    assert.is(second.scenarioId, 's2');
    const stats = controller.stats();
    assert.is(stats.answeredBy[idle.id], 1, 'the idle worker answered it');
    assert.ok(stats.probes >= 1, 'found by a probe');
    assert.equal(gated.entered, ['s1'], 'the full worker never held the second');
    assert.is(a.stats().accepted, 1, 'a probe is not a request');
    gated.release('s1');
    assert.is((await within(first, 10_000, 'the first request')).scenarioId, 's1');
  } finally {
    await controller.close();
    await Promise.all([a.close(), b.close()]);
  }
});

test('given a known worker that is full and workers not heard from yet, when a request waits, then a probe goes soon, not after probeMs, and finds an idle one', async () => {
  const gated = gatedHandler();
  const a = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  const others = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  // Probing at most every ten minutes: only the first, quick probes can find the idle workers in time.
  const controller = await NatsTransport.connect({ servers: server.url, credentials: none, probeMs: 600_000, resendMs: 600_000, log: () => {} });
  try {
    const full = await a.serve('simulator', gated.handler);
    const warm = controller.request('simulator', evaluate(1));
    await within(gated.holding('s1'), 10_000, 'the first request taken');
    gated.release('s1');
    await within(warm, 10_000, 'the first request');
    // The requester knows only `full`, with room; three idle workers join that it has not heard from.
    const idle = await Promise.all([1, 2, 3].map(() => others.serve('simulator', simulate)));
    const held = controller.request('simulator', evaluate(2));
    held.catch(() => {}); // awaited below; if the test fails first, closing the controller rejects it
    await within(gated.holding('s2'), 10_000, 'the second request taken by the known worker');
    // `full` holds s2: s3 waits in line until a probe of the queue group finds one of the idle workers
    // (each probe reaches `full` with one chance in four, and it has no room).
    const third = await within(controller.request('simulator', evaluate(3)), 10_000, 'the waiting request');
    assert.is(third.scenarioId, 's3');
    const stats = controller.stats();
    assert.ok(stats.probes >= 1, 'found by a probe');
    assert.is(idle.filter((w) => stats.answeredBy[w.id] === 1).length, 1, `one idle worker answered it: ${JSON.stringify(stats.answeredBy)}`);
    assert.equal(gated.entered, ['s1', 's2'], 'the full worker never held the third');
    gated.release('s2');
    assert.is((await within(held, 10_000, 'the second request')).scenarioId, 's2');
    assert.is(stats.answeredBy[full.id], 1);
  } finally {
    gated.releaseIfHeld('s2'); // or closing `a` would wait for it forever
    await controller.close();
    await Promise.all([a.close(), others.close()]);
  }
});

test('given two workers that each took a request and a third request waiting, when either frees its place, then the third goes there', async () => {
  const gated = gatedHandler();
  const a = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  const b = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  const controller = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  try {
    const served = [await a.serve('simulator', gated.handler), await b.serve('simulator', gated.handler)];
    const pending = [1, 2, 3].map((n) => controller.request('simulator', evaluate(n)));
    // Two are taken, one by each worker (each runs one at a time); the third waits for a place.
    await until(() => gated.entered.length >= 2, 10_000, 'two requests taken');
    await sleep(50);
    assert.is(gated.entered.length, 2, `only two are running: ${gated.entered.join(', ')}`);
    const [held, other] = gated.entered as [string, string];
    const waiting = ['s1', 's2', 's3'].find((s) => s !== held && s !== other)!;

    gated.release(held);
    await within(gated.holding(waiting), 10_000, 'the waiting request taken by the freed worker');
    gated.release(other);
    gated.release(waiting);
    const replies = await within(Promise.all(pending), 10_000, 'every request');
    assert.equal(replies.map((r) => r.scenarioId), ['s1', 's2', 's3']);
    const answeredBy = controller.stats().answeredBy;
    assert.equal(
      served.map((s) => answeredBy[s.id] ?? 0).sort(),
      [1, 2],
      `one worker answered two (the one freed first), the other one: ${JSON.stringify(answeredBy)}`,
    );
  } finally {
    await controller.close();
    await Promise.all([a.close(), b.close()]);
  }
});

test.run();
