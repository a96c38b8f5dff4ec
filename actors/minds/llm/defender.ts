// The LLM defender: for each of the request's N candidates, one prompt (the k-th kept prompt variant) at
// a rising temperature, answered with a policy in the policy language plus its rationale. The answer
// must be a policy document that compiles (sim/policy/compile.ts); an invalid one is repaired once with
// the compiler's errors, and a candidate still without a valid policy is written by the offline mind
// instead, under the same id. Every call, every rejection and every replacement is in the reply, so the
// controller records all of it. A request without `llm` goes to the offline mind unchanged.
import type { PoliciesProposed, ProposePolicies } from '../../protocol.js';
import { compilePolicy } from '../../../sim/policy/compile.js';
import type { PolicyDocument } from '../../../sim/policy/document.js';
import { hashName } from '../../../sim/random.js';
import type { DefenderMind } from '../ports.js';
import { askValid, type Validation } from './conversation.js';
import type { LlmPort } from './port.js';
import { DEFENDER_ANSWER_SCHEMA, defenderMessages, topPolicies } from './prompts/defender.js';
import { byCallId, defenderCallId, type LlmCall } from './records.js';
import type { LlmRequest } from './settings.js';

export const LLM_DEFENDER = 'defender:llm';
/** Rationales longer than this are cut before they are recorded. */
export const MAX_RATIONALE = 10_000;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export interface PolicyAnswer {
  policy: PolicyDocument;
  rationale: string;
  basedOn: string | null;
}

/**
 * Checks a defender answer: {rationale, basedOn, policy: {explain, order, filter, score, admit}} (a bare
 * policy document is accepted too). The name and author are AURORA's; null optional fields are absent.
 */
export function validatePolicyAnswer(
  answer: Record<string, unknown>,
  ctx: { policyId: string; author: string; known: ReadonlySet<string> },
): Validation<PolicyAnswer> {
  const bare = !isObject(answer.policy) && typeof answer.score === 'string';
  const given = bare ? answer : answer.policy;
  if (!isObject(given)) return { ok: false, errors: ['the answer needs a "policy" object with at least a "score" expression'] };
  const rationale = typeof answer.rationale === 'string' ? answer.rationale : typeof given.explain === 'string' ? given.explain : '';
  const doc: Record<string, unknown> = {};
  for (const key of Object.keys(given).sort()) {
    if (given[key] === null) continue;
    if (bare && (key === 'rationale' || key === 'basedOn')) continue;
    doc[key] = given[key];
  }
  doc.name = ctx.policyId;
  doc.author = ctx.author;
  if (typeof doc.explain !== 'string' || doc.explain.trim() === '') doc.explain = rationale;
  if (typeof doc.explain === 'string') doc.explain = cut(doc.explain, 10_000);
  try {
    const program = compilePolicy(doc);
    const basedOn = typeof answer.basedOn === 'string' && ctx.known.has(answer.basedOn) ? answer.basedOn : null;
    return { ok: true, value: { policy: program.document, rationale: cut(rationale, MAX_RATIONALE), basedOn } };
  } catch (err) {
    return { ok: false, errors: [(err as Error).message] };
  }
}

export const llmAuthor = (role: 'attacker' | 'defender', model: string) => `${role}:llm:${model}`;

export interface LlmMindOptions {
  port: LlmPort | null;
}

export function createLlmDefender(offline: DefenderMind, options: LlmMindOptions): DefenderMind {
  return {
    name: LLM_DEFENDER,
    proposePolicies(req: ProposePolicies): Promise<PoliciesProposed> {
      if (req.llm === undefined) return offline.proposePolicies(req);
      return proposeWithLlm(req, req.llm, offline, options.port);
    },
  };
}

async function proposeWithLlm(req: ProposePolicies, llm: LlmRequest, offline: DefenderMind, port: LlmPort | null): Promise<PoliciesProposed> {
  const asker = { port, llm, recorded: req.recorded, role: 'defender' };
  const author = llmAuthor('defender', llm.model);
  const top = topPolicies(req.population, llm.topPolicies);
  const known = new Set(req.population.map((p) => p.policyId));
  const slots = await Promise.all(
    Array.from({ length: req.count }, async (_, k) => {
      const variant = llm.prompts[k % llm.prompts.length]!;
      const policyId = `p-${req.iteration}-${req.scenarioId}-${k}`;
      const outcome = await askValid(
        asker,
        {
          callId: defenderCallId(req.runId, req.iteration, req.scenarioId, k),
          messages: defenderMessages(variant.text, req, top, k),
          temperature: Math.min(2, llm.temperature + k * llm.temperatureStep),
          seed: hashName(req.seed, `llm/defender/${k}`),
          schema: DEFENDER_ANSWER_SCHEMA,
          variantId: variant.variantId,
        },
        (answer) => validatePolicyAnswer(answer, { policyId, author, known }),
      );
      return { policyId, variantId: variant.variantId, outcome };
    }),
  );

  const policies: PoliciesProposed['policies'] = [];
  const rejected: PoliciesProposed['rejected'] = [];
  const calls: LlmCall[] = [];
  const missing: string[] = [];
  for (const { policyId, variantId, outcome } of slots) {
    calls.push(...outcome.calls);
    if (outcome.repaired !== null) {
      rejected.push({ author, reason: `invalid answer for ${policyId}, repaired`, errors: outcome.repaired.errors, raw: outcome.repaired.raw });
    }
    if (outcome.value !== null) {
      const v = outcome.value;
      policies.push({ policyId, policy: v.policy, parents: v.basedOn === null ? [] : [v.basedOn], operator: `prompt:${variantId}`, rationale: v.rationale, author });
    } else {
      rejected.push({ author, reason: `no valid policy for ${policyId}; the offline mind writes it`, errors: outcome.errors, raw: outcome.raw });
      missing.push(policyId);
    }
  }
  if (missing.length > 0) {
    // The offline mind numbers its children from 0; each takes the id of a candidate the model missed.
    const fill = await offline.proposePolicies({ ...req, count: missing.length });
    fill.policies.forEach((p, j) => {
      const policyId = missing[j]!;
      policies.push({ ...p, policyId, policy: { ...p.policy, name: policyId } });
    });
    rejected.push(...fill.rejected);
  }
  return { policies, rejected, llmCalls: calls.sort(byCallId) };
}
