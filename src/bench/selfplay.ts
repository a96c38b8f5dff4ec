// Self-play benchmark: iterations per minute at each curriculum level (the run forced to the level with
// `curriculum.startLevel`, and kept there), in-process and over NATS with one and two simulator worker
// processes; where an iteration's time goes; and the overhead of actors, messages and event sourcing
// against doing the same work directly — the same evaluation requests run by a plain loop over
// `simulate`, and the same attacker and defender requests answered by calling the minds, in the order
// the run sent them.
// The in-process comparison is symmetric: in one process, rounds alternate a fresh run (same seed and
// configuration, fresh SQLite store: the same requests each time) with the direct work on those
// requests, after the same warm-up rounds for both, and the medians over the rounds are compared. A
// single cold run against the fastest of three warm direct loops measured mostly the JIT warming up.
// Goal: overhead at most 1.2× at the intermediate level; two workers on two cores near twice one
// worker's evaluation rate. AURORA_BENCH_QUICK=1: fewer rounds and iterations, NATS at three levels only;
// AURORA_BENCH_SELFPLAY=in-process: the in-process rows only (NATS skipped).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
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
import { summarize, type Summary } from './summary.js';

const quick = process.env.AURORA_BENCH_QUICK === '1';
const inProcessOnly = process.env.AURORA_BENCH_SELFPLAY === 'in-process';
/** Iterations per run over NATS, and per in-process run at the levels other than the intermediate one. */
const ITERATIONS = quick ? 2 : 5;
const INTERMEDIATE = 2; // 1-based, as curriculum.startLevel counts
/**
 * The in-process rounds at a level: `warmUp` rounds not counted, then `rounds` counted, each a fresh run of
 * `iterations` and the direct work on the same requests. The goal's level gets more rounds, and longer
 * runs so that a round is not dominated by a run's start-up and first iterations (fewer incumbents).
 */
function roundsAt(level: number): { iterations: number; warmUp: number; rounds: number } {
  if (level === INTERMEDIATE) return quick ? { iterations: 6, warmUp: 2, rounds: 7 } : { iterations: 10, warmUp: 2, rounds: 11 };
  return quick ? { iterations: ITERATIONS, warmUp: 1, rounds: 3 } : { iterations: ITERATIONS, warmUp: 1, rounds: 5 };
}
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

/** One request of a run, as the controller sent it. */
type Sent = { [R in Role]: { role: R; request: RequestOf<R> } }[Role];

/** A run's requests in the order the controller sent them (a deterministic order: it never depends on arrival). */
type Captured = Sent[];

function requestsTo<R extends Role>(captured: Captured, role: R): RequestOf<R>[] {
  return captured.flatMap((m) => (m.role === role ? [m.request as RequestOf<R>] : []));
}

