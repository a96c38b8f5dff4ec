// Zero-shot transfer (the proposal's transfer prompt, ../shared/seed/): a champion policy and a summary
// of the problem it solved go to the model with what differs in the target domain, and the answer is an
// adapted policy in the policy language. It is checked like any defender answer (compiled, repaired
// once) and is then an ordinary policy: evaluate it with the simulator role, import it into a run.
import type { Domain } from '../../../sim/scenario.js';
import type { PolicyDocument } from '../../../sim/policy/document.js';
import { askValid, type Asker } from './conversation.js';
import { validatePolicyAnswer } from './defender.js';
import { fenceUntrusted } from './fence.js';
import type { ChatMessage, LlmPort } from './port.js';
import { json, systemPrompt } from './prompts/contract.js';
import { DEFENDER_ANSWER_SCHEMA } from './prompts/defender.js';
import { featureVocabulary, policyLanguage } from './prompts/vocabulary.js';
import type { LlmCall, RecordedCalls } from './records.js';
import type { LlmRequest } from './settings.js';

export const TRANSFER_PROMPT = `You are an expert resource allocation strategist. You adapt allocation policies that worked in one
domain to another, keeping the principles that made them work and changing what the new domain demands.`;

/** What the target domain changes, in the proposal's words where it has them. */
export const DOMAIN_TRAITS: Record<Domain, string[]> = {
  cloud: [
    'Hosts are large and plentiful; they differ in speed, power draw and price',
    'Latency is dominated by queueing and run time, not by the network',
    'Cost, energy and utilisation weigh as much as latency',
  ],
  edge: [
    'Nodes have limited resources (10x less CPU/memory)',
    'Network latency is critical (<10ms)',
    'Energy is constrained (battery-powered devices)',
  ],
  network: [
    'Tasks read data from sources over links with limited bandwidth',
    'Congestion windows cut bandwidth and raise latency for a while',
    'Transfer time from the data source often dominates the finish time',
  ],
  hybrid: [
    'Some nodes are cloud hosts, others edge servers and battery devices',
    'Data sources sit at the edge; reaching the cloud crosses a WAN link',
    'Latency-critical tasks belong near their source, heavy batch work in the cloud',
  ],
};

export interface TransferInput {
  port: LlmPort | null;
  /** Model, temperature, repair … as for a defender request (its prompts are not used). */
  llm: LlmRequest;
  recorded?: RecordedCalls;
  callId: string;
  seed: number;
  champion: { policyId: string; policy: PolicyDocument; domain: Domain; scenarioSummary: unknown };
  targetDomain: Domain;
  /** Id (and name) of the adapted policy. */
  policyId: string;
}

export interface TransferResult {
  policy: PolicyDocument | null;
  rationale: string;
  calls: LlmCall[];
  errors: string[];
}

export function transferMessages(input: TransferInput): ChatMessage[] {
  const c = input.champion;
  const p = c.policy;
  const user = [
    `You successfully solved this ${c.domain} allocation problem (a statistical summary):`,
    json(c.scenarioSummary),
    '',
    `With this policy (${c.policyId}):`,
    `order: ${typeof p.order === 'string' ? p.order : JSON.stringify(p.order)}`,
    `filter: ${p.filter}`,
    `score: ${p.score}`,
    ...(p.admit === undefined ? [] : [`admit: ${p.admit}`]),
    ...(p.explain.trim() === '' ? [] : [fenceUntrusted(`explanation of ${c.policyId}`, p.explain, 800)]),
    '',
    `Now adapt this strategy for ${input.targetDomain} computing where:`,
    ...DOMAIN_TRAITS[input.targetDomain].map((t) => `- ${t}`),
    '',
    'Generate an adapted policy maintaining core principles.',
    '',
    'The policy language:',
    policyLanguage(),
    '',
    'Feature vocabulary (unit: meaning):',
    featureVocabulary(),
    '',
    'Answer format:',
    `{"rationale": "<what you kept and what you changed>", "basedOn": "${c.policyId}", "policy": {"explain": "...", "order": "...", "filter": "...", "score": "...", "admit": null}}`,
  ];
  return [
    { role: 'system', content: systemPrompt(TRANSFER_PROMPT) },
    { role: 'user', content: user.join('\n') },
  ];
}

export async function transferPolicy(input: TransferInput): Promise<TransferResult> {
  const asker: Asker = { port: input.port, llm: input.llm, recorded: input.recorded, role: 'transfer' };
  const author = `transfer:llm:${input.llm.model}`;
  const outcome = await askValid(
    asker,
    {
      callId: input.callId,
      messages: transferMessages(input),
      temperature: input.llm.temperature,
      seed: input.seed,
      schema: DEFENDER_ANSWER_SCHEMA,
      variantId: 'transfer/v0',
    },
    (answer) => validatePolicyAnswer(answer, { policyId: input.policyId, author, known: new Set([input.champion.policyId]) }),
  );
  return {
    policy: outcome.value?.policy ?? null,
    rationale: outcome.value?.rationale ?? '',
    calls: outcome.calls,
    errors: outcome.errors,
  };
}
