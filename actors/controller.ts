// The controller: one XState machine per iteration. It asks the attacker for scenarios, the defender
// for candidates on each scenario, the simulator for every evaluation, then records the outcome in its
// canonical order and appends it as one batch. The machine is the protocol; the work is in the invoked
// actors, and every decision is a pure function of the run's events and the replies.
import { assign, fromPromise, setup } from 'xstate';
import type { AuroraEvent } from '../events/catalogue.js';
import type { EventStore } from '../events/store.js';
import type { ReplyOf, RequestOf } from './protocol.js';
import type { Requester } from './requester.js';
import type { RunConfig } from './run-config.js';
import { EventRecorder } from './event-recorder.js';
import type { RunProjections } from './run-projections.js';
import { recordIteration, type IterationAnswers } from './iteration-outcome.js';
import { buildDefenderRequests, buildEvaluationRequests, joinEvaluations } from './iteration-requests.js';

export interface IterationInput {
  runId: string;
  iteration: number;
  config: RunConfig;
  requester: Requester;
  store: EventStore;
  stream: string;
  /** Revision of the stream's last event before this iteration. */
  revision: number;
  projections: RunProjections;
  /** The attacker's request, built by the run from its projections. */
  attackerRequest: RequestOf<'attacker'>;
  /** Seed of the run: defender seeds derive from it by scenario. */
  seed: number;
  /** The rated policies the defender breeds from, and its search state. */
  population: RequestOf<'defender'>['population'];
  defenderSearch: RequestOf<'defender'>['search'];
  /** Reference baselines and incumbents evaluated on every scenario. */
  standing: { policyId: string; policy: RequestOf<'simulator'>['policies'][number]['policy'] }[];
  baselineIds: string[];
  /** Simulator requests per scenario (default 1): how the evaluations are spread, never what they give. */
  evaluationParts?: number;
}

export interface IterationOutput {
  events: AuroraEvent[];
  revision: number;
  evaluations: number;
  /** Why the iteration stopped short; nothing was appended then. */
  error: string | null;
}

interface IterationContext extends IterationInput {
  scenarios: ReplyOf<'attacker'> | null;
  candidates: IterationAnswers['candidates'];
  evaluations: ReplyOf<'simulator'>[];
  events: AuroraEvent[];
  error: string | null;
}

const requestOptions = (config: RunConfig) => ({ timeoutMs: config.timeouts.requestMs, retries: config.timeouts.retries });

export const iterationMachine = setup({
  types: {
    input: {} as IterationInput,
    context: {} as IterationContext,
    output: {} as IterationOutput,
  },
  actors: {
    proposeScenarios: fromPromise<ReplyOf<'attacker'>, IterationContext>(({ input }) =>
      input.requester.request('attacker', input.attackerRequest, requestOptions(input.config)),
    ),
    proposePolicies: fromPromise<IterationAnswers['candidates'], IterationContext>(async ({ input }) => {
      const requests = buildDefenderRequests(input, input.scenarios!.scenarios);
      const replies = await Promise.all(
        requests.map((r) => input.requester.request('defender', r, requestOptions(input.config))),
      );
      return requests.map((r, i) => ({
        scenarioId: r.scenarioId,
        policies: replies[i]!.policies,
        rejected: replies[i]!.rejected,
        ...(replies[i]!.llmCalls ? { llmCalls: replies[i]!.llmCalls } : {}),
      }));
    }),
    evaluate: fromPromise<ReplyOf<'simulator'>[], IterationContext>(async ({ input }) => {
      const requests = buildEvaluationRequests(input, input.scenarios!.scenarios, input.candidates);
      return joinEvaluations(await Promise.all(requests.map((r) => input.requester.request('simulator', r, requestOptions(input.config)))));
    }),
    decide: fromPromise<AuroraEvent[], IterationContext>(async ({ input }) => {
      const recorder = new EventRecorder(input.runId, input.iteration, `iteration-${input.runId}-${input.iteration}`, (e) =>
        input.projections.apply(e),
      );
      recordIteration(recorder, input.projections, input.config, input.runId, input.iteration, {
        scenarios: input.scenarios?.scenarios ?? [],
        scenarioRejections: input.scenarios?.rejected ?? [],
        scenarioLlmCalls: input.scenarios?.llmCalls ?? [],
        candidates: input.candidates,
        evaluations: input.evaluations,
        baselineIds: input.baselineIds,
      });
      return recorder.events;
    }),
    append: fromPromise<number, IterationContext>(async ({ input }) => {
      const result = await input.store.appendToStream(input.stream, input.events, { expected: input.revision });
      return result.nextRevision;
    }),
  },
  guards: {
    hasScenarios: ({ context }) => (context.scenarios?.scenarios.length ?? 0) > 0,
  },
  actions: {
    rememberError: assign({ error: ({ event }) => String((event as { error?: unknown }).error) }),
  },
}).createMachine({
  id: 'iteration',
  context: ({ input }) => ({ ...input, scenarios: null, candidates: [], evaluations: [], events: [], error: null }),
  initial: 'proposingScenarios',
  states: {
    proposingScenarios: {
      invoke: {
        src: 'proposeScenarios',
        input: ({ context }) => context,
        onDone: { target: 'checkingScenarios', actions: assign({ scenarios: ({ event }) => event.output }) },
        onError: { target: 'failed', actions: 'rememberError' },
      },
    },
    checkingScenarios: {
      always: [{ guard: 'hasScenarios', target: 'proposingPolicies' }, { target: 'deciding' }],
    },
    proposingPolicies: {
      invoke: {
        src: 'proposePolicies',
        input: ({ context }) => context,
        onDone: { target: 'evaluating', actions: assign({ candidates: ({ event }) => event.output }) },
        onError: { target: 'failed', actions: 'rememberError' },
      },
    },
    evaluating: {
      invoke: {
        src: 'evaluate',
        input: ({ context }) => context,
        onDone: { target: 'deciding', actions: assign({ evaluations: ({ event }) => event.output }) },
        onError: { target: 'failed', actions: 'rememberError' },
      },
    },
    deciding: {
      invoke: {
        src: 'decide',
        input: ({ context }) => context,
        onDone: { target: 'appending', actions: assign({ events: ({ event }) => event.output }) },
        onError: { target: 'failed', actions: 'rememberError' },
      },
    },
    appending: {
      invoke: {
        src: 'append',
        input: ({ context }) => context,
        onDone: { target: 'completed', actions: assign({ revision: ({ event }) => event.output }) },
        onError: { target: 'failed', actions: 'rememberError' },
      },
    },
    completed: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => ({
    events: context.error === null ? context.events : [],
    revision: context.revision,
    evaluations: context.evaluations.reduce((n, e) => n + e.results.length, 0),
    error: context.error,
  }),
});
