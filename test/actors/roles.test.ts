// The role machines around their minds (actors/attacker.ts, defender.ts, simulator.ts over
// actors/machines/role-machine.ts): a mind that throws or answers badly falls back when a fallback is
// given, and the rejection travels in the reply; without one the request fails cleanly; the simulator
// turns a policy that does not compile or faults into a recorded failure, never a crash.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { attackerHandler } from '../../actors/attacker.js';
import { defenderHandler } from '../../actors/defender.js';
import { simulatorHandler } from '../../actors/simulator.js';
import { FAILED_REWARD } from '../../actors/evaluate.js';
import { createOfflineAttacker } from '../../actors/minds/attacker/offline.js';
import { createOfflineDefender } from '../../actors/minds/defender/offline.js';
import type { AttackerMind, DefenderMind } from '../../actors/minds/ports.js';
import type { ReplyOf, RequestOf } from '../../actors/protocol.js';
import { summarizeScenario } from '../../actors/scenario-summary.js';
import { baselines } from '../../sim/baselines/index.js';
import { RemoteError } from '../../src/transport/errors.js';
import { InProcessTransport } from '../../src/transport/in-process.js';
import { proposedScenario } from './self-play-fixtures.js';

const scenario = proposedScenario('s-1-0', 1, 21);

const attackerRequest: RequestOf<'attacker'> = {
  runId: 'r',
  iteration: 1,
  level: 1,
  domain: 'cloud',
  count: 2,
  seed: 5,
  search: null,
  context: { referenceBaselines: ['first-fit', 'best-fit'], slaTolerance: 0.05, tasks: 5, nodes: 3, incumbents: [] },
};

const defenderRequest: RequestOf<'defender'> = {
  runId: 'r',
  iteration: 1,
  scenarioId: 's-1-0',
  scenarioSummary: summarizeScenario(scenario.scenario) as never,
  population: ['best-fit', 'first-fit', 'worst-fit'].map((name, i) => ({ policyId: `b-${name}`, policy: baselines[name]!, rating: 1500 + 10 * i, evaluations: 3 })),
  count: 2,
  seed: 9,
  search: null,
};

const throwing = <M extends AttackerMind | DefenderMind>(name: string, message: string): M =>
  ({
    name,
    proposeScenarios: async () => {
      throw new Error(message);
    },
    proposePolicies: async () => {
      throw new Error(message);
    },
  }) as unknown as M;

const answering = <M extends AttackerMind | DefenderMind>(name: string, reply: unknown): M =>
  ({ name, proposeScenarios: async () => reply, proposePolicies: async () => reply }) as unknown as M;

test('given a defender mind that throws and an offline fallback, when asked, then the fallback answers and the failure is in the reply', async () => {
  const offline = createOfflineDefender();
  const reply = await defenderHandler(throwing<DefenderMind>('defender:llm:test', 'model unavailable'), offline)(defenderRequest);
  const direct = await offline.proposePolicies(defenderRequest);
  assert.equal(reply.policies, direct.policies);
  assert.is(reply.policies.length, 2);
  assert.equal(reply.rejected.at(-1), { author: 'defender:llm:test', reason: 'fell back to defender:offline', errors: ['model unavailable'], raw: null });
});

test('given an attacker mind that throws and an offline fallback, when asked, then the fallback answers and the failure is in the reply', async () => {
  const offline = createOfflineAttacker();
  const reply = await attackerHandler(throwing<AttackerMind>('attacker:llm:test', 'rate limited'), offline)(attackerRequest);
  const direct = await offline.proposeScenarios(attackerRequest);
  assert.equal(
    reply.scenarios.map((s) => s.scenarioId),
    direct.scenarios.map((s) => s.scenarioId),
  );
  assert.is(reply.scenarios.length, 2);
  assert.equal(reply.rejected.at(-1), { author: 'attacker:llm:test', reason: 'fell back to attacker:offline', errors: ['rate limited'], raw: null });
});

