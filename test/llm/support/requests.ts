// Requests for the LLM minds as the controller builds them, pointed at a scripted endpoint.
import type { ProposePolicies, ProposeScenarios } from '../../../actors/protocol.js';
import { LlmSettings, llmRequestFor, type LlmSettingsInput } from '../../../actors/minds/llm/settings.js';
import { INITIAL_PROMPTS } from '../../../actors/minds/llm/llm-run.js';
import { summarizeScenario } from '../../../actors/scenario-summary.js';
import { baselines } from '../../../sim/baselines/index.js';
import { defaultParams } from '../../../sim/workload/defaults.js';
import { generateFromParams } from '../../../sim/workload/generate.js';
import { createOpenAiPort } from '../../../src/llm/openai-port.js';

export const TEST_KEY = 'sk-aurora-test-SECRET-0123456789abcdef';
export const KEY_ENV = 'AURORA_TEST_KEY';

export function settings(url: string, over: Partial<LlmSettingsInput> = {}): LlmSettings {
  return LlmSettings.parse({
    baseUrl: url,
    apiKeyEnv: KEY_ENV,
    models: { attacker: 'test-attacker', defender: 'test-defender', evolver: 'test-evolver' },
    retries: 1,
    timeoutMs: 5000,
    prices: { 'test-defender': { prompt: 1, completion: 2 } },
    ...over,
  });
}

export const testPort = (concurrency = 4) =>
  createOpenAiPort({ env: { [KEY_ENV]: TEST_KEY }, concurrency, backoff: { baseMs: 1, maxMs: 10 } });

export function defenderRequest(url: string, over: Partial<ProposePolicies> = {}, s: LlmSettings = settings(url)): ProposePolicies {
  const scenario = generateFromParams(defaultParams('cloud', 1), 7);
  const names = ['best-fit', 'first-fit', 'cost-greedy'];
  return {
    runId: 'rtest',
    iteration: 2,
    scenarioId: 's-2-0',
    scenarioSummary: summarizeScenario(scenario) as unknown as ProposePolicies['scenarioSummary'],
    population: names.map((n, i) => ({ policyId: `b-${n}`, policy: baselines[n]!, rating: 1500 + 10 * i, evaluations: 4 })),
    count: 3,
    seed: 11,
    search: {},
    llm: llmRequestFor(s, 'defender', 1, [INITIAL_PROMPTS.defender]),
    ...over,
  };
}

export function attackerRequest(url: string, over: Partial<ProposeScenarios> = {}, s: LlmSettings = settings(url)): ProposeScenarios {
  return {
    runId: 'rtest',
    iteration: 2,
    level: 1,
    domain: 'cloud',
    count: 2,
    seed: 5,
    search: {},
    context: { levelName: 'basic', tasks: 5, nodes: 3, slaTolerance: 0.05 },
    llm: llmRequestFor(s, 'attacker', 1, [INITIAL_PROMPTS.attacker], { successRate: 0.4, window: 10, weakAreas: ['node failures'] }),
    ...over,
  };
}
