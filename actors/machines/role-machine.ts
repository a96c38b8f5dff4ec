// The protocol every role follows, as one small machine: think with the mind, check the
// answer against the role's schema, and when the mind fails or answers badly, fall back to another
// mind (the offline one behind an LLM) once. Which path was taken is part of the output, so the
// controller can record it.
import { assign, fromPromise, setup } from 'xstate';

export interface RoleMachineInput<Req, Rep> {
  request: Req;
  think: (request: Req) => Promise<Rep>;
  /** Validates a reply; throws with the reason when it is not acceptable. */
  check: (reply: Rep) => Rep;
  fallback: ((request: Req, reason: string) => Promise<Rep>) | null;
}

export interface RoleMachineOutput<Rep> {
  reply: Rep | null;
  /** Why the first mind's answer was not used, when it was not. */
  fellBackBecause: string | null;
  error: string | null;
}

interface Context<Req, Rep> extends RoleMachineInput<Req, Rep> {
  reply: Rep | null;
  reason: string | null;
  error: string | null;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createRoleMachine<Req, Rep>(id: string) {
  return setup({
    types: {
      input: {} as RoleMachineInput<Req, Rep>,
      context: {} as Context<Req, Rep>,
      output: {} as RoleMachineOutput<Rep>,
    },
    actors: {
      think: fromPromise<Rep, Context<Req, Rep>>(async ({ input }) => input.check(await input.think(input.request))),
      fallBack: fromPromise<Rep, Context<Req, Rep>>(async ({ input }) =>
        input.check(await input.fallback!(input.request, input.reason ?? 'unknown')),
      ),
    },
    guards: {
      canFallBack: ({ context }) => context.fallback !== null,
    },
    actions: {
      keepReply: assign({ reply: ({ event }) => (event as unknown as { output: Rep }).output }),
      noteReason: assign({ reason: ({ event }) => message((event as { error?: unknown }).error) }),
      noteError: assign({ error: ({ event }) => message((event as { error?: unknown }).error) }),
    },
  }).createMachine({
    id,
    context: ({ input }) => ({ ...input, reply: null, reason: null, error: null }),
    initial: 'thinking',
    states: {
      thinking: {
        invoke: {
          src: 'think',
          input: ({ context }) => context,
          onDone: { target: 'answered', actions: 'keepReply' },
          onError: [
            { guard: 'canFallBack', target: 'fallingBack', actions: 'noteReason' },
            { target: 'failed', actions: 'noteError' },
          ],
        },
      },
      fallingBack: {
        invoke: {
          src: 'fallBack',
          input: ({ context }) => context,
          onDone: { target: 'answered', actions: 'keepReply' },
          onError: { target: 'failed', actions: 'noteError' },
        },
      },
      answered: { type: 'final' },
      failed: { type: 'final' },
    },
    output: ({ context }) => ({ reply: context.reply, fellBackBecause: context.reason, error: context.error }),
  });
}
