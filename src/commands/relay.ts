// `aurora relay --store URL --nats URL`: relays every committed event to NATS JetStream (stream
// AURORA_EVENTS, subjects aurora.events.<runId>.<EventType>) until Ctrl-C, then drains and exits.
import { parseArgs } from 'node:util';
import { DEFAULT_STORE_URL, openStore, StoreUrlError } from '../../events/open-store.js';
import { EventRelay } from '../../events/relay/relay.js';
import { relayStream } from '../../events/relay/subjects.js';
import { CliError } from '../cli-error.js';
import {
  connectionAuth,
  credentialsFromEnv,
  credentialsFromFile,
  describeCredentials,
  NatsConfigError,
  redactUrl,
} from '../transport/nats/credentials.js';
import type { Command } from '../cli.js';

const defaultNats = 'nats://127.0.0.1:4222';

const help = `usage: aurora relay [--store URL] [--nats URL] [--stream NAME] [--auth-file FILE] [--json]

Publishes every event of the store (default ${DEFAULT_STORE_URL}), in order, to the JetStream stream
${relayStream} on the NATS server (default ${defaultNats}, or $NATS_URL), creating the stream when missing,
and keeps following the store until Ctrl-C; then waits for the last acknowledgements and exits.
It resumes after the last event the stream holds: restart it at will, no event is sent twice.
Credentials (the 'relay' user of nats.conf): AURORA_NATS_USER + AURORA_NATS_PASSWORD, AURORA_NATS_TOKEN,
AURORA_NATS_NKEY or AURORA_NATS_CREDS from the environment, or the same lines in --auth-file.
--json prints the final status as JSON.`;

export const command: Command = {
  summary: 'relay committed events to NATS JetStream until Ctrl-C',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        store: { type: 'string' },
        nats: { type: 'string' },
        stream: { type: 'string' },
        'auth-file': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(help + '\n');
      return 0;
    }
    const storeUrl = values.store ?? DEFAULT_STORE_URL;
    const nats = values.nats ?? process.env.NATS_URL ?? defaultNats;
    if (!/^(nats|tls|wss?):\/\/|^[^:/]+:\d+$/.test(nats)) throw new CliError(`--nats expects a URL such as ${defaultNats}, got '${nats}'`);
    let credentials;
    try {
      const warn = (line: string) => process.stderr.write(`aurora relay: ${line}\n`);
      credentials = values['auth-file'] ? credentialsFromFile(values['auth-file'], warn) : credentialsFromEnv();
    } catch (err) {
      if (err instanceof NatsConfigError) throw new CliError(err.message);
      throw err;
    }
    let store;
    try {
      store = await openStore(storeUrl);
    } catch (err) {
      if (err instanceof StoreUrlError) throw new CliError(err.message);
      throw err;
    }
    const log = (line: string) => process.stderr.write(`aurora relay: ${line}\n`);
    const relay = EventRelay.start({
      store,
      servers: nats,
      connection: connectionAuth(credentials),
      ...(values.stream ? { stream: values.stream } : {}),
      log,
    });
    log(`relaying ${storeUrl} to ${redactUrl(nats)} with ${describeCredentials(credentials)} (stream ${values.stream ?? relayStream}); Ctrl-C stops`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    log('stopping: waiting for the last acknowledgements');
    await relay.stop();
    await store.close();
    const status = relay.status;
    if (values.json) process.stdout.write(JSON.stringify(status) + '\n');
    else log(`stopped at position ${status.position} (${status.published} published, ${status.sessions} sessions)`);
    return 0;
  },
};