/** The requester with every request kept and each role's busy time measured. */
function watch(inner: Requester, phases: Phases, captured: Captured): Requester {
  const inFlight: Record<Role, number> = { attacker: 0, defender: 0, simulator: 0 };
  const since: Record<Role, number> = { attacker: 0, defender: 0, simulator: 0 };
  return {
    async request<R extends Role>(role: R, request: RequestOf<R>, options?: { timeoutMs?: number; retries?: number }): Promise<ReplyOf<R>> {
      captured.push({ role, request } as Sent);
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
  const captured: Captured = [];
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

/** The same work done directly: CPU and wall time of the simulations (compile + simulate) and of the minds. */
interface Direct {
  sim: Cost;
  minds: Cost;
}

const zero = (): Cost => ({ wall: 0, cpu: 0 });

/** One request's work done directly: its evaluations by compiling and simulating each policy, or the offline mind's answer. */
async function doDirectly(m: Sent, attacker: ReturnType<typeof createOfflineAttacker>, defender: ReturnType<typeof createOfflineDefender>): Promise<void> {
  if (m.role === 'simulator') {
    for (const p of m.request.policies) simulate(m.request.scenario, compilePolicy(p.policy));
  } else if (m.role === 'attacker') {
    await attacker.proposeScenarios(m.request);
  } else {
    await defender.proposePolicies(m.request);
  }
}

/**
 * The run's requests done directly in the order the run sent them (an iteration's attacker request, its
 * defender requests, its evaluations, then the next iteration's), each request's CPU and wall time added
 * to its kind. It is the order any self-play loop has to do the work in: an iteration's requests depend
 * on the previous one's results, so the work cannot be regrouped kind by kind.
 */
async function directInOrder(captured: Captured): Promise<Direct> {
  const attacker = createOfflineAttacker();
  const defender = createOfflineDefender();
  const direct: Direct = { sim: zero(), minds: zero() };
  for (const m of captured) {
    const cost = await costOf(() => doDirectly(m, attacker, defender));
    const into = m.role === 'simulator' ? direct.sim : direct.minds;
    into.cpu += cost.cpu;
    into.wall += cost.wall;
  }
  return direct;
}

/** The same work kind by kind, as the previous bench did it: all the evaluations in one loop, then all the mind requests. */
async function directKindByKind(captured: Captured): Promise<Direct> {
  const attacker = createOfflineAttacker();
  const defender = createOfflineDefender();
  const kind = (simulator: boolean) => captured.filter((m) => (m.role === 'simulator') === simulator);
  const sim = await costOf(async () => {
    for (const m of kind(true)) await doDirectly(m, attacker, defender);
  });
  const minds = await costOf(async () => {
    for (const m of kind(false)) await doDirectly(m, attacker, defender);
  });
  return { sim, minds };
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

// ── the in-process rounds ──────────────────────────────────────────────────────────────────────

/** One round: a run, and the same requests done directly (also kind by kind at the intermediate level). */
interface Round {
  phases: Phases;
  direct: Direct;
  kindByKind: Direct | null;
}

interface LevelRounds {
  iterations: number;
  warmUp: Round[];
  rounds: Round[];
  /** The requests every run of the level sent (checked equal from run to run). */
  captured: Captured;
}

/**
 * A level's rounds, in one process: the run and the direct work take turns going first (whatever one
 * leaves behind, garbage or compiled code, is met by the other as often as the other way round), and
 * the warm-up rounds are the same for both. Each run starts from nothing (fresh store, same seed), so
 * every round does the same work; a run that sent different requests would make the comparison
 * meaningless, so it stops the bench.
 */
async function measureLevel(requester: Requester, level: number, dir: string): Promise<LevelRounds> {
  const { iterations, warmUp, rounds } = roundsAt(level);
  let reference: Captured | null = null;
  const all: Round[] = [];
  for (let r = 0; r < warmUp + rounds; r++) {
    const storePath = join(dir, `in-process-${level}-${r}.db`);
    const playOnce = async () => {
      const played = await playLevel(requester, level, iterations, storePath);
      if (reference === null) reference = played.captured;
      else if (!isDeepStrictEqual(played.captured, reference)) throw new Error(`self-play bench: level ${level} round ${r} sent different requests from the first run`);
      return played.phases;
    };
    const directly = async () => {
      const direct = await directInOrder(reference!);
      return { direct, kindByKind: level === INTERMEDIATE ? await directKindByKind(reference!) : null };
    };
    // The first round runs first: its requests are the ones the direct work repeats.
    if (r % 2 === 0) {
      const phases = await playOnce();
      all.push({ phases, ...(await directly()) });
    } else {
      const done = await directly();
      all.push({ phases: await playOnce(), ...done });
    }
    rmSync(storePath, { force: true });
  }
  return { iterations, warmUp: all.slice(0, warmUp), rounds: all.slice(warmUp), captured: reference! };
}

/** A level's figures over some rounds, per iteration: medians of each quantity, and the goal's ratios of those medians. */
function figuresOf(rounds: readonly Round[]) {
  const n = rounds[0]!.phases.iterations;
  const per = (f: (r: Round) => number) => summarize(rounds.map((r) => f(r) / n));
  const run = per((r) => r.phases.cpu);
  const appendCpu = per((r) => r.phases.appendCpu);
  const sim = per((r) => r.direct.sim.cpu);
  const minds = per((r) => r.direct.minds.cpu);
  const total = per((r) => r.phases.total).median;
  return {
    run,
    appendCpu,
    sim,
    minds,
    perMinute: 60_000 / total,
    phases: {
      attacker: per((r) => r.phases.attacker).median,
      defender: per((r) => r.phases.defender).median,
      simulator: per((r) => r.phases.simulator).median,
      append: per((r) => r.phases.append).median,
      rest: per((r) => r.phases.total - r.phases.attacker - r.phases.defender - r.phases.simulator - r.phases.append).median,
      events: per((r) => r.phases.events).median,
    },
    overhead: (run.median - minds.median) / sim.median,
    withoutAppends: (run.median - appendCpu.median - minds.median) / sim.median,
    whole: run.median / (sim.median + minds.median),
    // The same ratio in wall time: the iterations' wall time (less the minds') over the simulations'.
    wall: (total - per((r) => r.direct.minds.wall).median) / per((r) => r.direct.sim.wall).median,
    /** The overhead of each round on its own: how much one round's ratio can be trusted. */
    byRound: summarize(rounds.map((r) => (r.phases.cpu - r.direct.minds.cpu) / r.direct.sim.cpu)),
  };
}

const spreadOf = (s: Summary, show: (x: number) => string) => `${show(s.median)} (${show(s.min)}–${show(s.max)})`;

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
      `in-process ${roundsAt(1).rounds} rounds of ${ITERATIONS} iterations per level (${roundsAt(INTERMEDIATE).rounds} of ${roundsAt(INTERMEDIATE).iterations} at the intermediate level), ` +
      `over NATS ${ITERATIONS} iterations per level, ${cpus().length} cores${quick ? ' (quick)' : ''}; load average ${loadavg()[0]!.toFixed(1)} at the start`,
  );
  try {
    const local = await openInProcess();
    out('\nin-process, in rounds: each round a fresh run (same seed and configuration, fresh SQLite store) and the same requests done directly,');
    out('in the run\'s order, alternating which goes first; warm-up rounds first, not counted. Figures are medians over the counted rounds:');
    out('iterations per minute; wall ms per iteration by phase (busy time); CPU ms per iteration of the run and of the direct work;');
    out('overhead = CPU (run − minds) ÷ CPU (simulations), also without the store\'s appends; run ÷ (simulations + minds); ratios of the medians,');
    out('and the overhead computed round by round (median, min–max):');
    out(
      '  level          rounds×it  it/min | attacker defender evaluate  append  rest | events/it | CPU: run  sim  minds | overhead  w/o appends  run/(sim+minds) | by round',
    );
    const levels = new Map<number, LevelRounds>();
    for (let level = 1; level <= curriculumLevels.length; level++) {
      const measured = await measureLevel(local, level, dir);
      levels.set(level, measured);
      const f = figuresOf(measured.rounds);
      const p = f.phases;
      const times = (x: number, width: number) => `×${x.toFixed(2)}`.padStart(width);
      out(
        `  ${`${level} ${levelName(level)}`.padEnd(14)} ${`${measured.rounds.length}×${measured.iterations}`.padStart(9)} ${f1(f.perMinute).padStart(7)} | ` +
          `${f0(p.attacker).padStart(8)} ${f0(p.defender).padStart(8)} ${f0(p.simulator).padStart(8)} ${f0(p.append).padStart(7)} ${f0(p.rest).padStart(5)} | ${f0(p.events).padStart(9)} | ` +
          `${f0(f.run.median).padStart(8)} ${f0(f.sim.median).padStart(4)} ${f0(f.minds.median).padStart(6)} | ` +
          `${times(f.overhead, 8)} ${times(f.withoutAppends, 12)} ${times(f.whole, 16)} | ${spreadOf(f.byRound, (x) => `×${x.toFixed(2)}`)}`,
      );
    }
    await local.close();

    const mid = levels.get(INTERMEDIATE)!;
    const f = figuresOf(mid.rounds);
    const ms = (s: Summary) => `${f0(s.median).padStart(4)} [${f0(s.q1)}–${f0(s.q3)}] (${f0(s.min)}–${f0(s.max)})`;
    out(
      `  the intermediate level, ${mid.rounds.length} rounds of ${mid.iterations} iterations after ${mid.warmUp.length} warm-up rounds; ` +
        'CPU ms per iteration, median [interquartile] (min–max):',
    );
    out(`    run                                  ${ms(f.run)}, of which the store's appends ${ms(f.appendCpu)}`);
    out(`    direct, in the run's order: sims     ${ms(f.sim)}, minds ${ms(f.minds)}`);
    const kinds = mid.rounds.map((r) => r.kindByKind!);
    const kindSim = summarize(kinds.map((k) => k.sim.cpu / mid.iterations));
    const kindMinds = summarize(kinds.map((k) => k.minds.cpu / mid.iterations));
    out(
      `    direct, kind by kind (all sims, then all minds, as the previous bench did): sims ${ms(kindSim)}, minds ${ms(kindMinds)}; ` +
        `overhead against these ×${((f.run.median - kindMinds.median) / kindSim.median).toFixed(2)}`,
    );
    const cold = figuresOf(mid.warmUp.slice(0, 1));
    out(
      `    the first warm-up round (the previous bench measured one such run): run ${f0(cold.run.median)}, sims ${f0(cold.sim.median)}, ` +
        `minds ${f0(cold.minds.median)}: overhead ×${cold.overhead.toFixed(2)}`,
    );
    out(
      `  goal at the intermediate level: overhead ≤ ×1.2; measured ×${f.overhead.toFixed(2)} (ratio of medians; round by round ` +
        `${spreadOf(f.byRound, (x) => `×${x.toFixed(2)}`)}, interquartile ×${f.byRound.q1.toFixed(2)}–×${f.byRound.q3.toFixed(2)}; ` +
        `×${f.withoutAppends.toFixed(2)} without the store's appends; ×${f.whole.toFixed(2)} counting the minds as work; ` +
        `in wall time ×${f.wall.toFixed(2)}); load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
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
    const natsLevels = quick ? [INTERMEDIATE, 3, 4] : [1, 2, 3, 4, 5];
    const table = new Map<string, Phases>();
    const simPhases = new Map<string, NatsPhase>();
    const throughput = new Map<string, Throughput>();
    const batch = requestsTo(levels.get(INTERMEDIATE)!.captured, 'simulator');
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
          for (const level of natsLevels) {
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
    for (const level of natsLevels) {
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
        `  ${`${level} ${levelName(level)}`.padEnd(14)} ${f1(figuresOf(levels.get(level)!.rounds).perMinute).padStart(14)} |           ${cols(one, s1)} |            ${cols(two, s2)} | ` +
          `${`×${(s2.rate / s1.rate).toFixed(2)}`.padStart(10)} ${`×${(s2.cores / s1.cores).toFixed(2)}`.padStart(10)}`,
      );
    }
    const controllerCores = [1, 2].map((workers) => {
      const ps = natsLevels.map((level) => simPhases.get(`${workers}:${level}`)!);
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
