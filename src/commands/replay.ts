// `aurora replay <runId> [--store URL] [--json]`: re-executes a recorded run and checks that it produces
// every recorded event again, bit for bit (fingerprints). Exit 0: identical; 1: the first mismatch (or a
// replay that could not finish) is reported; 2: bad input (unknown run, bad store URL).
import { parseArgs } from 'node:util';
import { DEFAULT_STORE_URL, openStore } from '../../events/open-store.js';
import { formatReplay } from '../replay/format.js';
import { replayRun, ReplayInputError } from '../replay/replay.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../cli.js';
import { codeVersion } from '../version.js';

const help = `usage: aurora replay <runId> [--store URL] [--json]

Re-executes the run from its RunStarted event (seed, configuration) with every role in this process and a
fresh in-memory store, serving model answers from its LlmCalled events and stopping and resuming where it
was interrupted, and compares the fingerprint of every event it produces with the recorded one, in order.
Exit 0 when all match; otherwise the first mismatch (position, event type, field-level differences) and
exit 1. A run that never completed replays up to its last event. Default store: ${DEFAULT_STORE_URL}.`;

export const command: Command = {
  summary: 'replay a run and check every event against the recorded one',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        store: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(help + '\n');
      return 0;
    }
    if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? 'which run? (aurora replay <runId>)' : `one run id, got ${positionals.length}`);
    const runId = positionals[0]!;
    const store = await openStore(values.store ?? DEFAULT_STORE_URL).catch((err: Error) => {
      throw new CliError(err.message);
    });
    const tty = !values.json && process.stderr.isTTY === true;
    try {
      const result = await replayRun({
        store,
        runId,
        codeVersion: codeVersion(),
        onProgress: tty ? (p) => process.stderr.write(`\rreplaying iteration ${p.iteration}/${p.iterations}: ${p.matched} of ${p.events} events match`) : undefined,
      }).catch((err: Error) => {
        if (err instanceof ReplayInputError) throw new CliError(err.message);
        throw err;
      });
      if (tty) process.stderr.write('\r\x1b[K');
      process.stdout.write((values.json ? JSON.stringify(result) : formatReplay(result)) + '\n');
      return result.status === 'identical' ? 0 : 1;
    } finally {
      await store.close();
    }
  },
};
