// Self-play benchmark: iterations per minute at each curriculum level (the run forced to the level with
// `curriculum.startLevel`, and kept there), in-process and over NATS with one and two simulator worker
// processes; where an iteration's time goes; and the overhead of actors, messages and event sourcing
// against doing the same work directly — the same evaluation requests run by a plain loop over
// `simulate`, and the same attacker and defender requests answered by calling the minds.
// Goal: overhead at most 1.2× at the intermediate level; two workers on two cores near twice one
// worker's evaluation rate. AURORA_BENCH_QUICK=1: fewer iterations, NATS at two levels only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRoleHandler } from '../../actors/handlers.js';
import { createOfflineAttacker } from '../../actors/minds/attacker/offline.js';
import { createOfflineDefender } from '../../actors/minds/defender/offline.js';
import type { ReplyOf, RequestOf, Role } from '../../actors/protocol.js';
import type { Requester } from '../../actors/requester.js';
import { runSelfPlay } from '../../actors/self-play.js';
import { openStore } from '../../events/open-store.js';
import type { EventStore } from '../../events/store.js';
import { curriculumLevels } from '../../projections/curriculum.js';
import { compilePolicy } from '../../sim/policy/compile.js';
import { simulate } from '../../sim/simulate.js';
import { NatsTransport } from '../transport/nats/nats-transport.js';
import type { Handler, Transport } from '../transport/port.js';
import { openInProcess } from '../wiring/open-transport.js';

const quick = process.env.AURORA_BENCH_QUICK === '1';
const ITERATIONS = quick ? 2 : 5;
const INTERMEDIATE = 2; // 1-based, as curriculum.startLevel counts
const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Busy time per phase of the iterations, in ms: a role's phase runs from its first request out to its last reply in. */
interface Phases {
  iterations: number;
  total: number;
  attacker: number;
  defender: number;
  simulator: number;
  append: number;
  evaluations: number;
  events: number;
}

interface Captured {
  attacker: RequestOf<'attacker'>[];
  defender: RequestOf<'defender'>[];
  simulator: RequestOf<'simulator'>[];
}

/** The requester with every request kept and each role's busy time measured. */
function watch(inner: Requester, phases: Phases, captured: Captured): Requester {
  const inFlight: Record<Role, number> = { attacker: 0, defender: 0, simulator: 0 };
  const since: Record<Role, number> = { attacker: 0, defender: 0, simulator: 0 };
  return {
    async request<R extends Role>(role: R, request: RequestOf<R>, options?: { timeoutMs?: number; retries?: number }): Promise<ReplyOf<R>> {
      (captured[role] as RequestOf<R>[]).push(request);
      if (inFlight[role]++ === 0) since[role] = performance.now();
      try {
        return await inner.request(role, request, options);
      } finally {
        if (--inFlight[role] === 0) phases[role] += performance.now() - since[role];
      }
    },
  };
}

/** The store with the time of its appends measured. */
function timedStore(store: EventStore, phases: Phases): EventStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'appendToStream') {
        return async (...args: Parameters<EventStore['appendToStream']>) => {
          const began = performance.now();
          try {
            return await target.appendToStream(...args);
          } finally {
            phases.append += performance.now() - began;
            phases.events += args[1].length;
          }
        };
      }
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function playLevel(requester: Requester, level: number, iterations: number, storePath: string) {
  const phases: Phases = { iterations, total: 0, attacker: 0, defender: 0, simulator: 0, append: 0, evaluations: 0, events: 0 };
  const captured: Captured = { attacker: [], defender: [], simulator: [] };
  rmSync(storePath, { force: true });
  const store = await openStore(`sqlite:${storePath}`);
  try {
    await runSelfPlay({
      store: timedStore(store, phases),
      requester: watch(requester, phases, captured),
      runId: `bench-l${level}`,
      seed: 1,
      // A window no run fills: the curriculum stays at the level.
      config: { iterations, curriculum: { startLevel: level, window: 1_000_000 } },
      codeVersion: 'bench',
      clock: () => performance.now(),
      onProgress: (p) => {
        phases.total += p.seconds * 1000;
        phases.evaluations += p.evaluations;
      },
    });
  } finally {
    await store.close();
  }
  return { phases, captured };
}

/** The same evaluations, by a plain loop: compile each policy, simulate it on the scenario. */
function directSimulation(requests: readonly RequestOf<'simulator'>[]): number {
  const began = performance.now();
  for (const r of requests) for (const p of r.policies) simulate(r.scenario, compilePolicy(p.policy));
  return performance.now() - began;
}

