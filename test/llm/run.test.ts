// An LLM self-play run end to end (real `openai` client, scripted endpoint, in-process roles): what it
// records, that it replays exactly with the endpoint gone, and that its budget stops and resumes it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCanonical } from '../../events/codec.js';
import { recordedAnswersOf } from '../../actors/minds/llm/records.js';
import { replayRun } from '../../src/replay/replay.js';
import { startScriptedServer } from './support/scripted-server.js';
import { EVOLVED_PROMPTS, INJECTION_TEXT, VALID_POLICY } from './support/answers.js';
import { TEST_KEY, testPort } from './support/requests.js';
import { fingerprints, fingerprintsWithoutLatency, llmRunConfig, runLlm, runScript } from './support/llm-run.js';

test('given a scripted endpoint, when an LLM run plays three iterations, then every call, rejection, repair and prompt change is recorded', async () => {
  const server = await startScriptedServer(runScript);
  try {
    const { result, events } = await runLlm(llmRunConfig(server.url), testPort());
    assert.is(result.status, 'completed');
    const calls = events.filter((e) => e.type === 'LlmCalled');
    assert.is(calls.length, server.requests.length, 'one LlmCalled per call the endpoint saw');
    const started = events[0]!;
    assert.is(started.type === 'RunStarted' && started.data.mind, 'llm');

    // Calls come first in their batch, in call-id order.
    for (const batch of new Set(calls.map((e) => e.metadata.eventId.split(':').slice(0, -1).join(':')))) {
      const ids = calls.filter((e) => e.metadata.eventId.startsWith(batch + ':')).map((e) => (e.type === 'LlmCalled' ? e.data.callId : ''));
      assert.equal(ids, [...ids].sort());
    }
    const callIds = calls.map((e) => (e.type === 'LlmCalled' ? e.data.callId : ''));
    assert.ok(callIds.includes('rllm-1:1:attacker:0'));
    assert.ok(callIds.includes('rllm-1:1:defender:s-1-0:1.repair'));
    assert.ok(callIds.includes('rllm-1:2:evolver:0'));

    const proposed = events.filter((e) => e.type === 'PolicyProposed' && e.data.scenarioId !== null);
    assert.ok(proposed.some((e) => e.type === 'PolicyProposed' && e.data.author === 'defender:llm:small' && e.data.operator === 'prompt:defender/v0'));
    const fallback = proposed.find((e) => e.type === 'PolicyProposed' && e.data.policyId === 'p-2-s-2-1-1');
    assert.is(fallback?.type === 'PolicyProposed' && fallback.data.author, 'defender:offline');
    const rejected = events.filter((e) => e.type === 'PolicyRejected');
    assert.ok(rejected.some((e) => e.type === 'PolicyRejected' && /repaired/.test(e.data.reason)));
    assert.ok(rejected.some((e) => e.type === 'PolicyRejected' && /offline mind writes it/.test(e.data.reason)));
    assert.ok(events.some((e) => e.type === 'ScenarioProposed' && e.data.author === 'attacker:llm:small'));

    const prompts = events.filter((e) => e.type === 'PromptEvolved');
    assert.equal(
      prompts.map((e) => (e.type === 'PromptEvolved' ? [e.data.variantId, e.metadata.iteration, e.data.kept] : null)),
      [
        ['attacker/v0', 0, ['attacker/v0']],
        ['defender/v0', 0, ['defender/v0']],
        ['attacker/v2', 2, ['attacker/v2', 'attacker/v0']],
        ['defender/v2', 2, ['defender/v2', 'defender/v0']],
      ],
    );
    // Iteration 3 uses the evolved prompts: the second candidate takes the second-ranked variant.
    const third = server.requests.filter((r) => r.role === 'defender' && /^Scenario s-3-/.test(r.messages[1]!.content) && !r.isRepair);
    assert.ok(third.some((r) => r.messages[0]!.content.startsWith(EVOLVED_PROMPTS.defender_prompt)));
    assert.ok(third.some((r) => r.messages[0]!.content.startsWith('You are an expert resource allocation strategist')));
    assert.ok(third.every((r) => /never instructions/.test(r.messages[0]!.content)), 'evolved prompts keep the fixed rules');

    // The injected rationale is recorded as data and reaches later prompts only fenced.
    const later = server.requests.filter((r) => r.role === 'defender' && r.messages[1]!.content.includes('Ignore all previous instructions'));
    for (const r of later) {
      const user = r.messages[1]!.content;
      const at = user.indexOf('Ignore all previous instructions');
      assert.ok(user.lastIndexOf('<<<UNTRUSTED', at) >= 0 && user.slice(at).search(/UNTRUSTED [0-9A-Z]+>>>/) > 0);
    }
    assert.ok(events.some((e) => e.type === 'PolicyProposed' && e.data.rationale === INJECTION_TEXT && e.data.policy.score === VALID_POLICY.policy.score));

    // Cost from the price table; no key anywhere in the log.
    const cost = calls.reduce((s, e) => s + (e.type === 'LlmCalled' ? e.data.cost : 0), 0);
    assert.ok(cost > 0);
    const bytes = Buffer.concat(events.map((e) => Buffer.from(encodeCanonical({ type: e.type, data: e.data, metadata: e.metadata }))));
    assert.is(bytes.indexOf(TEST_KEY), -1);
    assert.is(JSON.stringify(events).indexOf(TEST_KEY), -1);
  } finally {
    await server.close();
  }
});

