// The attacker's prompt: the proposal's ATTACKER_SYSTEM_PROMPT (../shared/seed/) as the evolvable
// instructions, and the request's data — difficulty, the defender's recent success rate, its weak
// areas, what "solvable" means, and the schema — as the user message.
import { z } from 'zod';
import type { ProposeScenarios } from '../../../protocol.js';
import type { GeneratorParams } from '../../../../sim/workload/params.js';
import { GeneratorParams as GeneratorParamsSchema } from '../../../../sim/workload/params.js';
import type { AnswerSchema, ChatMessage } from '../port.js';
import type { AttackerFeedback } from '../settings.js';
import { json, systemPrompt } from './contract.js';
import { generatorKnobs } from './generator-schema.js';

export const ATTACKER_PROMPT_V0 = `You are an expert adversarial scenario designer for resource allocation systems.

Your goal: Create challenging but solvable resource allocation scenarios that help the Defender agent learn.

Guidelines:
1. Scenarios should be at the edge of the Defender's capability
2. Introduce diverse challenges: workload spikes, resource failures, conflicting objectives
3. Ensure scenarios are SOLVABLE (have at least one feasible solution)
4. Provide clear success criteria and constraints`;

export interface AttackerPromptInput {
  req: ProposeScenarios;
  levelName: string | null;
  sizes: { tasks: number; nodes: number };
  tau: number;
  referenceBaselines: string[];
  defaults: GeneratorParams;
  feedback: AttackerFeedback | null;
  /** Which of the request's scenarios this is (0-based) and how many. */
  k: number;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function attackerMessages(variantText: string, p: AttackerPromptInput): ChatMessage[] {
  const f = p.feedback;
  const performance =
    f === null || f.successRate === null || f.window === 0
      ? 'not measured yet'
      : `${pct(f.successRate)} of the last ${f.window} scenarios solved`;
  const weak = f === null || f.weakAreas.length === 0 ? 'none identified yet: explore broadly' : f.weakAreas.join('; ');
  const user = [
    `Current difficulty level: ${p.req.level}/10${p.levelName ? ` (${p.levelName})` : ''}; domain: ${p.req.domain}; ${p.sizes.tasks} tasks on ${p.sizes.nodes} nodes.`,
    `Defender's recent performance: ${performance}`,
    `Focus areas: ${weak}`,
    p.req.count > 1 ? `This is scenario ${p.k + 1} of ${p.req.count} for this round: make it different from the obvious one.` : '',
    '',
    `Solvable means: at least one of the reference policies (${p.referenceBaselines.join(', ')}) keeps SLA violations at or below ${pct(p.tau)} of the tasks, without a fault. Every scenario is simulated to check this; an unsolvable one is rejected.`,
    '',
    'You describe the scenario through the parameters of a workload generator. The curriculum fixes the domain, the level and the numbers of tasks and nodes; change the other knobs to make it hard. Give only the knobs you change (nested objects may be partial); the rest keep the defaults below.',
    '',
    'Generate a JSON scenario following this structure:',
    generatorKnobs(),
    '',
    'Defaults for this level:',
    json(p.defaults),
    '',
    'Answer format:',
    '{"description": "<one paragraph: the situation this scenario models>", "rationale": "<why it is hard for the defender yet solvable>", "generator": {<the knobs you change>}}',
  ].filter((line, i, all) => line !== '' || all[i - 1] !== '');
  return [
    { role: 'system', content: systemPrompt(variantText) },
    { role: 'user', content: user.join('\n') },
  ];
}

function optionalEverywhere(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(optionalEverywhere);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (k !== 'required' && k !== '$schema') out[k] = optionalEverywhere(v);
  return out;
}

let cachedSchema: AnswerSchema | null = null;

/** The answer's JSON Schema: the generator's knobs, each optional, so guided decoding keeps to the ranges. */
export function attackerAnswerSchema(): AnswerSchema {
  if (cachedSchema === null) {
    const generator = optionalEverywhere(z.toJSONSchema(GeneratorParamsSchema, { io: 'input', unrepresentable: 'any' }));
    cachedSchema = {
      name: 'aurora_scenario',
      strict: false,
      schema: {
        type: 'object',
        properties: { description: { type: 'string' }, rationale: { type: 'string' }, generator },
        required: ['description', 'rationale', 'generator'],
        additionalProperties: false,
      },
    };
  }
  return cachedSchema;
}
