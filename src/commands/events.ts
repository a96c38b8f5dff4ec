// `aurora events <runId> [--store URL] [--from N] [--type T[,T…]] [--follow] [--json]`: a run's events, as
// JSON lines (--json) or one short line each. --follow catches up, then stays live (the store's
// subscription) until Ctrl-C or SIGTERM, and exits 0.
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { eventTypes, isEventType } from '../../events/catalogue.js';
import { DEFAULT_STORE_URL, openStore } from '../../events/open-store.js';
import { runStream, type EventStore, type RecordedEvent } from '../../events/store.js';
import { eventLine } from '../audit/event-line.js';
import { isUnreadableEventError } from '../replay/recorded-log.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../cli.js';

const help = `usage: aurora events <runId> [--store URL] [--from N] [--type T[,T…]] [--follow] [--json]

Prints the run's events in order. --json: one JSON object per line with position, revision, stream, type,
metadata, data, fingerprint and recordedAt; otherwise one short line per event.
  --from N     only events at global position N or later (the position of the JSON lines, and the
               Aurora-Position header on NATS): resume a tail where it stopped
  --type T     only these event types (comma-separated)
  --follow     after the stored events, keep printing new ones as they are committed, until Ctrl-C
Default store: ${DEFAULT_STORE_URL}.`;

const PAGE = 1_000;

/** The JSON line of an event: everything the store holds about it. */
export function eventJson(e: RecordedEvent): Record<string, unknown> {
  return {
    position: e.position,
    revision: e.revision,
    stream: e.stream,
    type: e.type,
    metadata: e.metadata,
    data: e.data,
    fingerprint: e.fingerprint,
    recordedAt: e.recordedAt,
  };
}

/** Writes lines to stdout, waiting when its buffer is full; a closed pipe (`| head`) ends the output quietly. */
class LineWriter {
  closed = false;
  private readonly onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') this.closed = true;
  };

  constructor() {
    process.stdout.on('error', this.onError);
  }

  async write(line: string): Promise<void> {
    if (this.closed) return;
    if (process.stdout.write(line + '\n') || this.closed) return;
    try {
      await once(process.stdout, 'drain'); // rejects when the pipe breaks meanwhile
    } catch {
      this.closed = true;
    }
  }

  dispose(): void {
    process.stdout.off('error', this.onError);
  }
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError(`--${name} must be an integer ≥ 1, got '${value}'`);
  return n;
}

function parseTypes(value: string | undefined): Set<string> | null {
  if (value === undefined) return null;
  const types = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (types.length === 0) throw new CliError('--type needs at least one event type');
  for (const t of types) if (!isEventType(t)) throw new CliError(`unknown event type '${t}' (one of: ${eventTypes.join(', ')})`);
  return new Set(types);
}

export const command: Command = {
  summary: "print a run's events (JSON lines with --json); --follow stays live",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        store: { type: 'string' },
        from: { type: 'string' },
        type: { type: 'string' },
        follow: { type: 'boolean', default: false },
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
    if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? 'which run? (aurora events <runId>)' : `one run id, got ${positionals.length}`);
    const runId = positionals[0]!;
    const from = positiveInteger(values.from, 'from') ?? 1;
    const types = parseTypes(values.type);
    const store = await openStore(values.store ?? DEFAULT_STORE_URL).catch((err: Error) => {
      throw new CliError(err.message);
    });
    const out = new LineWriter();
    try {
      const stream = runStream(runId);
      if ((await store.readStream(stream, { maxCount: 1 })).length === 0) throw new CliError(`no run '${runId}' in this store`);
      const show = async (e: RecordedEvent) => {
        if (e.position < from || (types !== null && !types.has(e.type))) return;
        await out.write(values.json ? JSON.stringify(eventJson(e)) : eventLine(e));
      };
      const last = await printStored(store, stream, show, () => out.closed);
      if (values.follow && !out.closed) await follow(store, stream, Math.max(from, last + 1), types, show, () => out.closed);
      return 0;
    } catch (err) {
      if (isUnreadableEventError(err)) throw new CliError(`the store refused an event: ${err.message}`, 1);
      throw err;
    } finally {
      out.dispose();
      await store.close();
    }
  },
};

/** Prints the stream's stored events, page by page; returns the position of the last one. */
async function printStored(store: EventStore, stream: string, show: (e: RecordedEvent) => Promise<void>, stopped: () => boolean): Promise<number> {
  let last = 0;
  for (let revision = 0; !stopped(); ) {
    const page = await store.readStream(stream, { from: revision, maxCount: PAGE });
    for (const e of page) {
      await show(e);
      last = e.position;
    }
    revision += page.length;
    if (page.length < PAGE) break;
  }
  return last;
}

/**
 * Prints the stream's events committed from `fromPosition` on, as they come, until SIGINT or SIGTERM.
 * The catch-up above read up to some position; the subscription starts right after it, so nothing is
 * printed twice or skipped, whatever is appended in between.
 */
async function follow(
  store: EventStore,
  stream: string,
  fromPosition: number,
  types: Set<string> | null,
  show: (e: RecordedEvent) => Promise<void>,
  stopped: () => boolean,
): Promise<void> {
  const subscription = store.subscribe({ fromPosition, filter: { streamPrefix: stream, ...(types === null ? {} : { types: [...types] }) } });
  const stop = () => void subscription.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for await (const e of subscription) {
      if (e.stream !== stream) continue; // another run whose id starts with this one's
      await show(e);
      if (stopped()) break;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await subscription.close();
  }
}
