// The handler each role serves, in-process or in `aurora worker --role R`: the role's machine around
// its mind. Offline minds are the default; the LLM minds of a later piece of work plug in here with
// the offline mind as their fallback.
import type { ReplyOf, RequestOf, Role } from './protocol.js';
import { attackerHandler } from './attacker.js';
import { defenderHandler } from './defender.js';
import { simulatorHandler } from './simulator.js';
import { createOfflineAttacker } from './minds/attacker/offline.js';
import { createOfflineDefender } from './minds/defender/offline.js';
import { createLlmAttacker } from './minds/llm/attacker.js';
import { createLlmDefender } from './minds/llm/defender.js';
import type { LlmPort } from './minds/llm/port.js';

export type RoleHandler<R extends Role> = (request: RequestOf<R>) => Promise<ReplyOf<R>>;

export interface RoleHandlerOptions {
  /**
   * How this process reaches a model. A request that carries `llm` is answered by the LLM mind (the
   * offline mind writing whatever the model does not); one without goes to the offline mind. Without a
   * port, LLM requests are still answered: from their recorded calls (replay), else by the offline mind.
   */
  llm?: LlmPort | null;
}

export async function createRoleHandler<R extends Role>(role: R, options: RoleHandlerOptions = {}): Promise<RoleHandler<R>> {
  const port = options.llm ?? null;
  switch (role) {
    case 'attacker':
      return attackerHandler(createLlmAttacker(createOfflineAttacker(), { port })) as unknown as RoleHandler<R>;
    case 'defender':
      return defenderHandler(createLlmDefender(createOfflineDefender(), { port })) as unknown as RoleHandler<R>;
    case 'simulator':
      return simulatorHandler() as unknown as RoleHandler<R>;
    default:
      throw new Error(`unknown role '${String(role)}'`);
  }
}
