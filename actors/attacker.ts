// The attacker role: a mind machine whose answers must be scenarios that validate.
import { ScenariosProposed, type ProposeScenarios } from './protocol.js';
import { createRoleMachine } from './machines/role-machine.js';
import { noteFallback, runRole } from './machines/run-role.js';
import { replyCheck } from './machines/reply-check.js';
import type { AttackerMind } from './minds/ports.js';

type Reply = ReturnType<typeof ScenariosProposed.parse>;

const checkScenariosProposed = replyCheck(ScenariosProposed);

export const attackerMachine = createRoleMachine<ProposeScenarios, Reply>('attacker');

export function attackerHandler(mind: AttackerMind, fallback: AttackerMind | null = null) {
  return async (request: ProposeScenarios): Promise<Reply> => {
    const out = await runRole(attackerMachine, {
      request,
      think: (r) => mind.proposeScenarios(r),
      check: checkScenariosProposed,
      fallback: fallback === null ? null : (r) => fallback.proposeScenarios(r),
    });
    return noteFallback(out, mind.name, fallback?.name ?? null);
  };
}
