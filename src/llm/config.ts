// The `llm` section of a run's configuration, resolved from (first wins) command-line flags, the config
// file's `llm` section, and the environment: OPENAI_BASE_URL, AURORA_MODEL (every role) and
// AURORA_MODEL_ATTACKER / _DEFENDER / _EVOLVER. The API key is never part of it: it stays in the
// environment variable `apiKeyEnv` names (OPENAI_API_KEY by default), read only by the process that
// calls the model. The resolved section is recorded in RunStarted, so it must hold no secret.
import { LlmSettings, type LlmSettingsInput } from '../../actors/minds/llm/settings.js';
import { hasCredentials } from './redact.js';

export class LlmConfigError extends Error {
  override name = 'LlmConfigError';
}

export interface LlmFlags {
  model?: string;
  baseUrl?: string;
  budgetTokens?: number;
  budgetCost?: number;
}

const ROLES = ['attacker', 'defender', 'evolver'] as const;
/** Fields that would hold a secret: refused wherever they appear in the section. */
const SECRET_FIELDS = /^(api_?key|key|token|secret|password|authorization)$/i;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function refuseSecrets(x: unknown, path: string): void {
  if (!isObject(x)) return;
  for (const key of Object.keys(x)) {
    if (SECRET_FIELDS.test(key)) {
      throw new LlmConfigError(`${path}.${key}: API keys are never configured in files or recorded; put the key in the environment (OPENAI_API_KEY, or the variable llm.apiKeyEnv names)`);
    }
    refuseSecrets(x[key], `${path}.${key}`);
  }
}

/** The `llm` section to record, from flags, the file's section and the environment. */
export function resolveLlmSection(file: unknown, env: Readonly<Record<string, string | undefined>>, flags: LlmFlags = {}): LlmSettingsInput {
  if (file !== undefined && !isObject(file)) throw new LlmConfigError('llm must be an object');
  const section: Record<string, unknown> = { ...(file ?? {}) };
  refuseSecrets(section, 'llm');

  const fileModels = isObject(section.models) ? section.models : {};
  const models: Record<string, string> = {};
  for (const role of ROLES) {
    const fromFile = typeof fileModels[role] === 'string' ? (fileModels[role] as string) : undefined;
    const model = flags.model ?? fromFile ?? env[`AURORA_MODEL_${role.toUpperCase()}`] ?? env.AURORA_MODEL;
    if (!model) throw new LlmConfigError(`no model for the ${role}: set AURORA_MODEL, pass --model, or give llm.models.${role} in the config file`);
    models[role] = model;
  }
  section.models = models;

  const baseUrl = flags.baseUrl ?? (typeof section.baseUrl === 'string' ? section.baseUrl : undefined) ?? env.OPENAI_BASE_URL;
  if (baseUrl !== undefined && baseUrl !== '') {
    if (hasCredentials(baseUrl)) throw new LlmConfigError('the model endpoint URL must not contain credentials; put the key in OPENAI_API_KEY');
    section.baseUrl = baseUrl;
  }

  if (flags.budgetTokens !== undefined || flags.budgetCost !== undefined) {
    const budget = isObject(section.budget) ? { ...section.budget } : {};
    if (flags.budgetTokens !== undefined) budget.tokens = flags.budgetTokens;
    if (flags.budgetCost !== undefined) budget.cost = flags.budgetCost;
    section.budget = budget;
  }

  const parsed = LlmSettings.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // Only the path and zod's message: never the offending value, which might be a secret pasted by mistake.
    throw new LlmConfigError(`invalid llm configuration: llm.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return section as LlmSettingsInput;
}
