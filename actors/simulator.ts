// The simulator role: evaluates every policy of a request on its scenario.
import { Evaluated, type Evaluate } from './protocol.js';
import { createRoleMachine } from './machines/role-machine.js';
import { runRole } from './machines/run-role.js';
import { evaluateRequest } from './evaluate.js';

type Reply = ReturnType<typeof Evaluated.parse>;

export const simulatorMachine = createRoleMachine<Evaluate, Reply>('simulator');

export function simulatorHandler() {
  return async (request: Evaluate): Promise<Reply> => {
    const out = await runRole(simulatorMachine, {
      request,
      think: async (r) => evaluateRequest(r),
      // Our own simulator's results: the transport checks the reply once, where it leaves the worker.
      check: (reply) => reply,
      fallback: null,
    });
    return out.reply;
  };
}
