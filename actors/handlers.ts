// The handler each role serves, in-process or in `aurora worker --role R`: the role's machine around
// its mind. Offline minds are the default; the LLM minds of a later piece of work plug in here with
// the offline mind as their fallback.
import type { ReplyOf, RequestOf, Role } from './protocol.js';
import { attackerHandler } from './attacker.js';
import { defenderHandler } from './defender.js';
import { simulatorHandler } from './simulator.js';
import { createOfflineAttacker } from './minds/attacker/offline.js';
import { createOfflineDefender } from './minds/defender/offline.js';

export type RoleHandler<R extends Role> = (request: RequestOf<R>) => Promise<ReplyOf<R>>;

export async function createRoleHandler<R extends Role>(role: R): Promise<RoleHandler<R>> {
  switch (role) {
    case 'attacker':
      return attackerHandler(createOfflineAttacker()) as unknown as RoleHandler<R>;
    case 'defender':
      return defenderHandler(createOfflineDefender()) as unknown as RoleHandler<R>;
    case 'simulator':
      return simulatorHandler() as unknown as RoleHandler<R>;
    default:
      throw new Error(`unknown role '${String(role)}'`);
  }
}
