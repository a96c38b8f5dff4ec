import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeChecked, encodeChecked } from '../../src/transport/boundary.js';
import { encodeMessage } from '../../src/transport/codec.js';
import { answer } from '../../src/transport/responder.js';
import { createRoleHandler } from './fixtures/handlers.js';
import { evaluate } from './fixtures/messages.js';

function harness() {
  const lines: string[] = [];
  let calls = 0;
  const simulate = createRoleHandler('simulator');
  const handler = async (r: Parameters<typeof simulate>[0]) => {
    calls++;
    return simulate(r);
  };
  const respond = (bytes: Uint8Array) =>
    answer('simulator', handler, () => decodeChecked('simulator', 'request', bytes, 'worker'), (reply) => encodeChecked('simulator', 'reply', reply, 'worker'), {
      worker: 'w1',
      origin: 'a stranger',
      log: (line) => lines.push(line),
    });
  return { lines, respond, calls: () => calls };
}

test('given bytes that are not MessagePack, when a worker receives them, then it refuses them, logs one line, and never runs the handler', async () => {
  const h = harness();
  const outcome = await h.respond(new Uint8Array([0xc1, 0xff, 0x00]));
  assert.is(outcome.status, 'invalid-request');
  assert.is(h.calls(), 0);
  assert.is(h.lines.length, 1);
  assert.match(h.lines[0]!, /simulator worker w1 refused a request from a stranger: .*not MessagePack/);
});

test("given a stranger's well-formed MessagePack that is not an Evaluate request, when a worker receives it, then it names the problems and does not act", async () => {
  const h = harness();
  const outcome = await h.respond(encodeMessage({ scenarioId: '', policies: 'all of them', rm: '-rf /' }));
  assert.is(outcome.status, 'invalid-request');
  if (outcome.status === 'ok') return;
  assert.ok(outcome.issues.some((i) => i.startsWith('scenario')), outcome.issues.join('\n'));
  assert.ok(outcome.issues.some((i) => i.includes('rm')), 'unknown keys are refused (strict schemas)');
  assert.is(h.calls(), 0);
  assert.is(h.lines.length, 1);
});

test('given a valid request, when a worker receives it, then the handler runs once and the reply is encoded', async () => {
  const h = harness();
  const outcome = await h.respond(encodeMessage(evaluate(5)));
  assert.is(outcome.status, 'ok');
  assert.is(h.calls(), 1);
  assert.is(h.lines.length, 0);
});

test.run();
