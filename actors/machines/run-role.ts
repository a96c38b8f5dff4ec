// Runs a mind machine for one request and returns its reply, or throws what went wrong.
import { createActor, toPromise } from 'xstate';
import { createRoleMachine, type RoleMachineInput, type RoleMachineOutput } from './role-machine.js';

export async function runRole<Req, Rep>(
  machine: ReturnType<typeof createRoleMachine<Req, Rep>>,
  input: RoleMachineInput<Req, Rep>,
): Promise<RoleMachineOutput<Rep> & { reply: Rep }> {
  const actor = createActor(machine, { input });
  actor.start();
  const output = await toPromise(actor);
  if (output.reply === null) throw new Error(output.error ?? 'the mind gave no answer');
  return output as RoleMachineOutput<Rep> & { reply: Rep };
}

type WithRejections = { rejected: { author: string; reason: string; errors: string[]; raw: unknown }[] };

/**
 * A reply that came from the fallback mind carries the first mind's failure among its rejections, so
 * the controller records both outcomes.
 */
export function noteFallback<Rep extends WithRejections>(
  out: RoleMachineOutput<Rep> & { reply: Rep },
  first: string,
  fallback: string | null,
): Rep {
  if (out.fellBackBecause === null) return out.reply;
  const note = { author: first, reason: `fell back to ${fallback ?? 'another mind'}`, errors: [out.fellBackBecause], raw: null };
  return { ...out.reply, rejected: [...out.reply.rejected, note] };
}
