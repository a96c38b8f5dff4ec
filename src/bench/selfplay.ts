// Self-play benchmark: iterations per minute at each curriculum level (the run forced to the level with
// `curriculum.startLevel`, and kept there), in-process and over NATS with one and two simulator worker
// processes; where an iteration's time goes; and the overhead of actors, messages and event sourcing
// against doing the same work directly — the same evaluation requests run by a plain loop over
// `simulate`, and the same attacker and defender requests answered by calling the minds.
// Goal: overhead at most 1.2× at the intermediate level; two workers on two cores near twice one
// worker's evaluation rate. AURORA_BENCH_QUICK=1: fewer iterations, NATS at three levels only;
// AURORA_BENCH_SELFPLAY=in-process: the in-process rows only (NATS skipped).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
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
import { parallelCeiling } from './parallel-ceiling.js';

const quick = process.env.AURORA_BENCH_QUICK === '1';
const inProcessOnly = process.env.AURORA_BENCH_SELFPLAY === 'in-process';
const ITERATIONS = quick ? 2 : 5;
const INTERMEDIATE = 2; // 1-based, as curriculum.startLevel counts
/** Over NATS, as `aurora run --nats` does: each scenario's evaluations in 4 requests, so both workers get a share. */
const NATS_EVALUATION_PARTS = 4;
const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Busy time per phase of the iterations, in ms: a role's phase runs from its first request out to its last reply in. */
interface Phases {
  iterations: number;
  total: number;
  /** CPU time of this process over the whole run (ms, all threads): steadier than wall time on a shared machine. */
  cpu: number;
  attacker: number;
  defender: number;
  simulator: number;
  append: number;
  /** CPU time of the appends (ms): wall time also holds the fsync of each commit. */
  appendCpu: number;
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
          const cpu = process.cpuUsage();
          try {
            return await target.appendToStream(...args);
          } finally {
            phases.appendCpu += cpuMs(process.cpuUsage(cpu));
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

async function playLevel(requester: Requester, level: number, iterations: number, storePath: string, evaluationParts = 1) {
  const phases: Phases = { iterations, total: 0, cpu: 0, attacker: 0, defender: 0, simulator: 0, append: 0, appendCpu: 0, evaluations: 0, events: 0 };
  const captured: Captured = { attacker: [], defender: [], simulator: [] };
  rmSync(storePath, { force: true });
  const store = await openStore(`sqlite:${storePath}`);
  const cpuBefore = process.cpuUsage();
  try {
    await runSelfPlay({
      store: timedStore(store, phases),
      requester: watch(requester, phases, captured),
      runId: `bench-l${level}`,
      seed: 1,
      // A window no run fills: the curriculum stays at the level.
      config: { iterations, curriculum: { startLevel: level, window: 1_000_000 } },
      codeVersion: 'bench',
      evaluationParts,
      clock: () => performance.now(),
      onProgress: (p) => {
        phases.total += p.seconds * 1000;
        phases.evaluations += p.evaluations;
      },
    });
  } finally {
    phases.cpu = cpuMs(process.cpuUsage(cpuBefore));
    await store.close();
  }
  return { phases, captured };
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/** Wall and CPU time of some work (ms). */
interface Cost {
  wall: number;
  cpu: number;
}

async function costOf(work: () => unknown): Promise<Cost> {
  const cpu = process.cpuUsage();
  const began = performance.now();
  await work();
  return { wall: performance.now() - began, cpu: cpuMs(process.cpuUsage(cpu)) };
}

/** The same evaluations, by a plain loop: compile each policy, simulate it on the scenario. */
function directSimulation(requests: readonly RequestOf<'simulator'>[]): Promise<Cost> {
  return costOf(() => {
    for (const r of requests) for (const p of r.policies) simulate(r.scenario, compilePolicy(p.policy));
  });
}

/** The same attacker and defender requests, answered by calling the offline minds. */
function directMinds(captured: Captured): Promise<Cost> {
  const attacker = createOfflineAttacker();
  const defender = createOfflineDefender();
  return costOf(async () => {
    for (const r of captured.attacker) await attacker.proposeScenarios(r);
    for (const r of captured.defender) await defender.proposePolicies(r);
  });
}

/** CPU time a process has used (ms), from /proc; null where there is no /proc. */
function processCpu(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

interface Throughput {
  /** Evaluations per second. */
  rate: number;
  /** CPU the worker processes got meanwhile, in cores (null without /proc). */
  cores: number | null;
}

/** A batch of requests sent `inFlight` at a time: the workers' evaluation rate, and how much CPU they got. */
async function throughputOf(transport: Transport, requests: readonly RequestOf<'simulator'>[], inFlight: number, workers: readonly ChildProcess[] = []): Promise<Throughput> {
  let next = 0;
  let evaluations = 0;
  const cpuBefore = workers.map((w) => processCpu(w.pid));
  const began = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < requests.length) {
        const reply = await transport.request('simulator', requests[next++]!);
        evaluations += reply.results.length;
      }
    }),
  );
  const wall = performance.now() - began;
  const used = workers.map((w, i) => {
    const now = processCpu(w.pid);
    const before = cpuBefore[i];
    return now === null || before === null || before === undefined ? null : now - before;
  });
  const cores = used.length > 0 && used.every((u) => u !== null) ? (used as number[]).reduce((a, b) => a + b, 0) / wall : null;
  return { rate: (evaluations * 1000) / wall, cores };
}

