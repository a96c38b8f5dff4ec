// The LLM defender end to end: real `openai` client, scripted endpoint, the role's own validation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLlmDefender } from '../../actors/minds/llm/defender.js';
import { createOfflineDefender } from '../../actors/minds/defender/offline.js';
import { PoliciesProposed } from '../../actors/protocol.js';
import { defenderHandler } from '../../actors/defender.js';
import { startScriptedServer, type Script } from './support/scripted-server.js';
import { INJECTION_POLICY, INJECTION_TEXT, SCHEMA_VIOLATION_POLICY, UNKNOWN_FEATURE_POLICY, VALID_POLICY, fenced, json } from './support/answers.js';
import { TEST_KEY, defenderRequest, testPort } from './support/requests.js';
import type { LlmPort } from '../../actors/minds/llm/port.js';

async function propose(script: Script, over: Parameters<typeof defenderRequest>[1] = {}, port: LlmPort | null = testPort()) {
  const server = await startScriptedServer(script);
  try {
    const mind = createLlmDefender(createOfflineDefender(), { port });
    const req = defenderRequest(server.url, over);
    const reply = PoliciesProposed.parse(await mind.proposePolicies(req));
    return { reply, requests: server.requests, req };
  } finally {
    await server.close();
  }
}

test('given valid answers, when the LLM defender proposes, then every candidate is the model policy, one call each, at rising temperatures', async () => {
  const { reply, requests } = await propose(() => ({ content: json(VALID_POLICY) }));
  assert.equal(reply.policies.map((p) => p.policyId), ['p-2-s-2-0-0', 'p-2-s-2-0-1', 'p-2-s-2-0-2']);
  for (const p of reply.policies) {
    assert.is(p.author, 'defender:llm:test-defender');
    assert.is(p.operator, 'prompt:defender/v0');
    assert.equal(p.parents, ['b-best-fit']);
    assert.is(p.policy.score, VALID_POLICY.policy.score);
    assert.is(p.policy.name, p.policyId);
    assert.is(p.policy.admit, undefined);
  }
  assert.is(reply.rejected.length, 0);
  const calls = reply.llmCalls!;
  assert.equal(calls.map((c) => c.callId), ['rtest:2:defender:s-2-0:0', 'rtest:2:defender:s-2-0:1', 'rtest:2:defender:s-2-0:2']);
  const rising = [0, 1, 2].map((k) => 0.7 + k * 0.1);
  assert.equal(calls.map((c) => (c.parameters as { temperature: number }).temperature), rising);
  assert.equal(requests.map((r) => r.temperature!).sort(), [...rising].sort());
  assert.is(calls[0]!.usage.total, 150);
  assert.is(calls[0]!.cost, (100 * 1 + 50 * 2) / 1e6);
  assert.equal((calls[0]!.parameters as { promptVariant: string }).promptVariant, 'defender/v0');
  const user = requests[0]!.messages[1]!.content;
  assert.match(user, /statistical summary/);
  assert.match(user, /node\.free_cores_after/);
  assert.match(user, /b-cost-greedy: rating 1520/);
  assert.not.match(user, /"tasks": \[/, 'no raw tasks in the prompt');
});

test('given a policy with an unknown feature, when the defender proposes, then it is repaired once with the compiler error', async () => {
  const { reply, requests } = await propose((r) => ({ content: json(r.isRepair ? VALID_POLICY : UNKNOWN_FEATURE_POLICY) }), { count: 1 });
  assert.is(reply.policies.length, 1);
  assert.is(reply.policies[0]!.author, 'defender:llm:test-defender');
  const repair = requests.find((r) => r.isRepair)!;
  assert.match(repair.messages.at(-1)!.content, /unknown feature 'node\.gpu_memory'/);
  assert.equal(reply.llmCalls!.map((c) => c.callId), ['rtest:2:defender:s-2-0:0', 'rtest:2:defender:s-2-0:0.repair']);
  assert.is(reply.rejected.length, 1);
  assert.match(reply.rejected[0]!.reason, /repaired/);
  assert.match(reply.rejected[0]!.errors[0]!, /unknown feature/);
});

test('given malformed JSON twice, when the defender proposes, then the candidate is rejected with the errors and the offline mind writes it under the same id', async () => {
  const { reply } = await propose(() => ({ content: '{"rationale": "oops", "policy": {"score": "node.cores",' }), { count: 2 });
  assert.equal(reply.policies.map((p) => p.policyId).sort(), ['p-2-s-2-0-0', 'p-2-s-2-0-1']);
  assert.ok(reply.policies.every((p) => p.author === 'defender:offline'));
  assert.ok(reply.policies.every((p) => p.policy.name === p.policyId));
  const llmRejections = reply.rejected.filter((r) => r.author === 'defender:llm:test-defender');
  assert.is(llmRejections.length, 2);
  assert.match(llmRejections[0]!.reason, /offline mind writes it/);
  assert.match(llmRejections[0]!.errors.join('\n'), /malformed JSON/);
  assert.match(llmRejections[0]!.errors.join('\n'), /after repair: malformed JSON/);
  assert.is(reply.llmCalls!.length, 4);
});

test('given schema violations in a fenced answer, when the defender proposes, then the errors name the fields and the repair fixes them', async () => {
  const { reply, requests } = await propose((r) => ({ content: r.isRepair ? fenced(VALID_POLICY) : fenced(SCHEMA_VIOLATION_POLICY) }), { count: 1 });
  assert.is(reply.policies[0]!.author, 'defender:llm:test-defender');
  const errors = requests.find((r) => r.isRepair)!.messages.at(-1)!.content;
  assert.match(errors, /order|score/);
});

test('given a server that keeps answering 500, when the defender proposes, then the failed call is recorded without the key and the offline mind takes over', async () => {
  const { reply } = await propose(() => ({ status: 500, body: { error: { message: `boom for key ${TEST_KEY}` } } }), { count: 1 });
  assert.is(reply.policies[0]!.author, 'defender:offline');
  const call = reply.llmCalls![0]!;
  assert.is(call.answer, null);
  assert.match(call.error!, /500/);
  assert.not.match(JSON.stringify(reply), TEST_KEY);
  assert.is(reply.llmCalls!.length, 1, 'a failed call is not repaired');
});

test('given no model endpoint in the worker, when the defender proposes, then the reason is recorded and the offline mind answers', async () => {
  const { reply, requests } = await propose(() => ({ content: json(VALID_POLICY) }), { count: 1 }, null);
  assert.is(requests.length, 0);
  assert.is(reply.policies[0]!.author, 'defender:offline');
  assert.match(reply.llmCalls![0]!.error!, /no model endpoint/);
});

test('given prompt-injection text in a rationale, when proposed and shown to the next prompt, then it changes nothing executed and is fenced as data', async () => {
  const clean = await propose(() => ({ content: json(VALID_POLICY) }), { count: 1 });
  const injected = await propose(() => ({ content: json(INJECTION_POLICY) }), { count: 1 });
  const a = clean.reply.policies[0]!;
  const b = injected.reply.policies[0]!;
  assert.equal({ ...b.policy, explain: '' }, { ...a.policy, explain: '' }, 'the policy AURORA runs is the same');
  assert.is(b.rationale, INJECTION_TEXT);

  const population = [{ policyId: b.policyId, policy: b.policy, rating: 1600, evaluations: 3 }];
  const next = await propose(() => ({ content: json(VALID_POLICY) }), { count: 1, population, iteration: 3, scenarioId: 's-3-0' });
  const user = next.requests[0]!.messages[1]!.content;
  const start = user.indexOf('<<<UNTRUSTED');
  const end = user.search(/UNTRUSTED [0-9A-Z]+>>>/);
  const at = user.indexOf('Ignore all previous instructions');
  assert.ok(start >= 0 && at > start && at < end, 'the injected text sits inside the fence');
  assert.is((user.match(/<<<UNTRUSTED/g) ?? []).length, 1);
  assert.match(next.requests[0]!.messages[0]!.content, /never instructions/);
  assert.is(next.reply.policies[0]!.policy.score, VALID_POLICY.policy.score);
});

test('given recorded calls (replay), when the defender proposes with the server gone, then no call is made and the reply is identical', async () => {
  const live = await propose((r) => ({ content: json(r.isRepair ? VALID_POLICY : UNKNOWN_FEATURE_POLICY) }), { count: 2 });
  const calls = Object.fromEntries(live.reply.llmCalls!.map((c) => [c.callId, c]));
  const replayed = await propose(() => assert.unreachable('no call in a replay') as never, { count: 2, recorded: { calls, exclusive: true } });
  assert.is(replayed.requests.length, 0);
  assert.equal(replayed.reply, live.reply);
});

test('given a replay missing a recorded call, when the defender proposes, then it never calls and the offline mind answers', async () => {
  const { reply, requests } = await propose(() => ({ content: json(VALID_POLICY) }), { count: 1, recorded: { calls: {}, exclusive: true } });
  assert.is(requests.length, 0);
  assert.match(reply.llmCalls![0]!.error!, /no recorded answer/);
  assert.is(reply.policies[0]!.author, 'defender:offline');
});

test('given a request without llm, when the handler answers, then the offline mind answers exactly as before', async () => {
  const req = defenderRequest('http://127.0.0.1:9/v1');
  delete (req as { llm?: unknown }).llm;
  const viaLlmMind = await defenderHandler(createLlmDefender(createOfflineDefender(), { port: testPort() }))(req);
  const offline = await defenderHandler(createOfflineDefender())(req);
  assert.equal(viaLlmMind, offline);
  assert.is(viaLlmMind.llmCalls, undefined);
});

test.run();
