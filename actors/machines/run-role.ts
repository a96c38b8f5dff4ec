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
