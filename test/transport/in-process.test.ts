import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ReplyOf, RequestOf } from '../../actors/protocol.js';
import { encodeMessage } from '../../src/transport/codec.js';
import { InvalidMessageError, NoHandlerError, RemoteError, RequestTimeoutError } from '../../src/transport/errors.js';
import { InProcessTransport } from '../../src/transport/in-process.js';
import type { Handler } from '../../src/transport/port.js';
import { createRoleHandler } from './fixtures/handlers.js';
import { evaluate, proposePolicies } from './fixtures/messages.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recording() {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line) };
}

test('given a served simulator, when the controller asks it, then the reply comes back validated, with schema defaults filled in', async () => {
  const t = new InProcessTransport({ log: () => {} });
  let seen: RequestOf<'simulator'> | undefined;
  await t.serve('simulator', async (request) => {
    seen = request;
    return createRoleHandler('simulator')(request);
  });
  const request = evaluate(3);
  const reply = await t.request('simulator', request);
  assert.is(reply.scenarioId, 's3');
  assert.is(reply.results[0]!.metrics.tasks, 3);
  assert.is(seen!.scenario.tasks[0]!.priority, 3, 'the worker sees the parsed request (defaults applied)');
  assert.is.not(seen!.scenario, request.scenario, 'nothing is shared by reference');
  await t.close();
});

test('given a request, when it round-trips in-process, then handler and requester see exactly the canonical bytes', async () => {
  const t = new InProcessTransport({ log: () => {} });
  let seenBytes: Uint8Array | undefined;
  await t.serve('defender', async (request) => {
    seenBytes = encodeMessage(request);
    return createRoleHandler('defender')(request);
  });
  const request = proposePolicies(2);
  const reply = await t.request('defender', request);
  assert.equal(seenBytes, encodeMessage(request));
  assert.equal(encodeMessage(reply), encodeMessage(await createRoleHandler('defender')(request)));
  await t.close();
});

test('given a malformed request, when it is sent, then it is refused before any handler runs, with a typed error and one log line', async () => {
  const { lines, log } = recording();
  const t = new InProcessTransport({ log });
  let calls = 0;
  await t.serve('simulator', async (r) => {
    calls++;
    return createRoleHandler('simulator')(r);
  });
  const bad = { ...evaluate(2), slaTolerance: Number.NaN, policies: [] } as unknown as RequestOf<'simulator'>;
  const err = await t.request('simulator', bad).catch((e: unknown) => e);
  assert.instance(err, InvalidMessageError);
  assert.is((err as InvalidMessageError).side, 'requester');
  assert.is((err as InvalidMessageError).direction, 'request');
  assert.ok((err as InvalidMessageError).issues.some((i) => i.startsWith('policies')), (err as Error).message);
  assert.is(calls, 0);
  assert.is(lines.length, 1);
  assert.match(lines[0]!, /refused to send a simulator request/);
  await t.close();
});

test('given a handler that answers something invalid, when asked, then the worker refuses its reply and the requester gets InvalidMessageError', async () => {
  const { lines, log } = recording();
  const t = new InProcessTransport({ log });
  await t.serve('simulator', createRoleHandler('simulator'));
  const err = await t.request('simulator', evaluate(2, 'bad-reply')).catch((e: unknown) => e);
  assert.instance(err, InvalidMessageError);
  assert.is((err as InvalidMessageError).side, 'worker');
  assert.is((err as InvalidMessageError).direction, 'reply');
  assert.match((err as Error).message, /results\[0\]\.reward/);
  assert.is(lines.length, 1);
  assert.match(lines[0]!, /refused its handler's reply/);
  await t.close();
});

test('given a handler that throws, when asked, then the requester gets a RemoteError carrying its message and no retry happens', async () => {
  const t = new InProcessTransport({ log: () => {} });
  let calls = 0;
  await t.serve('simulator', async (r) => {
    calls++;
    return createRoleHandler('simulator')(r);
  });
  const err = await t.request('simulator', evaluate(1, 'throw'), { retries: 3 }).catch((e: unknown) => e);
  assert.instance(err, RemoteError);
  assert.match((err as Error).message, /fixture failure on purpose/);
  assert.is(calls, 1);
  await t.close();
});

test('given three handlers of a role, when six requests come one after another, then they take turns', async () => {
  const t = new InProcessTransport({ log: () => {} });
  const served: string[] = [];
  for (const name of ['a', 'b', 'c']) {
    await t.serve('defender', async (r) => {
      served.push(name);
      return createRoleHandler('defender')(r);
    });
  }
  for (let i = 0; i < 6; i++) await t.request('defender', proposePolicies(1, i));
  assert.equal(served, ['a', 'b', 'c', 'a', 'b', 'c']);
  await t.close();
});

test('given a handler with concurrency 2, when ten requests arrive at once, then at most two run together and all are answered', async () => {
  const t = new InProcessTransport({ log: () => {} });
  let running = 0;
  let most = 0;
  await t.serve(
    'simulator',
    async (r) => {
      running++;
      most = Math.max(most, running);
      await sleep(5);
      running--;
      return createRoleHandler('simulator')(r);
    },
    { concurrency: 2 },
  );
  const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => t.request('simulator', evaluate(i + 1))));
  assert.is(most, 2);
  assert.equal(
    replies.map((r) => r.scenarioId),
    Array.from({ length: 10 }, (_, i) => `s${i + 1}`),
  );
  await t.close();
});

test('given one handler that hangs, when a request times out on it, then it is retried on another handler and answered', async () => {
  const { lines, log } = recording();
  const t = new InProcessTransport({ log });
  const hang: Handler<'simulator'> = () => new Promise(() => {});
  const hung = await t.serve('simulator', hang);
  const healthy = await t.serve('simulator', createRoleHandler('simulator'));
  const reply = await t.request('simulator', evaluate(4), { timeoutMs: 50, retries: 1 });
  assert.is(reply.results[0]!.metrics.tasks, 4);
  assert.is(lines.length, 1);
  assert.match(lines[0]!, new RegExp(`${hung.id} took over 50 ms; retrying on another`));
  await healthy.drain();
});

test('given only hanging handlers, when every attempt times out, then the requester gets RequestTimeoutError naming them', async () => {
  const t = new InProcessTransport({ log: () => {} });
  const a = await t.serve('attacker', () => new Promise(() => {}));
  const b = await t.serve('attacker', () => new Promise(() => {}));
  const err = await t
    .request('attacker', { runId: 'r', iteration: 0, level: 1, domain: 'cloud', count: 1, seed: 1, search: null, context: null }, { timeoutMs: 20, retries: 1 })
    .catch((e: unknown) => e);
  assert.instance(err, RequestTimeoutError);
  assert.is((err as RequestTimeoutError).attempts, 2);
  assert.equal([...(err as RequestTimeoutError).workers].sort(), [a.id, b.id].sort());
});

test('given a request in flight, when its handler is drained, then the request is still answered and later ones find no handler', async () => {
  const t = new InProcessTransport({ log: () => {} });
  const served = await t.serve('simulator', createRoleHandler('simulator'));
  const inFlight = t.request('simulator', evaluate(2, 'sleep:30'));
  await sleep(5);
  await served.drain();
  const reply: ReplyOf<'simulator'> = await inFlight;
  assert.is(reply.scenarioId, 's2');
  const err = await t.request('simulator', evaluate(1)).catch((e: unknown) => e);
  assert.instance(err, NoHandlerError);
  await t.close();
});

test.run();
