// The defender role: a mind machine whose answers must be policies that validate.
import { PoliciesProposed, type ProposePolicies } from './protocol.js';
import { createRoleMachine } from './machines/role-machine.js';
import { noteFallback, runRole } from './machines/run-role.js';
import { replyCheck } from './machines/reply-check.js';
import type { DefenderMind } from './minds/ports.js';

type Reply = ReturnType<typeof PoliciesProposed.parse>;

const checkPoliciesProposed = replyCheck(PoliciesProposed);

export const defenderMachine = createRoleMachine<ProposePolicies, Reply>('defender');

export function defenderHandler(mind: DefenderMind, fallback: DefenderMind | null = null) {
  return async (request: ProposePolicies): Promise<Reply> => {
    const out = await runRole(defenderMachine, {
      request,
      think: (r) => mind.proposePolicies(r),
      check: checkPoliciesProposed,
      fallback: fallback === null ? null : (r) => fallback.proposePolicies(r),
    });
    return noteFallback(out, mind.name, fallback?.name ?? null);
  };
}
