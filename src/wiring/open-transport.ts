// The transport a run uses: every role in this process (the embedded default), or the roles served by
// `aurora worker` processes reached through NATS.
import { Role } from '../../actors/protocol.js';
import { createRoleHandler } from '../../actors/handlers.js';
import { InProcessTransport } from '../transport/in-process.js';
import { NatsTransport } from '../transport/nats/nats-transport.js';
import { TransportError } from '../transport/errors.js';
import type { Handler, Transport } from '../transport/port.js';
import { CliError } from '../cli-error.js';

/** In-process: one handler per role; the simulator gets one per core it may use. */
export async function openInProcess(options: { simulatorConcurrency?: number } = {}): Promise<Transport> {
  const transport = new InProcessTransport();
  for (const role of Role.options) {
    const handler = (await createRoleHandler(role)) as unknown as Handler<typeof role>;
    await transport.serve(role, handler, { concurrency: role === 'simulator' ? (options.simulatorConcurrency ?? 1) : 1 });
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
