// The transport a run uses: every role in this process (the embedded default), or the roles served by
// `aurora worker` processes reached through NATS.
import { Role } from '../../actors/protocol.js';
import { createRoleHandler, type RoleHandlerOptions } from '../../actors/handlers.js';
import { InProcessTransport } from '../transport/in-process.js';
import { NatsTransport } from '../transport/nats/nats-transport.js';
import { TransportError } from '../transport/errors.js';
import type { Handler, Transport } from '../transport/port.js';
import { CliError } from '../cli-error.js';

export interface InProcessRolesOptions {
  /** Requests the simulator takes at once (default 1). */
  simulatorConcurrency?: number;
  /** Requests the attacker and the defender take at once (default 1; an LLM run overlaps model calls). */
  mindConcurrency?: number;
  /** What the role handlers are built with (e.g. an LLM port). */
  handlers?: RoleHandlerOptions;
}

/** Every role served in this process. */
export async function openInProcess(options: InProcessRolesOptions = {}): Promise<Transport> {
  const transport = new InProcessTransport();
  for (const role of Role.options) {
    const handler = (await createRoleHandler(role, options.handlers)) as unknown as Handler<typeof role>;
    const concurrency = role === 'simulator' ? (options.simulatorConcurrency ?? 1) : (options.mindConcurrency ?? 1);
    await transport.serve(role, handler, { concurrency });
  }
  return transport;
}

export async function openTransport(natsUrl: string | undefined): Promise<Transport> {
  if (natsUrl === undefined) return openInProcess();
  try {
    return await NatsTransport.connect({ servers: natsUrl, name: 'aurora-controller' });
  } catch (err) {
    if (err instanceof TransportError) throw new CliError(err.message);
    throw err;
  }
}
