// The `aurora` command: a table of sub-commands, each in src/commands/<name>.ts, loaded on demand.
import { pathToFileURL } from 'node:url';
import { CliError } from './cli-error.js';

export interface Command {
  /** One line for `aurora help`. */
  readonly summary: string;
  /** Runs the command; resolves to the process exit status. */
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<{ command: Command }>> = {
  audit: () => import('./commands/audit.js'),
  eval: () => import('./commands/eval.js'),
  events: () => import('./commands/events.js'),
  evolve: () => import('./commands/evolve.js'),
  policy: () => import('./commands/policy.js'),
  projections: () => import('./commands/projections.js'),
  relay: () => import('./commands/relay.js'),
  replay: () => import('./commands/replay.js'),
  run: () => import('./commands/run.js'),
  scenario: () => import('./commands/scenario.js'),
  schema: () => import('./commands/schema.js'),
  simulate: () => import('./commands/simulate.js'),
  worker: () => import('./commands/worker.js'),
};

function usage(): string {
  return [
    'usage: aurora <command> [options]',
    '',
    'commands:',
    ...Object.keys(commands)
      .sort()
      .map((name) => `  ${name}`),
    '',
    'aurora <command> --help shows the options of a command.',
  ].join('\n');
}

/** A reader that stopped reading (`aurora events … | head`) ends the command quietly. */
let pipeWatched = false;
function exitQuietlyOnClosedPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`aurora: unknown command '${name}' (aurora help lists them)\n`);
    return 2;
  }
  try {
    const { command } = await load();
    return await command.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`aurora ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    // Node's own argument parser reports unknown or malformed options with a code.
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      // One line: Node's messages sometimes go on with advice on further lines.
      process.stderr.write(`aurora ${name}: ${(err as Error).message.split('\n')[0]}\n`);
      return 2;
    }
    throw err;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
