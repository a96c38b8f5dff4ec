// What an LLM run is configured with (RunConfig.llm, recorded whole in RunStarted) and what one
// attacker or defender request carries of it (request.llm). Neither holds a secret: the API key stays
// in the environment of the process that calls the model, named by `apiKeyEnv`.
import { z } from 'zod';

const nonNegative = () => z.number().min(0).refine(Number.isFinite, { message: 'must be a finite number' });
const modelName = () => z.string().min(1).max(200);

/** How the answer's JSON is asked for: JSON Schema, plain JSON mode, or extraction from free text. */
export const StructuredOutput = z.enum(['auto', 'json_schema', 'json_object', 'text']);
export type StructuredOutput = z.infer<typeof StructuredOutput>;

export const RoleModels = z
  .object({ attacker: modelName(), defender: modelName(), evolver: modelName() })
  .strict()
  .describe('the model each role prompts');

export const Price = z
  .object({ prompt: nonNegative(), completion: nonNegative() })
  .strict()
  .describe('price per million prompt and completion tokens');
export type Price = z.infer<typeof Price>;

export const LlmBudget = z
  .object({
    tokens: z.number().int().min(1).nullable().default(null).describe('total tokens (prompt + completion) per run; null: no limit'),
    cost: nonNegative().nullable().default(null).describe('total cost per run in the price table’s currency; null: no limit'),
  })
  .strict();
export type LlmBudget = z.infer<typeof LlmBudget>;

export const LlmSettings = z
  .object({
    baseUrl: z
      .string()
      .url()
      .nullable()
      .default(null)
      .describe("OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1; null: the calling process's OPENAI_BASE_URL, else api.openai.com"),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name' })
      .default('OPENAI_API_KEY')
      .describe('the environment variable that holds the API key (the key itself is never configured or recorded)'),
    models: RoleModels,
    byLevel: z
      .array(
        z
          .object({
            fromLevel: z.number().int().min(1).max(10).describe('curriculum difficulty (1–10) from which these models are used'),
            models: RoleModels.partial().strict(),
          })
          .strict(),
      )
      .default([])
      .describe('other models from a difficulty on: a small model for easy levels, a strong one for hard levels'),
    prices: z.record(z.string(), Price).default({}).describe('by model name; a model missing here costs 0'),
    budget: LlmBudget.default({ tokens: null, cost: null }),
    concurrency: z.number().int().min(1).max(256).default(4).describe('model calls in flight at once, per process'),
    timeoutMs: z.number().int().min(1).default(120_000).describe('one attempt of one call'),
    retries: z.number().int().min(0).max(10).default(3).describe('further attempts after a 429, a 5xx, a time-out or a lost connection'),
    temperature: z.number().min(0).max(2).default(0.7).describe('of the first candidate'),
    temperatureStep: z.number().min(0).max(1).default(0.1).describe('added for each further candidate (the proposal: 0.7, 0.8, 0.9)'),
    maxTokens: z.number().int().min(1).nullable().default(4096).describe('completion tokens per call; null: the server decides'),
    tokenParameter: z
      .enum(['max_tokens', 'max_completion_tokens'])
      .default('max_tokens')
      .describe('OpenAI reasoning models want max_completion_tokens; most other servers max_tokens'),
    structured: StructuredOutput.default('auto').describe('auto: JSON Schema, falling back to json_object, then to text, as the server allows'),
    repair: z.boolean().default(true).describe('send the validation errors back once before the offline mind takes over'),
    evolveEvery: z.number().int().min(1).nullable().default(null).describe('meta-prompt evolution every M iterations; null: RunConfig.evolveEvery'),
    topPolicies: z.number().int().min(0).max(20).default(5).describe('rated policies shown to the defender'),
  })
  .strict();
export type LlmSettings = z.infer<typeof LlmSettings>;
export type LlmSettingsInput = z.input<typeof LlmSettings>;

export const PromptVariant = z.object({ variantId: z.string().min(1), text: z.string().min(1) }).strict();
export type PromptVariant = z.infer<typeof PromptVariant>;

export const AttackerFeedback = z
  .object({
    successRate: z.number().min(0).max(1).nullable().describe("the defender's solved share of recent scenarios; null before any"),
    window: z.number().int().min(0),
    weakAreas: z.array(z.string()),
  })
  .strict();
export type AttackerFeedback = z.infer<typeof AttackerFeedback>;

/** What an attacker or defender request carries when its mind is an LLM (request.llm). */
export const LlmRequest = z
  .object({
    baseUrl: z.string().nullable(),
    apiKeyEnv: z.string().min(1),
    model: modelName(),
    price: Price.nullable(),
    temperature: z.number().min(0).max(2),
    temperatureStep: z.number().min(0).max(1),
    maxTokens: z.number().int().min(1).nullable(),
    tokenParameter: z.enum(['max_tokens', 'max_completion_tokens']),
    structured: StructuredOutput,
    timeoutMs: z.number().int().min(1),
    retries: z.number().int().min(0),
    repair: z.boolean(),
    topPolicies: z.number().int().min(0),
    /** The role's kept prompt variants, best first: candidate k uses prompts[k mod n]. */
    prompts: z.array(PromptVariant).min(1),
    feedback: AttackerFeedback.nullable(),
  })
  .strict();
export type LlmRequest = z.infer<typeof LlmRequest>;

/** The model a role uses at a curriculum difficulty (1–10). */
export function modelFor(settings: LlmSettings, role: 'attacker' | 'defender' | 'evolver', difficulty: number): string {
  let model = settings.models[role];
  const steps = [...settings.byLevel].sort((a, b) => a.fromLevel - b.fromLevel);
  for (const step of steps) if (step.fromLevel <= difficulty && step.models[role] !== undefined) model = step.models[role]!;
  return model;
}

/** The request field for one role at one difficulty, with the role's prompt variants. */
export function llmRequestFor(
  settings: LlmSettings,
  role: 'attacker' | 'defender' | 'evolver',
  difficulty: number,
  prompts: PromptVariant[],
  feedback: AttackerFeedback | null = null,
): LlmRequest {
  const model = modelFor(settings, role, difficulty);
  return {
    baseUrl: settings.baseUrl,
    apiKeyEnv: settings.apiKeyEnv,
    model,
    price: Object.prototype.hasOwnProperty.call(settings.prices, model) ? settings.prices[model]! : null,
    temperature: settings.temperature,
    temperatureStep: settings.temperatureStep,
    maxTokens: settings.maxTokens,
    tokenParameter: settings.tokenParameter,
    structured: settings.structured,
    timeoutMs: settings.timeoutMs,
    retries: settings.retries,
    repair: settings.repair,
    topPolicies: settings.topPolicies,
    prompts,
    feedback,
  };
}
