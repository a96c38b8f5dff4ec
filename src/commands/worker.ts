// `aurora worker --role R --nats URL`: serves one role over NATS until Ctrl-C (SIGINT) or SIGTERM, then
// finishes the requests it has taken, hands over their replies, and exits 0 — or 1, with one line saying
// so, if the server could not be reached to take them. Start as many as you like, on any machine that
// reaches the server: the role's queue group shares the requests among them.
import { parseArgs } from 'node:util';
import { createRoleHandler } from '../../actors/handlers.js';
import { createOpenAiPort } from '../llm/openai-port.js';
import { Role } from '../../actors/protocol.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../cli.js';
import { TransportError } from '../transport/errors.js';
import {
  credentialsFromEnv,
  credentialsFromFile,
  describeCredentials,
  NatsConfigError,
  redactUrl,
} from '../transport/nats/credentials.js';
import { NatsTransport } from '../transport/nats/nats-transport.js';
import { queueGroup } from '../transport/nats/wire.js';
import type { Handler } from '../transport/port.js';

const DEFAULT_URL = 'nats://127.0.0.1:4222';

const help = `usage: aurora worker --role <attacker|defender|simulator> [--nats URL] [--concurrency N]
                     [--auth-file FILE] [--json]

Serves one role's requests from NATS (subject aurora.rpc.<role>, queue group aurora-<role>).
  --nats URL             server (default: $AURORA_NATS_URL or ${DEFAULT_URL})
  --concurrency N        requests run at once (default 1)
  --auth-file FILE       credentials as AURORA_NATS_…=value lines; default: the same variables from the
                         environment (AURORA_NATS_USER + AURORA_NATS_PASSWORD, AURORA_NATS_TOKEN,
                         AURORA_NATS_NKEY=seed file, or AURORA_NATS_CREDS=creds file)
  --json                 one JSON line per state change (ready, draining, stopped) on stdout
Ctrl-C or SIGTERM drains: requests already taken finish and are answered, then the worker exits 0; if the
server cannot be reached to hand the answers over, it says so and exits 1 (their requesters send those
requests again after their time-out). A second Ctrl-C exits at once (130).`;

export type HandlerFactory = (role: Role) => Handler<Role> | Promise<Handler<Role>>;

export const command: Command = {
  summary: 'serve one role (attacker, defender or simulator) over NATS',
  // One model port per worker: attacker and defender requests of an LLM run name their endpoint and
  // model, and the key comes from this worker's environment (never from the request or the log).
  run: (argv) => {
    const llm = createOpenAiPort();
    return runWorker(argv, ((role: Role) => createRoleHandler(role, { llm })) as unknown as HandlerFactory);
  },
};

/**
 * The worker loop with the handlers of `factory`. The command serves AURORA's own roles; tests pass
 * stand-in handlers through their own entry script (test/support/fixture-worker.ts), so the command
 * never loads code named on its command line.
 */
export async function runWorker(argv: string[], factory: HandlerFactory): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      role: { type: 'string' },
      nats: { type: 'string' },
      concurrency: { type: 'string' },
      'auth-file': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help + '\n');
    return 0;
  }
  const role = Role.safeParse(values.role);
  if (!role.success) throw new CliError(`--role must be one of ${Role.options.join(', ')}${values.role ? `, not '${values.role}'` : ''}`);
  const concurrency = values.concurrency === undefined ? 1 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new CliError(`--concurrency must be an integer ≥ 1, not '${values.concurrency}'`);
  const url = values.nats ?? process.env.AURORA_NATS_URL ?? DEFAULT_URL;
  const warn = (line: string) => process.stderr.write(line + '\n');

  let credentials;
  try {
    credentials = values['auth-file'] ? credentialsFromFile(values['auth-file'], warn) : credentialsFromEnv();
  } catch (err) {
    if (err instanceof NatsConfigError) throw new CliError(err.message);
    throw err;
  }
  let handler: Handler<Role>;
  try {
    handler = await factory(role.data);
  } catch (err) {
    throw new CliError((err as Error).message, 1);
  }

  const say = (event: string, human: string, extra: Record<string, unknown> = {}) => {
    if (values.json) process.stdout.write(JSON.stringify({ event, role: role.data, ...extra }) + '\n');
    else process.stdout.write(`aurora worker: ${human}\n`);
  };

  let transport: NatsTransport;
  try {
    transport = await NatsTransport.connect({ servers: url, credentials, name: `aurora-worker-${role.data}` });
  } catch (err) {
    if (err instanceof TransportError) throw new CliError(err.message, 1);
    throw err;
  }
  // Listen before serving, so a signal that comes early still drains.
  let stopping: NodeJS.Signals | undefined;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`aurora worker: ${signal} again; exiting without draining\n`);
      process.exit(130);
    }
    stopping = signal;
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    let served;
    try {
      served = await transport.serve(role.data, handler, { concurrency });
    } catch (err) {
      if (err instanceof TransportError) throw new CliError(err.message, 1);
      throw err;
    }
    say(
      'ready',
      `serving ${role.data} on ${redactUrl(url)} with ${describeCredentials(credentials)} as ${served.id} ` +
        `(queue ${queueGroup(role.data)}, concurrency ${concurrency}); Ctrl-C drains and stops`,
      { worker: served.id, server: redactUrl(url), concurrency },
    );
    const lost = transport.connection.closed().then((err) => err ?? new Error('connection closed'));
    const outcome = await Promise.race([stopped.then(() => null), lost]);
    if (outcome instanceof Error) throw new CliError(`lost the NATS connection for good: ${outcome.message}`, 1);
    say('draining', `${stopping}: finishing the requests already taken`, { signal: stopping });
    await served.drain();
    await transport.close();
    if (served.handedOver() === false) {
      // Bounded whatever the server does: the drain waits for it a few seconds at most, then we stop without it.
      process.stderr.write(
        `aurora worker: ${stopping}: the NATS server at ${redactUrl(url)} could not be reached; answers written since it went away ` +
          `may not have reached their requesters, which send those requests again after their time-out; stopped without it\n`,
      );
      say('stopped', 'stopped without the server', { handedOver: false });
      return 1;
    }
    say('stopped', 'stopped', { handedOver: true });
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await transport.close();
  }
}
