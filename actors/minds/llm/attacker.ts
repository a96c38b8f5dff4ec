// The LLM attacker: for each of the request's scenarios, one prompt (the k-th kept prompt variant) with
// the difficulty, the defender's recent success rate, its weak areas and the generator's schema. The
// answer names generator knobs; AURORA merges them over the level's defaults, forces the curriculum's
// domain, level and sizes, generates the scenario with a seed of its own, validates it against the
// scenario schema and checks it is solvable with the offline attacker's check (reference baselines,
// then incumbents, as witnesses). An answer that fails is repaired once with the errors; a scenario still
// missing is written by the offline attacker under the same id. A request without `llm` goes to the
// offline attacker unchanged.
import type { ProposeScenarios, ScenariosProposed } from '../../protocol.js';
import { baselines } from '../../../sim/baselines/index.js';
import { hashName } from '../../../sim/random.js';
import type { Scenario } from '../../../sim/scenario.js';
import { validateScenario } from '../../../sim/validate.js';
import { defaultParams } from '../../../sim/workload/defaults.js';
import { generateFromParams } from '../../../sim/workload/generate.js';
import { mergeParams, ParamsError, type GeneratorParams } from '../../../sim/workload/params.js';
import { baselinePolicyId } from '../baseline-ids.js';
import type { AttackerMind } from '../ports.js';
import { readAttackerContext } from '../attacker/context.js';
import { fitToLevel, sizesFor, type LevelSizes } from '../attacker/level-fit.js';
import { checkSolvable, type Solvability, type Witness } from '../attacker/solvability.js';
import { askValid, type Validation } from './conversation.js';
import { llmAuthor, type LlmMindOptions } from './defender.js';
import type { LlmPort } from './port.js';
import { attackerAnswerSchema, attackerMessages } from './prompts/attacker.js';
import { attackerCallId, byCallId, type LlmCall } from './records.js';
import type { LlmRequest } from './settings.js';

export const LLM_ATTACKER = 'attacker:llm';
const MAX_TEXT = 10_000;
/** Knobs the curriculum sets; an answer's values for them are ignored. */
const FORCED = ['domain', 'level', 'tasks', 'nodes'];

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export interface ScenarioAnswer {
  scenario: Scenario;
  params: GeneratorParams;
  seed: number;
  description: string;
  rationale: string;
  solvability: Solvability;
}

export interface ScenarioCheck {
  req: ProposeScenarios;
  scenarioId: string;
  seed: number;
  sizes: LevelSizes;
  defaults: GeneratorParams;
  witnesses: Witness[];
  tau: number;
}

/** Checks an attacker answer {description, rationale, generator}: schema, scenario, solvability. */
export function validateScenarioAnswer(answer: Record<string, unknown>, c: ScenarioCheck): Validation<ScenarioAnswer> {
  if (!isObject(answer.generator)) return { ok: false, errors: ['the answer needs a "generator" object with the knobs you change'] };
  const knobs: Record<string, unknown> = {};
  for (const key of Object.keys(answer.generator).sort()) if (!FORCED.includes(key)) knobs[key] = answer.generator[key];
  let params: GeneratorParams;
  try {
    params = fitToLevel(mergeParams(c.defaults, knobs) as GeneratorParams, c.req.domain, c.req.level, c.sizes);
  } catch (err) {
    if (err instanceof ParamsError) return { ok: false, errors: err.problems.map((p) => (p.startsWith('params') ? p.replace(/^params\.?/, 'generator.') : `generator.${p}`)) };
    return { ok: false, errors: [(err as Error).message] };
  }
  let scenario: Scenario;
  try {
    const checked = validateScenario(generateFromParams(params, c.seed));
    if (!checked.ok) return { ok: false, errors: checked.errors };
    scenario = checked.scenario;
  } catch (err) {
    return { ok: false, errors: [`the generator could not build a scenario from these knobs: ${(err as Error).message}`] };
  }
  const description = typeof answer.description === 'string' ? cut(answer.description, MAX_TEXT) : '';
  const rationale = typeof answer.rationale === 'string' ? cut(answer.rationale, MAX_TEXT) : '';
  scenario = { ...scenario, id: c.scenarioId, description };
  const solvability = checkSolvable(scenario, c.witnesses, c.tau);
  if (!solvability.solvable) {
    return {
      ok: false,
      errors: [
        `the scenario is not solvable: ${solvability.reason}`,
        ...solvability.trials.map((t) => `${t.policyId}: SLA violations ${pct(t.slaViolationRate)}${t.failure === null ? '' : `, fault: ${t.failure}`}`),
        'make it easier where it matters least: lower loadFactor or sla.tightness, fewer failures or dependencies',
      ],
    };
  }
  return { ok: true, value: { scenario, params, seed: c.seed, description, rationale, solvability } };
}

