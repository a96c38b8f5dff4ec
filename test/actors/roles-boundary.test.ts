// The real role handlers behind both transports: a message that does not validate is refused at the
// boundary and never reaches a mind or the simulator, in-process and from a stranger on the NATS subject
// of a real `aurora worker --role simulator` process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, createInbox, headers, type Msg } from '@nats-io/transport-node';
import { createRoleHandler } from '../../actors/handlers.js';
import { evaluateRequest } from '../../actors/evaluate.js';
import { Role, type RequestOf } from '../../actors/protocol.js';
import { decodeMessage, encodeMessage } from '../../src/transport/codec.js';
import { InvalidMessageError } from '../../src/transport/errors.js';
import { InProcessTransport } from '../../src/transport/in-process.js';
import { NatsTransport } from '../../src/transport/nats/nats-transport.js';
import type { Handler } from '../../src/transport/port.js';
import { answer } from '../../src/transport/responder.js';
import { startNatsServer } from '../support/nats-process.js';
import { startWorker } from '../support/worker-process.js';
import { proposedScenario } from './self-play-fixtures.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const scenario = proposedScenario('s-1-0', 1, 31).scenario;
const evaluate: RequestOf<'simulator'> = {
  scenarioId: 's-1-0',
  scenario,
  policies: [{ policyId: 'b-best-fit', policy: { name: 'best-fit', explain: '', order: 'fifo', filter: 'true', score: '-node.free_cores_after' } }],
  slaTolerance: 0.05,
};

/** Requests a stranger might send, one per role, each wrong in one way. */
const strangers: { [R in Role]: unknown } = {
  attacker: { runId: 'r', iteration: 1, level: 11, domain: 'cloud', count: 1, seed: 1, search: null, context: null },
  defender: { runId: 'r', iteration: 1, scenarioId: 's', scenarioSummary: null, population: [], count: 1, seed: -1, search: null },
  simulator: { ...evaluate, scenario: { ...scenario, tasks: [{ ...scenario.tasks[0]!, cores: 'all' }] } },
};

test('given the real role handlers in-process, when a request that does not validate is sent to each role, then it is refused and no handler runs', async () => {
  const lines: string[] = [];
  const transport = new InProcessTransport({ log: (l) => lines.push(l) });
  const calls: Record<string, number> = { attacker: 0, defender: 0, simulator: 0 };
  for (const role of Role.options) {
    const handler = (await createRoleHandler(role)) as unknown as Handler<Role>;
    await transport.serve(role, async (r) => {
      calls[role]!++;
      return handler(r);
    });
  }
  try {
    for (const role of Role.options) {
      const err = await transport.request(role, strangers[role] as never).catch((e: unknown) => e);
      assert.instance(err, InvalidMessageError, role);
      assert.is((err as InvalidMessageError).direction, 'request');
    }
    assert.equal(calls, { attacker: 0, defender: 0, simulator: 0 });
    assert.is(lines.length, 3);
    // A valid request still goes through to the real simulator.
    const reply = await transport.request('simulator', evaluate);
    assert.equal(reply, evaluateRequest(evaluate));
    assert.is(calls.simulator, 1);
  } finally {
    await transport.close();
  }
});

test('given a request that slipped past the sender’s check, when it reaches the worker side, then the worker refuses it before the handler', async () => {
  for (const role of Role.options) {
    let called = false;
    const handler = (await createRoleHandler(role)) as unknown as Handler<Role>;
    const lines: string[] = [];
    const outcome = await answer(
      role,
      async (r) => {
        called = true;
        return handler(r);
      },
      () => strangers[role],
      (reply) => reply,
      { worker: 'w1', origin: 'stranger', log: (l) => lines.push(l) },
    );
    assert.is(outcome.status, 'invalid-request', role);
    assert.not.ok(called, role);
    assert.is(lines.length, 1);
    assert.match(lines[0]!, new RegExp(`${role} worker w1 refused a request from stranger`));
  }
});

test("given a real simulator worker process on NATS, when a stranger publishes messages that do not validate, then each is refused, logged, and the worker goes on serving", async () => {
  const server = await startNatsServer();
  const worker = await startWorker({ role: 'simulator', url: server.url });
  const nc = await connect({ servers: server.url });
  const controller = await NatsTransport.connect({ servers: server.url, credentials: { kind: 'none' }, log: () => {} });
  try {
    const ask = async (data: Uint8Array): Promise<Msg[]> => {
      const inbox = createInbox();
      const answers: Msg[] = [];
      const sub = nc.subscribe(inbox, { callback: (_err, msg) => void answers.push(msg) });
      nc.publish('aurora.rpc.simulator', data, { reply: inbox, headers: headers() });
      for (let i = 0; i < 500 && !answers.some((m) => m.headers?.get('Aurora-Status') !== 'accepted'); i++) await sleep(10);
      sub.unsubscribe();
      return answers;
    };
    for (const data of [new Uint8Array([0xc1, 0xc1, 0xc1]), encodeMessage(strangers.simulator), encodeMessage({ ...evaluate, policies: [] })]) {
      const answers = await ask(data);
      assert.equal(
        answers.map((m) => m.headers?.get('Aurora-Status')),
        ['accepted', 'invalid-request'],
      );
      assert.ok((decodeMessage(answers[1]!.data) as { issues: string[] }).issues.length > 0);
    }
    const reply = await controller.request('simulator', evaluate);
    assert.equal(reply, evaluateRequest(evaluate));
    const log = worker.stderr();
    assert.is(log.match(/refused a request/g)?.length, 3, log);
    assert.not.match(log, /handler failed/);
  } finally {
    await controller.close();
    await nc.close();
    worker.child.kill('SIGKILL');
    await worker.exited;
    await server.stop();
  }
});

test.run();
