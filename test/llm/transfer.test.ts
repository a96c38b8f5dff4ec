// The transfer prompt: a cloud champion adapted to the edge, then evaluated like any other policy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { transferPolicy, type TransferInput } from '../../actors/minds/llm/transfer.js';
import { llmRequestFor } from '../../actors/minds/llm/settings.js';
import { INITIAL_PROMPTS } from '../../actors/minds/llm/llm-run.js';
import { summarizeScenario } from '../../actors/scenario-summary.js';
import { simulatorHandler } from '../../actors/simulator.js';
import { baselines } from '../../sim/baselines/index.js';
import { defaultParams } from '../../sim/workload/defaults.js';
import { generateFromParams } from '../../sim/workload/generate.js';
import { startScriptedServer, type Script } from './support/scripted-server.js';
import { UNKNOWN_FEATURE_POLICY, json } from './support/answers.js';
import { settings, testPort } from './support/requests.js';

const EDGE_POLICY = {
  rationale: 'Kept best fit; added latency and energy terms because edge devices are small, far and on batteries.',
  basedOn: 'b-best-fit',
  policy: {
    explain: 'Best fit near the data source, sparing devices that run low on energy.',
    order: 'edf',
    filter: 'node.free_cores_after >= 0 and node.free_memory_after >= 0 and node.reachable > 0',
    score: '-(node.cpu_free_frac_after + node.mem_free_frac_after) - 10 * node.latency + node.energy_left_frac',
    admit: null,
  },
};

async function transfer(script: Script) {
  const server = await startScriptedServer(script);
  try {
    const cloud = generateFromParams(defaultParams('cloud', 2), 1);
    const input: TransferInput = {
      port: testPort(),
      llm: llmRequestFor(settings(server.url), 'defender', 3, [INITIAL_PROMPTS.defender]),
      callId: 'transfer:b-best-fit:edge:0',
      seed: 9,
      champion: { policyId: 'b-best-fit', policy: baselines['best-fit']!, domain: 'cloud', scenarioSummary: summarizeScenario(cloud) },
      targetDomain: 'edge',
      policyId: 't-edge-best-fit',
    };
    return { result: await transferPolicy(input), requests: server.requests };
  } finally {
    await server.close();
  }
}

test('given a cloud champion, when transferred to the edge, then the prompt names the edge constraints and the answer is an evaluable policy', async () => {
  const { result, requests } = await transfer(() => ({ content: json(EDGE_POLICY) }));
  const user = requests[0]!.messages[1]!.content;
  assert.match(user, /You successfully solved this cloud allocation problem/);
  assert.match(user, /Now adapt this strategy for edge computing where:/);
  assert.match(user, /Energy is constrained \(battery-powered devices\)/);
  assert.ok(result.policy !== null, result.errors.join('; '));
  assert.is(result.policy!.name, 't-edge-best-fit');
  assert.is(result.calls.length, 1);
  assert.is(result.calls[0]!.role, 'transfer');

  const edge = generateFromParams(defaultParams('edge', 2), 5);
  const evaluated = await simulatorHandler()({
    scenarioId: edge.id,
    scenario: edge,
    policies: [
      { policyId: 'b-best-fit', policy: baselines['best-fit']! },
      { policyId: 't-edge-best-fit', policy: result.policy! },
    ],
    slaTolerance: 0.05,
  });
  const adapted = evaluated.results.find((r) => r.policyId === 't-edge-best-fit')!;
  assert.is(adapted.failure, null);
  assert.ok(Number.isFinite(adapted.reward));
  assert.is(adapted.metrics.tasks, edge.tasks.length);
});

test('given an adapted policy with an unknown feature twice, when transferred, then there is no policy and the errors say why', async () => {
  const { result, requests } = await transfer(() => ({ content: json(UNKNOWN_FEATURE_POLICY) }));
  assert.is(result.policy, null);
  assert.is(requests.length, 2);
  assert.match(result.errors.join('\n'), /after repair: score: unknown feature 'node\.gpu_memory'/);
});

test.run();