/** The fastest of `times` runs of `f`: the machine may be shared, and interference only ever adds time. */
async function fastest(times: number, f: () => Promise<Cost>): Promise<Cost> {
  let best: Cost | null = null;
  for (let i = 0; i < times; i++) {
    const c = await f();
    if (best === null || c.cpu < best.cpu) best = c;
  }
  return best!;
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

/** What the simulator phases of a run over NATS cost: wall time, the CPU the workers and this process got, how long workers held requests. */
interface NatsPhase {
  wall: number;
  workerCpu: number[];
  controllerCpu: number;
  held: number;
  evaluations: number;
}

/**
 * The controller's requester with the simulator phases measured (a phase: from the first evaluation
 * request out to the last reply in). `held` is the time workers had one of our requests taken (accepted
 * to final answer), so held ÷ (wall × workers) is how busy the workers were kept: the requester's part.
 */
function meterSimulator(transport: NatsTransport, workers: readonly ChildProcess[], phase: NatsPhase): Requester {
  let inFlight = 0;
  let since = 0;
  let cpu = process.cpuUsage();
  let workerCpu: (number | null)[] = [];
  let held = 0;
  const heldNow = () => Object.values(transport.stats().heldMs).reduce((a, b) => a + b, 0);
  return {
    async request<R extends Role>(role: R, request: RequestOf<R>, options?: { timeoutMs?: number; retries?: number }): Promise<ReplyOf<R>> {
      if (role !== 'simulator') return transport.request(role, request, options);
      if (inFlight++ === 0) {
        since = performance.now();
        cpu = process.cpuUsage();
        workerCpu = workers.map((w) => processCpu(w.pid));
        held = heldNow();
      }
      try {
        const reply = await transport.request(role, request, options);
        phase.evaluations += (reply as ReplyOf<'simulator'>).results.length;
        return reply;
      } finally {
        if (--inFlight === 0) {
          phase.wall += performance.now() - since;
          phase.controllerCpu += cpuMs(process.cpuUsage(cpu));
          workers.forEach((w, i) => (phase.workerCpu[i] = (phase.workerCpu[i] ?? 0) + ((processCpu(w.pid) ?? 0) - (workerCpu[i] ?? 0))));
          phase.held += heldNow() - held;
        }
      }
    },
  };
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
    // Warm-up: module loading and the JIT, so the first level measured is not charged for them.
    const local = await openInProcess();
    await playLevel(local, 1, 3, join(dir, 'warm-1.db'));
    await playLevel(local, INTERMEDIATE, 2, join(dir, 'warm-2.db'));

    out('\nin-process: iterations per minute; wall ms per iteration by phase (busy time); CPU ms per iteration of the run and of the same work done directly;');
    out('overhead = CPU (run − minds) ÷ CPU (plain simulate loop), also without the store\'s appends; and run ÷ (simulate loop + minds):');
    out('  level          it/min | attacker defender evaluate  append  rest | events/it | CPU: run  sim  minds | overhead  w/o appends  run/(sim+minds)');
    const runs = new Map<number, Awaited<ReturnType<typeof playLevel>>>();
    const overheads = new Map<number, { overhead: number; withoutAppends: number; whole: number; wall: number }>();
    for (let level = 1; level <= curriculumLevels.length; level++) {
      const played = await playLevel(local, level, ITERATIONS, join(dir, `in-process-${level}.db`));
      runs.set(level, played);
      const { phases: p, captured } = played;
      const sim = await fastest(3, () => directSimulation(captured.simulator));
      const minds = await fastest(3, () => directMinds(captured));
      const n = p.iterations;
      const rest = p.total - p.attacker - p.defender - p.simulator - p.append;
      const figures = {
        overhead: (p.cpu - minds.cpu) / sim.cpu,
        withoutAppends: (p.cpu - minds.cpu - p.appendCpu) / sim.cpu,
        whole: p.cpu / (sim.cpu + minds.cpu),
        // The same ratio in wall time: the iterations' wall time (less the minds') over the simulate loop's.
        wall: (p.total - minds.wall) / sim.wall,
      };
      overheads.set(level, figures);
      const ms = (x: number, width: number) => f0(x / n).padStart(width);
      const times = (x: number, width: number) => `×${x.toFixed(2)}`.padStart(width);
      out(
        `  ${`${level} ${levelName(level)}`.padEnd(14)} ${f1(perMinute(p)).padStart(6)} | ` +
          `${ms(p.attacker, 8)} ${ms(p.defender, 8)} ${ms(p.simulator, 8)} ${ms(p.append, 7)} ${ms(rest, 5)} | ${ms(p.events, 9)} | ` +
          `${ms(p.cpu, 8)} ${ms(sim.cpu, 4)} ${ms(minds.cpu, 6)} | ${times(figures.overhead, 8)} ${times(figures.withoutAppends, 12)} ${times(figures.whole, 16)}`,
      );
    }
    await local.close();
    const mid = overheads.get(INTERMEDIATE)!;
    out(
      `  goal at the intermediate level: overhead ≤ ×1.2; measured ×${mid.overhead.toFixed(2)} ` +
        `(×${mid.withoutAppends.toFixed(2)} without the store's appends; ×${mid.whole.toFixed(2)} counting the minds as work; ` +
        `in wall time ×${mid.wall.toFixed(2)}); load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    );
    if (inProcessOnly) {
      out('\nNATS: skipped (AURORA_BENCH_SELFPLAY=in-process)');
      return;
    }

    const binary = natsServerBinary();
    if (!binary) {
      out('\nNATS: nats-server not found; NATS figures skipped (apt-get install nats-server)');
      return;
    }
    const server = await startServer(binary, dir);
    const none = { kind: 'none' } as const;
    // Where simulation dominates: intermediate to expert in the quick run, every level otherwise.
    const levels = quick ? [INTERMEDIATE, 3, 4] : [1, 2, 3, 4, 5];
    const table = new Map<string, Phases>();
    const simPhases = new Map<string, NatsPhase>();
    const throughput = new Map<string, Throughput>();
    const batch = runs.get(INTERMEDIATE)!.captured.simulator;
    try {
      for (const workers of [1, 2]) {
        const children = await Promise.all(Array.from({ length: workers }, () => startWorker(server.url)));
        // Attacker and defender are served by this process, on a connection of their own.
        const roles = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
        const controller = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
        try {
          for (const role of ['attacker', 'defender'] as const) await roles.serve(role, (await createRoleHandler(role)) as unknown as Handler<Role>);
          // Warm every worker's JIT first: a fresh process takes some 100 requests to run them several
          // times faster than its first ones.
          await throughputOf(controller, Array.from({ length: 100 * workers }, (_, i) => batch[i % batch.length]!), workers);
          // One request in flight per worker, then two per worker (one waits at the requester for a free
          // worker), then every one at once.
          const twice = [...batch, ...batch];
          throughput.set(`${workers}:1`, await throughputOf(controller, twice, workers, children));
          throughput.set(`${workers}:2`, await throughputOf(controller, twice, 2 * workers, children));
          throughput.set(`${workers}:all`, await throughputOf(controller, twice, twice.length, children));
          await playLevel(controller, 1, 1, join(dir, `nats-${workers}-warm.db`), NATS_EVALUATION_PARTS);
          for (const level of levels) {
            const sim: NatsPhase = { wall: 0, workerCpu: [], controllerCpu: 0, held: 0, evaluations: 0 };
            const { phases } = await playLevel(meterSimulator(controller, children, sim), level, ITERATIONS, join(dir, `nats-${workers}-${level}.db`), NATS_EVALUATION_PARTS);
            table.set(`${workers}:${level}`, phases);
            simPhases.set(`${workers}:${level}`, sim);
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
    out('\nover NATS (simulator in worker processes; attacker and defender in this process): iterations per minute; during the simulator');
    out('phases, evaluations/s, the CPU the worker processes got (cores, summed), how busy the workers were kept (held ÷ (wall × workers)),');
    out('and evaluations per CPU-second of the workers; then the ratio 2 workers ÷ 1 of evaluations/s and of the workers\' cores:');
    out('  level          in-proc it/min | 1 worker: it/min eval/s cores  busy eval/cpu-s | 2 workers: it/min eval/s cores  busy eval/cpu-s | eval/s 2÷1  cores 2÷1');
    for (const level of levels) {
      const one = table.get(`1:${level}`)!;
      const two = table.get(`2:${level}`)!;
      const sim = (workers: number) => {
        const p = simPhases.get(`${workers}:${level}`)!;
        const cpu = p.workerCpu.reduce((a, b) => a + b, 0);
        return { rate: (p.evaluations * 1000) / p.wall, cores: cpu / p.wall, busy: p.held / (p.wall * workers), perCpu: (p.evaluations * 1000) / cpu };
      };
      const [s1, s2] = [sim(1), sim(2)];
      const cols = (p: Phases, m: typeof s1) =>
        `${f1(perMinute(p)).padStart(6)} ${f0(m.rate).padStart(6)} ${m.cores.toFixed(2).padStart(5)} ${m.busy.toFixed(2).padStart(5)} ${f0(m.perCpu).padStart(10)}`;
      out(
        `  ${`${level} ${levelName(level)}`.padEnd(14)} ${f1(perMinute(runs.get(level)!.phases)).padStart(14)} |           ${cols(one, s1)} |            ${cols(two, s2)} | ` +
          `${`×${(s2.rate / s1.rate).toFixed(2)}`.padStart(10)} ${`×${(s2.cores / s1.cores).toFixed(2)}`.padStart(10)}`,
      );
    }
    const controllerCores = [1, 2].map((workers) => {
      const ps = levels.map((level) => simPhases.get(`${workers}:${level}`)!);
      return ps.reduce((a, p) => a + p.controllerCpu, 0) / ps.reduce((a, p) => a + p.wall, 0);
    });
    out(`  (this process, the controller, used ${controllerCores.map((c) => c.toFixed(2)).join(' and ')} cores during the simulator phases with 1 and 2 workers)`);
    out(
      `  (an iteration sends ${NATS_EVALUATION_PARTS * 5} evaluation requests at once, ${NATS_EVALUATION_PARTS} per scenario each with a share of the policies; ` +
        `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores at the end)`,
    );
    const ceiling = await parallelCeiling();
    out(
      `  reference: this machine runs two CPU-bound threads at ×${ceiling.ratio.toFixed(2)} the rate of one (best of 3: one alone ${ceiling.oneMs.toFixed(0)} ms, ` +
        `two at once ${ceiling.twoMs.toFixed(0)} ms): the most two workers can reach here; ×2.00 on two independent cores`,
    );
    out(`  the intermediate level's evaluation requests (${batch.length * 2}) as one batch, evaluations/s:`);
    for (const [inFlight, what] of [
      ['1', 'one in flight per worker'],
      ['2', 'two in flight per worker'],
      ['all', 'all in flight at once'],
    ] as const) {
      const one = throughput.get(`1:${inFlight}`)!;
      const two = throughput.get(`2:${inFlight}`)!;
      const cores = (t: Throughput) => (t.cores === null ? '' : ` (${t.cores.toFixed(2)} cores)`);
      const perCore = one.cores !== null && two.cores !== null ? `, per core of CPU they got ×${(two.rate / two.cores / (one.rate / one.cores)).toFixed(2)}` : '';
      out(
        `    ${what.padEnd(46)} 1 worker ${f0(one.rate).padStart(5)}${cores(one)}   2 workers ${f0(two.rate).padStart(5)}${cores(two)}   ` +
          `ratio ×${(two.rate / one.rate).toFixed(2)}${perCore}`,
      );
    }
    out('    (goal: near ×2 on two cores; "cores" is the CPU the worker processes got, which a busy machine caps; a request a full');
    out('    worker declines waits at the requester and goes straight to the first worker that frees a place: docs/nats-actors.md)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
