// The defender's prompt: the proposal's DEFENDER_SYSTEM_PROMPT (../shared/seed/) as the evolvable
// instructions; as data, a statistical summary of the scenario (never its raw tasks), the top policies
// with their ratings (their explanations fenced as untrusted text), the policy language and the
// feature vocabulary.
import type { ProposePolicies, RatedPolicy } from '../../../protocol.js';
import { NamedOrder } from '../../../../sim/policy/document.js';
import type { AnswerSchema, ChatMessage } from '../port.js';
import { fenceUntrusted } from '../fence.js';
import { json, systemPrompt } from './contract.js';
import { featureVocabulary, policyLanguage } from './vocabulary.js';

export const DEFENDER_PROMPT_V0 = `You are an expert resource allocation strategist.

Your task: Design an allocation policy that optimizes for the scenario's objectives while respecting all constraints.

Think step-by-step:
1. Analyze the workload characteristics
2. Identify bottlenecks and critical resources
3. Consider trade-offs between objectives
4. Design allocation rules
5. Validate against constraints

Learn from past successes: build on the best policies shown, or depart from them when the scenario calls for it.`;

const showOrder = (o: RatedPolicy['policy']['order']) => (typeof o === 'string' ? o : `{"key": ${JSON.stringify(o.key)}, "direction": "${o.direction}"}`);

function policyBlock(p: RatedPolicy, i: number): string {
  const lines = [
    `${i + 1}. ${p.policyId}: rating ${p.rating.toFixed(0)} after ${p.evaluations} matches`,
    `   order: ${showOrder(p.policy.order)}`,
    `   filter: ${p.policy.filter}`,
    `   score: ${p.policy.score}`,
  ];
  if (p.policy.admit !== undefined) lines.push(`   admit: ${p.policy.admit}`);
  if (p.policy.explain.trim() !== '') lines.push(fenceUntrusted(`explanation of ${p.policyId}`, p.policy.explain, 600));
  return lines.join('\n');
}

/** The top `n` of the population by rating (ties: id). */
export function topPolicies(population: readonly RatedPolicy[], n: number): RatedPolicy[] {
  return [...population].sort((a, b) => b.rating - a.rating || (a.policyId < b.policyId ? -1 : 1)).slice(0, n);
}

export function defenderMessages(variantText: string, req: ProposePolicies, top: readonly RatedPolicy[], k: number): ChatMessage[] {
  const user = [
    `Scenario ${req.scenarioId}, as a statistical summary (the raw tasks are not shown):`,
    json(req.scenarioSummary),
    '',
    top.length === 0 ? 'No rated policies yet.' : 'Top policies so far, by ELO rating (higher is better):',
    ...top.map(policyBlock),
    '',
    req.count > 1 ? `This is candidate ${k + 1} of ${req.count}: the candidates should differ from each other.` : '',
    'The policy language:',
    policyLanguage(),
    '',
    'Feature vocabulary (unit: meaning):',
    featureVocabulary(),
    '',
    'Answer format:',
    '{"rationale": "<your reasoning in a few sentences>", "basedOn": "<id of the policy you started from, or null>", "policy": {"explain": "<what the policy does and why>", "order": "<named order or {key, direction}>", "filter": "<condition>", "score": "<number expression>", "admit": null}}',
  ].filter((line) => line !== '');
  return [
    { role: 'system', content: systemPrompt(variantText) },
    { role: 'user', content: user.join('\n') },
  ];
}

const nullableString = { type: ['string', 'null'] };

/** OpenAI strict mode wants every property required; optional ones are nullable instead. */
export const DEFENDER_ANSWER_SCHEMA: AnswerSchema = {
  name: 'aurora_policy',
  strict: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['rationale', 'basedOn', 'policy'],
    properties: {
      rationale: { type: 'string' },
      basedOn: nullableString,
      policy: {
        type: 'object',
        additionalProperties: false,
        required: ['explain', 'order', 'filter', 'score', 'admit'],
        properties: {
          explain: { type: 'string' },
          order: {
            anyOf: [
              { type: 'string', enum: NamedOrder.options.filter((o) => o !== 'random') },
              {
                type: 'object',
                additionalProperties: false,
                required: ['key', 'direction'],
                properties: { key: { type: 'string' }, direction: { type: 'string', enum: ['asc', 'desc'] } },
              },
            ],
          },
          filter: { type: 'string' },
          score: { type: 'string' },
          admit: nullableString,
        },
      },
    },
  },
};
