// The LLM attacker end to end: its answers must build a scenario that validates and is solvable.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLlmAttacker } from '../../actors/minds/llm/attacker.js';
import { createOfflineAttacker } from '../../actors/minds/attacker/offline.js';
import { ScenariosProposed } from '../../actors/protocol.js';
import { validateScenario } from '../../sim/validate.js';
import { startScriptedServer, type Script } from './support/scripted-server.js';
import { IMPOSSIBLE_SCENARIO, OUT_OF_RANGE_SCENARIO, VALID_SCENARIO, json } from './support/answers.js';
import { attackerRequest, testPort } from './support/requests.js';

async function propose(script: Script, over: Parameters<typeof attackerRequest>[1] = {}) {
  const server = await startScriptedServer(script);
  try {
    const mind = createLlmAttacker(createOfflineAttacker(), { port: testPort() });
    const reply = ScenariosProposed.parse(await mind.proposeScenarios(attackerRequest(server.url, over)));
    return { reply, requests: server.requests };
  } finally {
    await server.close();
  }
}

test('given valid answers, when the LLM attacker proposes, then the scenarios validate, are at the level, and carry how to regenerate them', async () => {
  const { reply, requests } = await propose(() => ({ content: json(VALID_SCENARIO) }));
  assert.equal(reply.scenarios.map((s) => s.scenarioId), ['s-2-0', 's-2-1']);
  for (const s of reply.scenarios) {
    assert.is(s.author, 'attacker:llm:test-attacker');
    assert.ok(validateScenario(s.scenario).ok);
    assert.is(s.scenario.id, s.scenarioId);
    assert.is(s.scenario.domain, 'cloud');
    assert.is(s.scenario.level, 1);
    assert.is(s.scenario.tasks.length, 5);
    assert.is(s.scenario.nodes.length, 3);
    assert.is(s.scenario.description, VALID_SCENARIO.description);
    assert.match(s.rationale, /solvable: /);
    const g = s.generator as { params: { loadFactor: number }; promptVariant: string; operators: string[] };
    assert.is(g.params.loadFactor, 0.6);
    assert.is(g.promptVariant, 'attacker/v0');
  }
  assert.is(reply.rejected.length, 0);
  const user = requests[0]!.messages[1]!.content;
  assert.match(user, /Current difficulty level: 1\/10 \(basic\)/);
  assert.match(user, /Defender's recent performance: 40\.0 % of the last 10 scenarios solved/);
  assert.match(user, /Focus areas: node failures/);
  assert.match(user, /loadFactor \(number in \[0\.01, 3\]\)/);
  assert.is(requests[0]!.schemaName, 'aurora_scenario');
});

test('given knobs out of range, when proposed, then the repair message names them and a valid repair is accepted', async () => {
  const { reply, requests } = await propose((r) => ({ content: json(r.isRepair ? VALID_SCENARIO : OUT_OF_RANGE_SCENARIO) }), { count: 1 });
  assert.is(reply.scenarios[0]!.author, 'attacker:llm:test-attacker');
  const errors = requests.find((r) => r.isRepair)!.messages.at(-1)!.content;
  assert.match(errors, /generator\.loadFactor/);
  assert.match(errors, /generator\.arrival\.pattern/);
  assert.is(reply.rejected.length, 1);
  assert.match(reply.rejected[0]!.reason, /repaired/);
});

test('given an unsolvable scenario twice, when proposed, then it is rejected with the solvability evidence and the offline attacker writes it', async () => {
  const { reply, requests } = await propose(() => ({ content: json(IMPOSSIBLE_SCENARIO) }), { count: 1 });
  assert.is(requests.length, 2);
  assert.match(requests[1]!.messages.at(-1)!.content, /not solvable/);
  assert.is(reply.scenarios.length, 1);
  assert.is(reply.scenarios[0]!.scenarioId, 's-2-0');
  assert.is(reply.scenarios[0]!.scenario.id, 's-2-0');
  assert.is(reply.scenarios[0]!.author, 'attacker:offline');
  const llm = reply.rejected.filter((r) => r.author === 'attacker:llm:test-attacker');
  assert.is(llm.length, 1);
  assert.match(llm[0]!.errors.join('\n'), /not solvable/);
  assert.ok(llm[0]!.raw !== null);
});

test('given answers the model forces domain, level and sizes in, when proposed, then the curriculum still decides them', async () => {
  const answer = { ...VALID_SCENARIO, generator: { ...VALID_SCENARIO.generator, domain: 'edge', level: 10, tasks: 5000, nodes: 1 } };
  const { reply } = await propose(() => ({ content: json(answer) }), { count: 1 });
  const s = reply.scenarios[0]!.scenario;
  assert.is(reply.scenarios[0]!.author, 'attacker:llm:test-attacker');
  assert.is(s.domain, 'cloud');
  assert.is(s.level, 1);
  assert.is(s.tasks.length, 5);
});

test('given recorded calls (replay), when proposed again, then the scenarios are identical and no call is made', async () => {
  const live = await propose((r) => ({ content: json(r.isRepair ? VALID_SCENARIO : OUT_OF_RANGE_SCENARIO) }));
  const calls = Object.fromEntries(live.reply.llmCalls!.map((c) => [c.callId, c]));
  const replayed = await propose(() => assert.unreachable('no call in a replay') as never, { recorded: { calls, exclusive: true } });
  assert.is(replayed.requests.length, 0);
  assert.equal(replayed.reply, live.reply);
});

test.run();
