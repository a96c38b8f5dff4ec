// Transport benchmark: request/reply round trips and throughput, in-process against NATS (a real
// nats-server on a loopback port, worker and controller on separate connections in this process), for a
// small message (a 10-task Evaluate) and a large one (a 100 000-task scenario, each way). The handlers do
// no work, so the figures are the transports' own cost: encoding, both schema checks, and the wire.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReplyOf, RequestOf } from '../../actors/protocol.js';
import { encodeMessage } from '../transport/codec.js';
import { InProcessTransport } from '../transport/in-process.js';
import { NatsTransport } from '../transport/nats/nats-transport.js';
import type { Transport } from '../transport/port.js';

function scenario(tasks: number, variant = 0) {
  return {
    id: `bench-${tasks}-${variant}`,
    domain: 'cloud' as const,
    nodes: [{ id: 'n0', cores: 16, mips: 1000, memory: 64 }],
    tasks: Array.from({ length: tasks }, (_, i) => ({ id: `t${i}`, arrival: i * 0.01, cores: 1 + (i % 4), duration: 1 + (i % 7), sla: 10 })),
  } as unknown as RequestOf<'simulator'>['scenario'];
}

function evaluate(tasks: number, policies = 1): RequestOf<'simulator'> {
  return {
    scenarioId: `bench-${tasks}`,
    scenario: scenario(tasks),
    policies: Array.from({ length: policies }, (_, i) => ({
      policyId: `p${i}`,
      policy: { name: `p${i}`, score: '1' },
    })) as RequestOf<'simulator'>['policies'],
    slaTolerance: 0.05,
  };
}

const zeroMetrics = {
  tasks: 0, completed: 0, dropped: 0, avgLatency: 0, p95Latency: 0, slaViolations: 0, slaViolationRate: 0,
  utilisation: 0, cost: 0, energy: 0, nodesUsed: 0, killed: 0, makespan: 0, events: 0,
};

async function simulator(request: RequestOf<'simulator'>): Promise<ReplyOf<'simulator'>> {
  return {
    scenarioId: request.scenarioId,
    results: request.policies.map((p) => ({
      policyId: p.policyId,
      metrics: { ...zeroMetrics, tasks: request.scenario.tasks.length },
      scores: { latency: 0, cost: 0, energy: 0, qos: 0, utilisation: 0 },
      reward: 0,
      failure: null,
    })),
  };
}

const bigScenario = scenario(100_000);
async function attacker(request: RequestOf<'attacker'>): Promise<ReplyOf<'attacker'>> {
  return {
    scenarios: Array.from({ length: request.count }, (_, i) => ({
      scenarioId: `big-${i}`,
      scenario: bigScenario as ReplyOf<'attacker'>['scenarios'][number]['scenario'],
      generator: null,
      rationale: '',
      author: 'bench',
    })),
    rejected: [],
  };
}

const propose: RequestOf<'attacker'> = { runId: 'bench', iteration: 0, level: 1, domain: 'cloud', count: 1, seed: 1, search: null, context: null };

interface Figure {
  perSecond: number;
  msEach: number;
}

async function measure(count: number, inFlight: number, once: () => Promise<unknown>): Promise<Figure> {
  (globalThis as { gc?: () => void }).gc?.();
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        next++;
        await once();
      }
    }),
  );
  const ms = performance.now() - start;
  return { perSecond: (count * 1000) / ms, msEach: ms / count };
}

async function scenarios(t: Transport) {
  const small = evaluate(10);
  await measure(5_000, 8, () => t.request('simulator', small)); // warm-up: JIT, buffers
  const sequential = await measure(5_000, 1, () => t.request('simulator', small));
  const pipelined = await measure(20_000, 32, () => t.request('simulator', small));
  const big = evaluate(100_000);
  await t.request('simulator', big); // warm-up (and fills a worker's blob cache)
  let variant = 0;
  const largeRequest = await measure(3, 1, () => t.request('simulator', evaluate(100_000, 2 + variant++)));
  // A scenario the worker has not seen: it travels in chunks.
  const fresh = [1, 2, 3].map((v) => ({ ...evaluate(100_000), scenario: scenario(100_000, v) }));
  const largeFresh = await measure(3, 1, () => t.request('simulator', fresh.shift()!));
  const largeReply = await measure(3, 1, () => t.request('attacker', propose));
  return { sequential, pipelined, largeRequest, largeFresh, largeReply };
}

function natsServerBinary(): string | undefined {
  for (const candidate of [process.env.NATS_SERVER_BIN, 'nats-server', '/usr/sbin/nats-server']) {
    if (candidate && spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startServer(binary: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'aurora-bench-nats-'));
  const config = join(dir, 'nats.conf');
  writeFileSync(config, `listen: 127.0.0.1:${port}\nmax_payload: 8MB\n`);
  const child = spawn(binary, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server is ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited (${code}):\n${log}`)));
  });
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const mb = (bytes: number) => bytes / (1024 * 1024);

export async function run(): Promise<void> {
  const smallBytes = encodeMessage(evaluate(10)).length;
  const largeBytes = encodeMessage(evaluate(100_000)).length;
  process.stdout.write(`transport: small request ${smallBytes} B, large request ${(mb(largeBytes)).toFixed(1)} MiB (100 000 tasks)\n`);

  const local = new InProcessTransport({ log: () => {} });
  await local.serve('simulator', simulator, { concurrency: 32 });
  await local.serve('attacker', attacker);
  const inProcess = await scenarios(local);
  await local.close();

  const binary = natsServerBinary();
  if (!binary) {
    process.stdout.write('transport: nats-server not found; NATS figures skipped (apt-get install nats-server)\n');
    return;
  }
  const server = await startServer(binary);
  const none = { kind: 'none' } as const;
  const worker = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  const controller = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  await worker.serve('simulator', simulator, { concurrency: 32 });
  await worker.serve('attacker', attacker);
  const nats = await scenarios(controller);
  await controller.close();
  await worker.close();
  await server.stop();

  const row = (name: string, a: Figure, b: Figure, bytes?: number) => {
    const rate = (f: Figure) => (bytes ? `${(mb(bytes) * f.perSecond).toFixed(0).padStart(5)} MiB/s` : `${f.perSecond.toFixed(0).padStart(6)}/s`);
    const ms = (f: Figure) => `${f.msEach.toFixed(3).padStart(8)} ms`;
    process.stdout.write(
      `  ${name.padEnd(34)} in-process ${ms(a)} ${rate(a)}   NATS ${ms(b)} ${rate(b)}   NATS/in-process ×${(b.msEach / a.msEach).toFixed(2)}\n`,
    );
  };
  process.stdout.write('transport round trips (time each, rate):\n');
  row('small, one at a time', inProcess.sequential, nats.sequential);
  row('small, 32 in flight', inProcess.pipelined, nats.pipelined);
  row('large request, new scenario', inProcess.largeFresh, nats.largeFresh, largeBytes);
  row('large request, scenario cached', inProcess.largeRequest, nats.largeRequest, largeBytes);
  row('large reply', inProcess.largeReply, nats.largeReply, largeBytes);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
