// Running the CLI in this process with its output captured (fast; a spawned CLI is slower but closer).
import { main } from '../../src/cli.js';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function auroraHere(...args: string[]): Promise<Run> {
  const out = process.stdout.write;
  const err = process.stderr.write;
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
  }
}