test('given a mind whose answer fails the schema, when a fallback is given, then the fallback answers and the schema problem is recorded', async () => {
  const bad = { policies: [{ policyId: 'p-x', policy: { name: 'x' }, parents: [], operator: 'llm', rationale: '', author: 'defender:llm:test' }], rejected: [] };
  const reply = await defenderHandler(answering<DefenderMind>('defender:llm:test', bad), createOfflineDefender())(defenderRequest);
  assert.is(reply.policies.length, 2);
  assert.ok(reply.policies.every((p) => p.author === 'defender:offline'));
  const rejection = reply.rejected.at(-1)!;
  assert.is(rejection.author, 'defender:llm:test');
  assert.match(rejection.errors.join(' '), /score/);

  const badScenarios = { scenarios: [{ scenarioId: 's', scenario: { id: 's', tasks: 'many' }, generator: null, rationale: '', author: 'a' }], rejected: [] };
  const attacked = await attackerHandler(answering<AttackerMind>('attacker:llm:test', badScenarios), createOfflineAttacker())(attackerRequest);
  assert.is(attacked.scenarios.length, 2);
  assert.match(attacked.rejected.at(-1)!.errors.join(' '), /scenario/);
});

test('given a mind that throws or answers badly and no fallback, when asked, then the request fails with the reason and no answer', async () => {
  const thrown = await defenderHandler(throwing<DefenderMind>('defender:llm:test', 'model unavailable'))(defenderRequest).catch((e: Error) => e);
  assert.instance(thrown, Error);
  assert.match((thrown as Error).message, /model unavailable/);
  const invalid = await attackerHandler(answering<AttackerMind>('attacker:llm:test', { scenarios: 'none', rejected: [] }))(attackerRequest).catch((e: Error) => e);
  assert.instance(invalid, Error);
  assert.match((invalid as Error).message, /scenarios/);
});

test('given a fallback that fails too, when asked, then the request fails once with the fallback’s reason', async () => {
  let calls = 0;
  const second: DefenderMind = {
    name: 'defender:second',
    proposePolicies: async () => {
      calls++;
      throw new Error('second mind down');
    },
  };
  const err = await defenderHandler(throwing<DefenderMind>('defender:first', 'first mind down'), second)(defenderRequest).catch((e: Error) => e);
  assert.match((err as Error).message, /second mind down/);
  assert.is(calls, 1);
});

test('given a role whose mind fails, when asked through the transport, then the requester gets a RemoteError and a retry is never attempted', async () => {
  const transport = new InProcessTransport({ log: () => {} });
  let calls = 0;
  const handler = defenderHandler(throwing<DefenderMind>('defender:llm:test', 'model unavailable'));
  await transport.serve('defender', async (r) => {
    calls++;
    return handler(r);
  });
  try {
    const err = await transport.request('defender', defenderRequest, { retries: 2 }).catch((e: unknown) => e);
    assert.instance(err, RemoteError);
    assert.match((err as Error).message, /model unavailable/);
    assert.is(calls, 1);
  } finally {
    await transport.close();
  }
});

test('given policies that do not compile or fault, when the simulator evaluates them, then each is a recorded failure and the rest are scored as usual', async () => {
  const policies = [
    { policyId: 'p-ok', policy: { name: 'ok', explain: '', order: 'fifo' as const, filter: 'true', score: '-node.index' } },
    { policyId: 'p-syntax', policy: { name: 'syntax', explain: '', order: 'fifo' as const, filter: 'true', score: 'node.free_cores +' } },
    { policyId: 'p-unknown', policy: { name: 'unknown', explain: '', order: 'fifo' as const, filter: 'true', score: 'node.warp_drive * 2' } },
    { policyId: 'p-div', policy: { name: 'div', explain: '', order: 'fifo' as const, filter: 'true', score: '1 / (node.free_cores - node.free_cores)' } },
  ];
  const request: RequestOf<'simulator'> = { scenarioId: 's-1-0', scenario: scenario.scenario, policies, slaTolerance: 0.05 };
  const reply = await simulatorHandler()(request);
  const by = Object.fromEntries(reply.results.map((r) => [r.policyId, r])) as Record<string, ReplyOf<'simulator'>['results'][number]>;
  assert.equal(
    reply.results.map((r) => r.policyId),
    ['p-div', 'p-ok', 'p-syntax', 'p-unknown'],
  );
  assert.is(by['p-ok']!.failure, null);
  for (const id of ['p-syntax', 'p-unknown']) {
    assert.match(by[id]!.failure ?? '', /^does not compile: score: /);
    assert.is(by[id]!.reward, FAILED_REWARD);
    assert.is(by[id]!.metrics.dropped, scenario.scenario.tasks.length);
  }
  assert.match(by['p-div']!.failure ?? '', /division by zero/);
  // The good policy scores what it scores alone: the failures around it change nothing.
  const alone = await simulatorHandler()({ ...request, policies: [policies[0]!] });
  assert.equal(by['p-ok'], alone.results[0]);
});

test.run();
