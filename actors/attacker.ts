// The attacker role: a mind machine whose answers must be scenarios that validate.
import { ScenariosProposed, type ProposeScenarios } from './protocol.js';
import { createRoleMachine } from './machines/role-machine.js';
import { runRole } from './machines/run-role.js';
import type { AttackerMind } from './minds/ports.js';

type Reply = ReturnType<typeof ScenariosProposed.parse>;

export const attackerMachine = createRoleMachine<ProposeScenarios, Reply>('attacker');

export function attackerHandler(mind: AttackerMind, fallback: AttackerMind | null = null) {
  return async (request: ProposeScenarios): Promise<Reply> => {
    const out = await runRole(attackerMachine, {
      request,
      think: (r) => mind.proposeScenarios(r),
      check: (reply) => ScenariosProposed.parse(reply),
      fallback: fallback === null ? null : (r) => fallback.proposeScenarios(r),
    });
    if (out.fellBackBecause === null) return out.reply;
    // The first mind's failure is part of the answer, so the controller records it.
    return {
      ...out.reply,
      rejected: [...out.reply.rejected, { author: mind.name, reason: 'fell back to ' + fallback!.name, errors: [out.fellBackBecause], raw: null }],
    };
  };
}
