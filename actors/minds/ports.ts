// The ports through which the attacker and defender machines invoke their thinking. A mind is
// stateless: everything an answer depends on (seed and search state included) is in the request, so
// the same request gives the same reply, byte for byte, in any process. Offline and LLM minds
// implement the same interfaces, so the machines never know which one they run.
import type { PoliciesProposed, ProposePolicies, ProposeScenarios, ScenariosProposed } from '../protocol.js';

export interface AttackerMind {
  /** Who writes the scenarios, recorded as their author: e.g. attacker:offline. */
  readonly name: string;
  proposeScenarios(req: ProposeScenarios): Promise<ScenariosProposed>;
}

export interface DefenderMind {
  /** Who writes the policies, recorded as their author: e.g. defender:offline. */
  readonly name: string;
  proposePolicies(req: ProposePolicies): Promise<PoliciesProposed>;
}