/** The same attacker and defender requests, answered by calling the offline minds. */
async function directMinds(captured: Captured): Promise<number> {
  const attacker = createOfflineAttacker();
  const defender = createOfflineDefender();
  const began = performance.now();
  for (const r of captured.attacker) await attacker.proposeScenarios(r);
  for (const r of captured.defender) await defender.proposePolicies(r);
  return performance.now() - began;
}

/** Evaluations per second of a batch of requests sent `inFlight` at a time (the workers' throughput). */
async function throughputOf(transport: Transport, requests: readonly RequestOf<'simulator'>[], inFlight: number): Promise<number> {
  let next = 0;
  let evaluations = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < requests.length) evaluations += (await transport.request('simulator', requests[next++]!)).results.length;
    }),
  );
  return (evaluations * 1000) / (performance.now() - began);
}

/** The median of `times` runs of `f` (ms): the machine is shared, single runs are noisy. */
async function median(times: number, f: () => number | Promise<number>): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < times; i++) runs.push(await f());
  return runs.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

// ── a nats-server and worker processes ───────────────────────────────────────────────────────────

function natsServerBinary(): string | undefined {
  for (const candidate of [process.env.NATS_SERVER_BIN, 'nats-server', '/usr/sbin/nats-server', '/usr/local/bin/nats-server']) {
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

async function startServer(binary: string, dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const config = join(dir, 'nats.conf');
  writeFileSync(config, `listen: 127.0.0.1:${port}\nmax_payload: 8MB\n`);
  const child = spawn(binary, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr!.setEncoding('utf8').on('data', (t: string) => {
      log += t;
      if (log.includes('Server is ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`nats-server exited (${code}):\n${log}`)));
  });
  return { url: `nats://127.0.0.1:${port}`, stop: () => stopChild(child, 'SIGTERM') };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

/** `aurora worker --role simulator` as a process of its own, ready once it says so. */
async function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker', '--role', 'simulator', '--nats', url, '--json'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (err += t));
    child.stdout!.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      if (out.includes('"event":"ready"')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}):\n${err}`)));
  });
  return child;
}

// ── report ──────────────────────────────────────────────────────────────────────────────────────

const f1 = (x: number) => x.toFixed(1);
const f0 = (x: number) => x.toFixed(0);
const perMinute = (p: Phases) => (p.iterations * 60_000) / p.total;
const evalRate = (p: Phases) => (p.evaluations * 1000) / p.simulator;

function levelName(level: number): string {
  return curriculumLevels[level - 1]!.name;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aurora-bench-selfplay-'));
  const out = (line: string) => process.stdout.write(line + '\n');
  out(
    `self-play: default configuration (5 scenarios × (3 candidates + 4 reference baselines + ≤ 5 incumbents) per iteration), SQLite store, ` +
      `${ITERATIONS} iterations per level, ${cpus().length} cores${quick ? ' (quick)' : ''}`,
  );
  try {
    // Warm-up: JIT and module loading, so the first level measured is not charged for them.
    const local = await openInProcess();
    await playLevel(local, 1, 1, join(dir, 'warm.db'));

    out('\nin-process, ms per iteration by phase (busy wall time), and against the same work done directly:');
    out('  level          it/min   ms/it   attacker defender evaluate  append  rest   events/it | direct: sim  minds | overhead (run−minds)/sim  without appends  run/(sim+minds)');
    const runs = new Map<number, Awaited<ReturnType<typeof playLevel>>>();
    const direct = new Map<number, { sim: number; minds: number }>();
    for (let level = 1; level <= curriculumLevels.length; level++) {
      const played = await playLevel(local, level, ITERATIONS, join(dir, `in-process-${level}.db`));
      runs.set(level, played);
      const { phases: p, captured } = played;
      directSimulation(captured.simulator); // warm the direct path the same way
      const sim = await median(3, () => directSimulation(captured.simulator));
      const minds = await median(3, () => directMinds(captured));
      direct.set(level, { sim, minds });
      const n = p.iterations;
      const rest = p.total - p.attacker - p.defender - p.simulator - p.append;
      out(
        `  ${`${level} ${levelName(level)}`.padEnd(14)} ${f1(perMinute(p)).padStart(6)}  ${f0(p.total / n).padStart(6)}   ` +
          `${f0(p.attacker / n).padStart(8)} ${f0(p.defender / n).padStart(8)} ${f0(p.simulator / n).padStart(8)} ${f0(p.append / n).padStart(7)} ${f0(rest / n).padStart(5)}   ` +
          `${f0(p.events / n).padStart(8)}  | ${f0(sim / n).padStart(11)} ${f0(minds / n).padStart(6)} | ` +
          `${`×${((p.total - minds) / sim).toFixed(2)}`.padStart(24)}  ${`×${((p.total - minds - p.append) / sim).toFixed(2)}`.padStart(15)}  ` +
          `${`×${(p.total / (sim + minds)).toFixed(2)}`.padStart(15)}`,
      );
    }
    await local.close();
    const mid = runs.get(INTERMEDIATE)!;
    const { sim: midSim, minds: midMinds } = direct.get(INTERMEDIATE)!;
    out(
      `  goal at the intermediate level: overhead ≤ ×1.2; measured ×${((mid.phases.total - midMinds) / midSim).toFixed(2)} ` +
        `(run − minds over the plain simulate loop), ×${(mid.phases.total / (midSim + midMinds)).toFixed(2)} counting the minds as work`,
    );

    const binary = natsServerBinary();
    if (!binary) {
      out('\nNATS: nats-server not found; NATS figures skipped (apt-get install nats-server)');
      return;
    }
    const server = await startServer(binary, dir);
    const none = { kind: 'none' } as const;
    const levels = quick ? [1, INTERMEDIATE] : [1, 2, 3, 4, 5];
    const table = new Map<string, Phases>();
    const throughput = new Map<number, number>();
    const flooded = new Map<number, number>();
    const batch = mid.captured.simulator;
    try {
      for (const workers of [1, 2]) {
        const children = await Promise.all(Array.from({ length: workers }, () => startWorker(server.url)));
        // Attacker and defender are served by this process, on a connection of their own.
        const roles = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
        const controller = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
        try {
          for (const role of ['attacker', 'defender'] as const) await roles.serve(role, (await createRoleHandler(role)) as unknown as Handler<Role>);
          await throughputOf(controller, batch.slice(0, 4), 2); // warm the workers
          // As many in flight as the workers hold (concurrency 1 + prefetch 1 each), then every one at once.
          throughput.set(workers, await throughputOf(controller, [...batch, ...batch], 2 * workers));
          flooded.set(workers, await throughputOf(controller, [...batch, ...batch], 2 * batch.length));
          for (const level of levels) {
            const { phases } = await playLevel(controller, level, ITERATIONS, join(dir, `nats-${workers}-${level}.db`));
            table.set(`${workers}:${level}`, phases);
          }
        } finally {
          await controller.close();
          await roles.close();
          await Promise.all(children.map((c) => stopChild(c, 'SIGKILL')));
        }
      }
    } finally {
      await server.stop();
    }
    out('\nover NATS (simulator in worker processes; attacker and defender in this process), iterations per minute and evaluations/s while evaluating:');
    out('  level          in-process it/min | 1 worker it/min  eval/s | 2 workers it/min  eval/s | eval/s 2 ÷ 1');
    for (const level of levels) {
      const one = table.get(`1:${level}`)!;
      const two = table.get(`2:${level}`)!;
      out(
        `  ${`${level} ${levelName(level)}`.padEnd(14)} ${f1(perMinute(runs.get(level)!.phases)).padStart(17)} | ` +
          `${f1(perMinute(one)).padStart(15)} ${f0(evalRate(one)).padStart(7)} | ${f1(perMinute(two)).padStart(16)} ${f0(evalRate(two)).padStart(7)} | ` +
          `${`×${(evalRate(two) / evalRate(one)).toFixed(2)}`.padStart(12)}`,
      );
    }
    const t1 = throughput.get(1)!;
    const t2 = throughput.get(2)!;
    out(`  the intermediate level's ${batch.length * 2} evaluation requests as one batch:`);
    out(`    2 in flight per worker: 1 worker ${f0(t1)} eval/s, 2 workers ${f0(t2)} eval/s, ratio ×${(t2 / t1).toFixed(2)} (goal: near ×2 on two cores)`);
    out(
      `    all ${batch.length * 2} in flight:   1 worker ${f0(flooded.get(1)!)} eval/s, 2 workers ${f0(flooded.get(2)!)} eval/s, ` +
        `ratio ×${(flooded.get(2)! / flooded.get(1)!).toFixed(2)} (requests the workers decline as busy wait out a back-off of up to 250 ms)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
