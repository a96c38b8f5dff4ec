// `aurora worker` as a separate Node process, the way it runs in production, for transport tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const alive = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});
// A test run stopped by a signal still takes its children with it ('exit' alone misses signals).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** The worker id it announced (the Aurora-Worker header of its answers). */
  readonly id: string;
  /** Every JSON line it printed on stdout. */
  readonly events: Record<string, unknown>[];
  readonly stderr: () => string;
  /** Resolves with its exit code (null if killed by a signal). */
  readonly exited: Promise<number | null>;
}

export async function startWorker(options: {
  role: string;
  url: string;
  /** Serve the stand-in handlers of test/transport/fixtures/handlers.ts instead of AURORA's roles. */
  fixtures?: boolean;
  args?: string[];
  env?: Record<string, string>;
}): Promise<WorkerProcess> {
  const entry = options.fixtures ? ['test/support/fixture-worker.ts'] : ['src/cli.ts', 'worker'];
  const args = ['--import', 'tsx', ...entry, '--role', options.role, '--nats', options.url, '--json', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { cwd: repo, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  alive.add(child);
  const events: Record<string, unknown>[] = [];
  let err = '';
  let buffer = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => (err += text));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      alive.delete(child);
      resolve(code);
    }),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready within 20 s:\n${err}`)), 20_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (text: string) => {
      buffer += text;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const event = JSON.parse(line) as Record<string, unknown>;
          events.push(event);
          if (event.event === 'ready') {
            clearTimeout(timer);
            resolve(String(event.worker));
          }
        } catch {
          // not one of ours
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before it was ready:\n${err}`));
    });
  });
  const id = await ready;
  return { child, id, events, stderr: () => err, exited };
}