export function createLlmAttacker(offline: AttackerMind, options: LlmMindOptions): AttackerMind {
  return {
    name: LLM_ATTACKER,
    proposeScenarios(req: ProposeScenarios): Promise<ScenariosProposed> {
      if (req.llm === undefined) return offline.proposeScenarios(req);
      return proposeWithLlm(req, req.llm, offline, options.port);
    },
  };
}

function levelNameOf(context: unknown): string | null {
  return isObject(context) && typeof context.levelName === 'string' ? context.levelName : null;
}

async function proposeWithLlm(req: ProposeScenarios, llm: LlmRequest, offline: AttackerMind, port: LlmPort | null): Promise<ScenariosProposed> {
  const asker = { port, llm, recorded: req.recorded, role: 'attacker' };
  const author = llmAuthor('attacker', llm.model);
  const context = readAttackerContext(req.context);
  const sizes = sizesFor(req.level, context);
  const defaults = fitToLevel(defaultParams(req.domain, req.level), req.domain, req.level, sizes);
  const references: Witness[] = context.referenceBaselines.flatMap((name) =>
    Object.prototype.hasOwnProperty.call(baselines, name) ? [{ policyId: baselinePolicyId(name), policy: baselines[name]! }] : [],
  );
  const referenceIds = new Set(references.map((w) => w.policyId));
  const witnesses = [...references, ...context.incumbents.filter((w) => !referenceIds.has(w.policyId))];

  const slots = await Promise.all(
    Array.from({ length: req.count }, async (_, k) => {
      const variant = llm.prompts[k % llm.prompts.length]!;
      const scenarioId = `s-${req.iteration}-${k}`;
      const callId = attackerCallId(req.runId, req.iteration, k);
      const check: ScenarioCheck = { req, scenarioId, seed: hashName(req.seed, `llm/scenario/${k}`), sizes, defaults, witnesses, tau: context.slaTolerance };
      const outcome = await askValid(
        asker,
        {
          callId,
          messages: attackerMessages(variant.text, {
            req,
            levelName: levelNameOf(req.context),
            sizes,
            tau: context.slaTolerance,
            referenceBaselines: context.referenceBaselines,
            defaults,
            feedback: llm.feedback,
            k,
          }),
          temperature: Math.min(2, llm.temperature + k * llm.temperatureStep),
          seed: hashName(req.seed, `llm/attacker/${k}`),
          schema: attackerAnswerSchema(),
          variantId: variant.variantId,
        },
        (answer) => validateScenarioAnswer(answer, check),
      );
      return { scenarioId, callId, variantId: variant.variantId, outcome };
    }),
  );

  const scenarios: ScenariosProposed['scenarios'] = [];
  const rejected: ScenariosProposed['rejected'] = [];
  const calls: LlmCall[] = [];
  const missing: string[] = [];
  for (const { scenarioId, callId, variantId, outcome } of slots) {
    calls.push(...outcome.calls);
    if (outcome.repaired !== null) {
      rejected.push({ author, reason: `invalid answer for ${scenarioId}, repaired`, errors: outcome.repaired.errors, raw: outcome.repaired.raw });
    }
    if (outcome.value !== null) {
      const v = outcome.value;
      scenarios.push({
        scenarioId,
        scenario: v.scenario,
        generator: { params: v.params, seed: v.seed, operators: [`prompt:${variantId}`], parent: null, promptVariant: variantId, callId } as unknown as ScenariosProposed['scenarios'][number]['generator'],
        rationale: v.rationale === '' ? v.solvability.reason : `${v.rationale}\n\n${v.solvability.reason}`,
        author,
      });
    } else {
      rejected.push({ author, reason: `no valid scenario for ${scenarioId}; the offline attacker writes it`, errors: outcome.errors, raw: outcome.raw });
      missing.push(scenarioId);
    }
  }
  if (missing.length > 0) {
    const fill = await offline.proposeScenarios({ ...req, count: missing.length });
    fill.scenarios.forEach((s, j) => {
      const scenarioId = missing[j]!;
      scenarios.push({ ...s, scenarioId, scenario: { ...s.scenario, id: scenarioId } });
    });
    rejected.push(...fill.rejected);
  }
  return { scenarios, rejected, llmCalls: calls.sort(byCallId) };
}
