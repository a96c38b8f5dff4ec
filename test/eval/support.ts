// Running the CLI in this process with its output captured. main() adds a stdout 'error' listener per
// call (src/cli.ts); the ones a call adds are removed afterwards, so many calls in one test process
// never trip Node's MaxListeners warning into a captured stderr.
import { main } from '../../src/cli.js';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function auroraHere(...args: string[]): Promise<Run> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  const before = new Set(process.stdout.listeners('error'));
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    for (const l of process.stdout.listeners('error')) if (!before.has(l)) process.stdout.removeListener('error', l as (...a: unknown[]) => void);
  }
}