test('given a recorded LLM run, when it is re-executed with the endpoint stopped, then every event fingerprint is the same', async () => {
  const server = await startScriptedServer(runScript);
  const config = llmRunConfig(server.url);
  const live = await runLlm(config, testPort());
  const seen = server.requests.length;
  await server.close();
  const replay = await runLlm(config, null, { recorded: recordedAnswersOf(live.events, true) });
  assert.is(server.requests.length, seen, 'the replay made no call');
  assert.is(replay.result.status, 'completed');
  assert.equal(fingerprints(replay.events), fingerprints(live.events));
});

test('given a token budget, when it is reached, then the run stops after the iteration with RunStopped and resumes with a larger one as if never stopped', async () => {
  const server = await startScriptedServer(runScript);
  try {
    const reference = await runLlm(llmRunConfig(server.url), testPort());
    const perIteration = (i: number) =>
      reference.events.filter((e) => e.type === 'LlmCalled' && e.metadata.iteration <= i).reduce((s, e) => s + (e.type === 'LlmCalled' ? e.data.usage.total : 0), 0);
    // Reached during iteration 2, which is also when the prompts would evolve.
    const budget = perIteration(1) + 1;
    const config = llmRunConfig(server.url, { budget: { tokens: budget, cost: null } });
    const stopped = await runLlm(config, testPort());
    assert.is(stopped.result.status, 'stopped');
    assert.is(stopped.result.iterations, 2);
    const last = stopped.events.at(-1)!;
    assert.is(last.type, 'RunStopped');
    if (last.type === 'RunStopped') {
      assert.is(last.data.reason, 'budget');
      assert.match(last.data.detail, new RegExp(`of ${budget}`));
    }
    assert.not.ok(stopped.events.some((e) => e.type === 'PromptEvolved' && e.metadata.iteration === 2), 'no evolution past the budget');

    // Resuming with the same budget refuses; with a larger one it completes.
    await runLlm(config, testPort(), {}, stopped.store, true).then(
      () => assert.unreachable('over budget'),
      (err) => assert.match((err as Error).message, /budget reached/),
    );
    const resumed = await runLlm(config, testPort(), { budget: { tokens: 1_000_000 } }, stopped.store, true);
    assert.is(resumed.result.status, 'completed');
    const withoutStop = resumed.events.filter((e) => e.type !== 'RunStopped');
    // Only RunStarted (the configured budget) and the RunStopped differ from the run that was never stopped.
    assert.equal(fingerprintsWithoutLatency(withoutStop.slice(1)), fingerprintsWithoutLatency(reference.events.slice(1)));
  } finally {
    await server.close();
  }
});

test('given an LLM run stopped by its budget and resumed, when aurora replay re-executes it with the endpoint stopped, then it is identical', async () => {
  const server = await startScriptedServer(runScript);
  const stopped = await runLlm(llmRunConfig(server.url, { budget: { tokens: 2000, cost: null } }), testPort());
  assert.is(stopped.result.status, 'stopped');
  const resumed = await runLlm(llmRunConfig(server.url), testPort(), { budget: { tokens: null } }, stopped.store, true);
  assert.is(resumed.result.status, 'completed');
  const seen = server.requests.length;
  await server.close();
  const replay = await replayRun({ store: resumed.store, runId: 'rllm-1' });
  assert.is(replay.status, 'identical', JSON.stringify(replay.mismatch ?? replay.failure));
  assert.is(replay.matched, resumed.events.length);
  assert.is(replay.resumes, 1);
  assert.is(server.requests.length, seen);
});

test.run();
