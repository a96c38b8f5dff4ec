// A real nats-server for tests: started on a free loopback port with its own temp dir, from an optional
// config, and stopped, killed (-9) or restarted on the same port on demand. Every server is killed when
// the test process exits, whatever happened.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NatsServerProcess {
  readonly port: number;
  readonly url: string;
  /** The server's temp dir (config, JetStream store); removed by stop(). */
  readonly dir: string;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill9(): Promise<void>;
  /** Starts it again on the same port with the same config and store. */
  restart(): Promise<void>;
}

export interface NatsServerOptions {
  /** Config file text, given the port and a store dir to use; default: `-a 127.0.0.1 -p <port>` flags. */
  config?: (where: { port: number; storeDir: string }) => string;
  /** Turn JetStream on (flag form only; a config says it itself). */
  jetstream?: boolean;
  /** Extra environment (e.g. the passwords a config refers to as $VARIABLES). */
  env?: Record<string, string>;
  /** Extra command-line arguments. */
  args?: string[];
}

const alive = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});
// A test run stopped by a signal still takes its children with it ('exit' alone misses signals).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
}

export function natsServerBinary(): string | undefined {
  for (const candidate of [process.env.NATS_SERVER_BIN, 'nats-server', '/usr/sbin/nats-server', '/usr/local/bin/nats-server']) {
    if (!candidate) continue;
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerProcess> {
  const binary = natsServerBinary();
  if (!binary) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'aurora-nats-'));
  const storeDir = join(dir, 'jetstream');
  const args: string[] = [];
  if (options.config) {
    const path = join(dir, 'nats.conf');
    writeFileSync(path, options.config({ port, storeDir }));
    args.push('-c', path);
  } else {
    args.push('-a', '127.0.0.1', '-p', String(port));
    if (options.jetstream) args.push('-js', '-sd', storeDir);
  }
  args.push(...(options.args ?? []));

  let child: ChildProcess | undefined;
  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(binary, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] });
      child = proc;
      alive.add(proc);
      let log = '';
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`nats-server did not start within 10 s:\n${log}`));
      }, 10_000);
      proc.stderr!.setEncoding('utf8');
      proc.stderr!.on('data', (text: string) => {
        if (log.length < 20_000) log += text;
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.on('exit', (code, signal) => {
        alive.delete(proc);
        clearTimeout(timer);
        reject(new Error(`nats-server exited (${code ?? signal}) before it was ready:\n${log}`));
      });
    });
  const end = async (signal: NodeJS.Signals) => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await exited;
  };

  try {
    await launch();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    dir,
    stop: async () => {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    kill9: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGKILL');
      await launch();
    },
  };
}
