// `aurora worker` with the stand-in handlers of test/transport/fixtures/handlers.ts: the production
// command only ever serves AURORA's own roles, so tests that need hanging or scripted workers start
// this entry point instead.
import { runWorker, type HandlerFactory } from '../../src/commands/worker.js';
import { CliError } from '../../src/cli-error.js';
import { createRoleHandler } from '../transport/fixtures/handlers.js';

try {
  process.exitCode = await runWorker(process.argv.slice(2), createRoleHandler as unknown as HandlerFactory);
} catch (err) {
  if (!(err instanceof CliError)) throw err;
  process.stderr.write(`aurora worker: ${err.message}\n`);
  process.exitCode = err.exitCode;
}
