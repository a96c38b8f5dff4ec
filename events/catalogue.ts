// Every event AURORA records, in one place: a discriminated union of {type, data, metadata}.
// Each type has a zod schema for its data and a schemaVersion; older versions are read through
// upcasters (events/upcasters.ts). Events hold plain JSON data only: no Map, Set, undefined, NaN or
// Infinity (the codec refuses them), so optional fields are null rather than absent.
import { z } from 'zod';
import { Scenario } from '../sim/scenario.js';
import { PolicyDocument } from '../sim/policy/document.js';

const finite = () => z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const count = () => z.number().int().min(0);
const json = z.json();

export const EventMetadata = z
  .object({
    runId: z.string().min(1),
    iteration: count().describe('0 for events before the first iteration'),
    eventId: z.string().min(1).describe('unique and deterministic: the same run replayed gives the same ids'),
    causationId: z.string().nullable().describe('event id of the event that caused this one'),
    correlationId: z.string().nullable().describe('id shared by every event of one piece of work (an iteration)'),
    schemaVersion: z.number().int().min(1),
  })
  .strict();
export type EventMetadata = z.infer<typeof EventMetadata>;

export const MetricsData = z
  .object({
    tasks: count(),
    completed: count(),
    dropped: count(),
    avgLatency: finite(),
    p95Latency: finite(),
    slaViolations: count(),
    slaViolationRate: finite(),
    utilisation: finite(),
    cost: finite(),
    energy: finite(),
    nodesUsed: count(),
    killed: count(),
    makespan: finite(),
    events: count(),
  })
  .strict();

export const ScoresData = z
  .object({ latency: finite(), cost: finite(), energy: finite(), qos: finite(), utilisation: finite() })
  .strict();

const Author = z.string().min(1).describe('who wrote it: e.g. attacker:offline, defender:llm:<model>, baseline');

