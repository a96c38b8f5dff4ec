// Commands with sub-commands (`aurora scenario generate`, `aurora policy list`): one dispatcher, so
// every such command answers help and unknown names the same way.
import { CliError } from './cli-error.js';

export type SubCommands = Record<string, (argv: string[]) => Promise<number> | number>;

export async function dispatch(argv: string[], subCommands: SubCommands, usage: string): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    process.stdout.write(usage + '\n');
    return sub === undefined ? 2 : 0;
  }
  const run = Object.prototype.hasOwnProperty.call(subCommands, sub) ? subCommands[sub] : undefined;
  if (run === undefined) {
    const names = Object.keys(subCommands);
    throw new CliError(`unknown sub-command '${sub}' (expected ${names.slice(0, -1).join(', ')} or ${names.at(-1)})`);
  }
  return run(rest);
}
