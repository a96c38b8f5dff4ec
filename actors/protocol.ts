// The messages the controller exchanges with the attacker, defender and simulator roles. Workers are
// stateless: a request carries everything its answer depends on (including the seed), so any worker,
// in-process or on another machine, gives the same answer, and a run replays exactly.
// Every message is validated at the transport boundary; one that does not validate is rejected.
import { z } from 'zod';
import { Scenario } from '../sim/scenario.js';
import { PolicyDocument } from '../sim/policy/document.js';
import { MetricsData, ScoresData } from '../events/catalogue.js';
import { LlmRequest } from './minds/llm/settings.js';
import { LlmCall, RecordedCalls } from './minds/llm/records.js';

export const Role = z.enum(['attacker', 'defender', 'simulator']);
export type Role = z.infer<typeof Role>;

const seed = () => z.number().int().min(0).max(2 ** 32 - 1);
const finite = () => z.number().refine(Number.isFinite, { message: 'must be a finite number' });

export const RatedPolicy = z
  .object({ policyId: z.string().min(1), policy: PolicyDocument, rating: finite(), evaluations: z.number().int().min(0) })
  .strict();
export type RatedPolicy = z.infer<typeof RatedPolicy>;

// ── attacker ────────────────────────────────────────────────────────────────────────────────────
export const ProposeScenarios = z
  .object({
    runId: z.string().min(1),
    iteration: z.number().int().min(0),
    level: z.number().int().min(1).max(10),
    domain: z.enum(['cloud', 'edge', 'network', 'hybrid']),
    count: z.number().int().min(1),
    seed: seed(),
    /** The attacker's search state (generator parameters that scored well, operator rates), as data. */
    search: z.json(),
    /** Recent solve rates and weak areas, for the attacker's prompt or search. */
    context: z.json(),
    /** Present when an LLM writes the scenarios: model, prompt variants, feedback (no secret). */
    llm: LlmRequest.optional(),
    /** Recorded answers by call id (replay, resume): used instead of calling the model. */
    recorded: RecordedCalls.optional(),
  })
  .strict();
export type ProposeScenarios = z.infer<typeof ProposeScenarios>;

export const ProposedScenario = z
  .object({
    scenarioId: z.string().min(1),
    scenario: Scenario,
    generator: z.json().nullable(),
    rationale: z.string(),
    author: z.string().min(1),
  })
  .strict();

export const ScenariosProposed = z
  .object({
    scenarios: z.array(ProposedScenario),
    rejected: z.array(z.object({ author: z.string(), reason: z.string(), errors: z.array(z.string()), raw: z.json().nullable() }).strict()),
    /** The model calls made for this answer, sorted by call id: the controller records them as LlmCalled. */
    llmCalls: z.array(LlmCall).optional(),
  })
  .strict();
export type ScenariosProposed = z.infer<typeof ScenariosProposed>;

// ── defender ────────────────────────────────────────────────────────────────────────────────────
export const ProposePolicies = z
  .object({
    runId: z.string().min(1),
    iteration: z.number().int().min(0),
    scenarioId: z.string().min(1),
    /** A statistical summary of the scenario, not its raw tasks. */
    scenarioSummary: z.json(),
    population: z.array(RatedPolicy),
    count: z.number().int().min(1),
    seed: seed(),
    /** The defender's search state (operator rates, islands), as data. */
    search: z.json(),
    /** Present when an LLM writes the policies: model, prompt variants (no secret). */
    llm: LlmRequest.optional(),
    /** Recorded answers by call id (replay, resume): used instead of calling the model. */
    recorded: RecordedCalls.optional(),
  })
  .strict();
export type ProposePolicies = z.infer<typeof ProposePolicies>;

export const ProposedPolicy = z
  .object({
    policyId: z.string().min(1),
    policy: PolicyDocument,
    parents: z.array(z.string()),
    operator: z.string(),
    rationale: z.string(),
    author: z.string().min(1),
  })
  .strict();

export const PoliciesProposed = z
  .object({
    policies: z.array(ProposedPolicy),
    rejected: z.array(z.object({ author: z.string(), reason: z.string(), errors: z.array(z.string()), raw: z.json().nullable() }).strict()),
    /** The model calls made for this answer, sorted by call id: the controller records them as LlmCalled. */
    llmCalls: z.array(LlmCall).optional(),
  })
  .strict();
export type PoliciesProposed = z.infer<typeof PoliciesProposed>;

// ── simulator ───────────────────────────────────────────────────────────────────────────────────
export const Evaluate = z
  .object({
    scenarioId: z.string().min(1),
    scenario: Scenario,
    policies: z.array(z.object({ policyId: z.string().min(1), policy: PolicyDocument }).strict()).min(1),
    slaTolerance: finite().describe('τ: the largest SLA-violation rate that still counts as solved'),
  })
  .strict();
export type Evaluate = z.infer<typeof Evaluate>;

export const EvaluationResult = z
  .object({
    policyId: z.string().min(1),
    metrics: MetricsData,
    scores: ScoresData,
    reward: finite(),
    failure: z.string().nullable(),
  })
  .strict();

export const Evaluated = z.object({ scenarioId: z.string().min(1), results: z.array(EvaluationResult) }).strict();
export type Evaluated = z.infer<typeof Evaluated>;

/** The subject and schemas of each role's one request kind. */
export const roleProtocol = {
  attacker: { request: ProposeScenarios, reply: ScenariosProposed },
  defender: { request: ProposePolicies, reply: PoliciesProposed },
  simulator: { request: Evaluate, reply: Evaluated },
} as const;

export type RequestOf<R extends Role> = z.infer<(typeof roleProtocol)[R]['request']>;
export type ReplyOf<R extends Role> = z.infer<(typeof roleProtocol)[R]['reply']>;