/** The data schema and current version of every event type. */
export const eventSchemas = {
  RunStarted: {
    version: 1,
    data: z
      .object({
        runId: z.string().min(1),
        seed: count(),
        config: json.describe('the complete, resolved run configuration'),
        codeVersion: z.string().describe('AURORA version and commit that wrote the run'),
        mind: z.enum(['offline', 'llm']),
      })
      .strict(),
  },
  ScenarioProposed: {
    version: 1,
    data: z
      .object({
        scenarioId: z.string().min(1),
        scenario: Scenario,
        level: z.number().int().min(1).max(10),
        generator: json.nullable().describe('generator parameters and seed, when a generator made it'),
        author: Author,
        rationale: z.string(),
      })
      .strict(),
  },
  ScenarioRejected: {
    version: 1,
    data: z
      .object({
        scenarioId: z.string().nullable(),
        author: Author,
        reason: z.string(),
        errors: z.array(z.string()),
        raw: json.nullable().describe('what was proposed, as data'),
      })
      .strict(),
  },
  PolicyProposed: {
    version: 1,
    data: z
      .object({
        policyId: z.string().min(1),
        policy: PolicyDocument,
        parents: z.array(z.string()),
        operator: z.string().describe('baseline, mutate:<kind>, crossover, prompt:<variant>, …'),
        author: Author,
        rationale: z.string(),
        scenarioId: z.string().nullable().describe('the scenario it was written for, if any'),
      })
      .strict(),
  },
  PolicyRejected: {
    version: 1,
    data: z
      .object({
        policyId: z.string().nullable(),
        author: Author,
        reason: z.string(),
        errors: z.array(z.string()),
        raw: json.nullable(),
      })
      .strict(),
  },
  PolicyImported: {
    version: 1,
    data: z
      .object({
        policyId: z.string().min(1),
        policy: PolicyDocument,
        source: json.describe('where it came from: run id and policy id, a file, or the shipped library'),
        rating: finite().nullable(),
      })
      .strict(),
  },
  EvaluationCompleted: {
    version: 1,
    data: z
      .object({
        evaluationId: z.string().min(1),
        policyId: z.string().min(1),
        scenarioId: z.string().min(1),
        metrics: MetricsData,
        scores: ScoresData,
        reward: finite(),
        solved: z.boolean(),
        failure: z.string().nullable().describe('the policy fault that stopped the simulation, if any'),
      })
      .strict(),
  },
  MatchPlayed: {
    version: 2,
    data: z
      .object({
        matchId: z.string().min(1).describe('the round: m-<iteration>-<scenarioId>'),
        scenarioId: z.string().min(1),
        players: z.array(z.string().min(1)).min(2).describe('the policies evaluated on the scenario, in policy-id order'),
        rewards: z.array(finite()).describe("each player's reward on the scenario, in players' order"),
        outcomes: z
          .array(z.union([z.literal(1), z.literal(0.5), z.literal(0)]))
          .describe("one game per pair i < j of players, row by row ((0,1), (0,2), …, (1,2), …): player i's score, 1 win, 0.5 draw, 0 loss"),
      })
      .strict()
      .refine((d) => d.rewards.length === d.players.length && d.outcomes.length === (d.players.length * (d.players.length - 1)) / 2, {
        message: 'a round of n players has n rewards and n·(n − 1)/2 outcomes',
      }),
  },
  RatingChanged: {
    version: 1,
    data: z
      .object({
        policyId: z.string().min(1),
        matchId: z.string().min(1),
        before: finite(),
        after: finite(),
      })
      .strict(),
  },
  AttackerRewarded: {
    version: 1,
    data: z
      .object({
        scenarioId: z.string().min(1),
        solveRate: finite(),
        learnability: finite(),
        novelty: finite(),
        closeness: finite(),
        reward: finite(),
      })
      .strict(),
  },
  CurriculumAdvanced: {
    version: 1,
    data: z
      .object({
        from: z.number().int().min(0),
        to: z.number().int().min(0),
        successRate: finite(),
        window: count(),
      })
      .strict(),
  },
  PromptEvolved: {
    version: 1,
    data: z
      .object({
        role: z.enum(['attacker', 'defender', 'evolver', 'transfer']),
        variantId: z.string().min(1),
        parentId: z.string().nullable(),
        prompt: z.string(),
        score: finite().nullable(),
        kept: z.array(z.string()).describe('variant ids kept for this role after this change'),
      })
      .strict(),
  },
  OperatorsEvolved: {
    version: 1,
    data: z
      .object({
        role: z.enum(['attacker', 'defender']),
        before: json,
        after: json,
        evidence: json.describe('the measured outcomes the change was based on'),
      })
      .strict(),
  },
  LlmCalled: {
    version: 1,
    data: z
      .object({
        callId: z.string().min(1),
        role: z.string().min(1),
        model: z.string().min(1),
        parameters: json,
        prompt: json.describe('the messages sent'),
        answer: z.string().nullable(),
        error: z.string().nullable(),
        usage: z.object({ prompt: count(), completion: count(), total: count() }).strict(),
        cost: finite(),
        latencyMs: finite().describe('information only: no decision reads it'),
      })
      .strict(),
  },
  IterationCompleted: {
    version: 1,
    data: z
      .object({
        iteration: count(),
        level: z.number().int().min(0),
        evaluations: count(),
        bestReward: finite(),
        leader: z.string().nullable(),
        leaderRating: finite().nullable(),
      })
      .strict(),
  },
  RunCompleted: {
    version: 1,
    data: z
      .object({
        iterations: count(),
        champion: z.string().nullable(),
        summary: json,
      })
      .strict(),
  },
  RunStopped: {
    version: 1,
    data: z
      .object({
        iteration: count(),
        reason: z.enum(['budget', 'interrupted', 'error', 'requested']),
        detail: z.string(),
      })
      .strict(),
  },
} as const;

export type EventType = keyof typeof eventSchemas;
export const eventTypes = Object.keys(eventSchemas).sort() as EventType[];

export type EventData<T extends EventType> = z.infer<(typeof eventSchemas)[T]['data']>;

/** One AURORA event: the discriminated union over every type. */
export type AuroraEvent = {
  [T in EventType]: { type: T; data: EventData<T>; metadata: EventMetadata };
}[EventType];

export type EventOf<T extends EventType> = Extract<AuroraEvent, { type: T }>;

/**
 * MatchPlayed version 1 was one game between two policies, {a, b, outcome, rewardA, rewardB}: read
 * as a round of those two players (registered in events/upcasters.ts).
 */
export function matchPlayedV1ToV2(data: unknown): unknown {
  const { matchId, scenarioId, a, b, outcome, rewardA, rewardB } = data as Record<string, unknown>;
  return { matchId, scenarioId, players: [a, b], rewards: [rewardA, rewardB], outcomes: [outcome] };
}

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventSchemas, type);
}
