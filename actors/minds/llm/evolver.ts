// Meta-prompt evolution (the proposal's MetaPromptEvolver, ../shared/seed/): every M iterations the
// evolver model reads how each kept prompt variant has done and writes an improved attacker prompt and
// defender prompt. Each becomes a new variant (parent: the best measured one); per role the new variant
// and the two best measured of the others are kept — the best three, the newcomer given its chance to
// be measured. Evolved prompts replace only the instructions: systemPrompt() always appends the answer
// and untrusted-text rules, and every answer is still validated.
import type { EventData } from '../../../events/catalogue.js';
import { askValid, type Asker, type Validation } from './conversation.js';
import { fenceUntrusted } from './fence.js';
import type { LlmPort } from './port.js';
import type { PromptLedger, PromptRole, VariantResult } from './prompt-ledger.js';
import { systemPrompt } from './prompts/contract.js';
import { evolverCallId, recordedFor, type LlmCall, type RecordedAnswers } from './records.js';
import { llmRequestFor, type LlmSettings } from './settings.js';
import { hashName } from '../../../sim/random.js';

export const KEPT_VARIANTS = 3;
export const MIN_PROMPT = 40;
export const MAX_PROMPT = 8000;

export const EVOLVER_PROMPT = `You are a meta-prompt engineer. You improve the instructions given to two models in a resource
allocation system that learns by self-play: an attacker that designs hard but solvable scenarios, and a
defender that writes allocation policies in a small expression language.`;

export const variantIdOf = (role: PromptRole, iteration: number) => `${role}/v${iteration}`;

export interface EvolveInput {
  runId: string;
  iteration: number;
  /** The curriculum difficulty (1–10): picks the evolver's model. */
  difficulty: number;
  successRate: number | null;
  ledger: PromptLedger;
  settings: LlmSettings;
  port: LlmPort | null;
  recorded: RecordedAnswers | null;
}

export interface EvolveResult {
  calls: LlmCall[];
  changes: EventData<'PromptEvolved'>[];
}

interface NewPrompts {
  attacker: string;
  defender: string;
}

function validatePrompts(answer: Record<string, unknown>): Validation<NewPrompts> {
  const errors: string[] = [];
  const read = (key: string): string => {
    const v = answer[key];
    if (typeof v !== 'string') {
      errors.push(`"${key}" must be a string`);
      return '';
    }
    const t = v.trim();
    if (t.length < MIN_PROMPT || t.length > MAX_PROMPT) errors.push(`"${key}" must have ${MIN_PROMPT} to ${MAX_PROMPT} characters, not ${t.length}`);
    return t;
  };
  const attacker = read('attacker_prompt');
  const defender = read('defender_prompt');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { attacker, defender } };
}

const show = (r: VariantResult, unit: string) => `- ${r.variantId}: ${r.score === null ? 'not measured yet' : `${r.score.toFixed(3)} over ${r.n} ${unit}`}`;

function insights(input: EvolveInput): string {
  const { ledger } = input;
  const lines = [
    `After iteration ${input.iteration}; the defender solved ${input.successRate === null ? 'an unknown share' : `${(100 * input.successRate).toFixed(1)} %`} of recent scenarios.`,
    'Attacker prompt variants (mean attacker reward of their scenarios, 0–1, higher is better):',
    ...ledger.ranked('attacker').map((r) => show(r, 'scenarios')),
    'Defender prompt variants (mean match score of their policies, 0–1, higher is better):',
    ...ledger.ranked('defender').map((r) => show(r, 'matches')),
  ];
  for (const role of ['attacker', 'defender'] as const) {
    const t = ledger.rejectionsOf(role);
    // Validation errors quote what the models wrote: data, fenced.
    if (t.rejected > 0) {
      lines.push(`${role} answers rejected so far: ${t.rejected}; recent validation errors:`, fenceUntrusted(`recent ${role} validation errors`, t.recent.map((e) => `- ${e.slice(0, 300)}`).join('\n')));
    }
  }
  return lines.join('\n');
}

function currentPrompt(ledger: PromptLedger, role: PromptRole): string {
  return ledger.prompts(role)[0]?.text ?? '';
}

export function evolverMessages(input: EvolveInput) {
  const user = [
    'Analyze these insights from a resource allocation system:',
    '',
    insights(input),
    '',
    'Current attacker prompt:',
    fenceUntrusted('current attacker prompt', currentPrompt(input.ledger, 'attacker'), MAX_PROMPT),
    'Current defender prompt:',
    fenceUntrusted('current defender prompt', currentPrompt(input.ledger, 'defender'), MAX_PROMPT),
    '',
    'Generate improved versions that:',
    '1. Address identified weaknesses',
    '2. Encourage better reasoning',
    '3. Maintain successful patterns',
    '',
    'Write instructions only: the data of each request and the rules about the answer format are added to every prompt by the system.',
    `Output: JSON with 'attacker_prompt' and 'defender_prompt' keys (${MIN_PROMPT} to ${MAX_PROMPT} characters each).`,
  ];
  return [
    { role: 'system' as const, content: systemPrompt(EVOLVER_PROMPT) },
    { role: 'user' as const, content: user.join('\n') },
  ];
}

export const EVOLVER_ANSWER_SCHEMA = {
  name: 'aurora_prompts',
  strict: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['attacker_prompt', 'defender_prompt'],
    properties: { attacker_prompt: { type: 'string' }, defender_prompt: { type: 'string' } },
  },
};

/** The variants a role keeps after `newId` joins: it, and the best measured of the others. */
export function keptAfter(ranked: readonly VariantResult[], newId: string): string[] {
  return [newId, ...ranked.filter((r) => r.variantId !== newId).slice(0, KEPT_VARIANTS - 1).map((r) => r.variantId)];
}

export async function evolvePrompts(input: EvolveInput): Promise<EvolveResult> {
  const callId = evolverCallId(input.runId, input.iteration);
  const llm = llmRequestFor(input.settings, 'evolver', input.difficulty, [{ variantId: 'evolver/meta', text: EVOLVER_PROMPT }]);
  const asker: Asker = {
    port: input.port,
    llm,
    recorded: recordedFor(input.recorded, callId.slice(0, callId.lastIndexOf(':') + 1)),
    role: 'evolver',
  };
  const outcome = await askValid(
    asker,
    {
      callId,
      messages: evolverMessages(input),
      temperature: llm.temperature,
      seed: hashName(input.iteration, `llm/evolver/${input.runId}`),
      schema: EVOLVER_ANSWER_SCHEMA,
      variantId: 'evolver/meta',
    },
    validatePrompts,
  );
  if (outcome.value === null) return { calls: outcome.calls, changes: [] };
  const changes: EventData<'PromptEvolved'>[] = [];
  for (const role of ['attacker', 'defender'] as const) {
    const ranked = input.ledger.ranked(role);
    const parent = ranked[0] ?? null;
    const variantId = variantIdOf(role, input.iteration);
    changes.push({
      role,
      variantId,
      parentId: parent?.variantId ?? null,
      prompt: outcome.value[role],
      score: parent?.score ?? null,
      kept: keptAfter(ranked, variantId),
    });
  }
  return { calls: outcome.calls, changes };
}
