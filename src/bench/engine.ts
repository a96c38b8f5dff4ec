// Engine speed at the scale cases of ../shared/data/cloudsim/VECTORS.md: hosts of 16 cores × 1000 MIPS,
// tasks of 2 cores (4 per host), lengths 10k–100k MI from a seeded stream, all arriving at 0, placed
// by first fit (`filter: task.cores <= node.free_cores`, `score: -node.index`) and by best fit, both
// compiled from the policy language. Prints wall time of simulate() (scenario building and parsing are
// timed apart), events per second, peak resident memory, and ratios against CloudSim Plus 8.5.7 on this
// kind of machine (VECTORS.md) and against this engine's own full scan measured in the same run.
// Then a backlog: an overloaded cluster where most decisions are retries of queued tasks.
// AURORA_BENCH_QUICK=1 skips the 200 000-node case.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { compilePolicy } from '../../sim/policy/compile.js';
import type { CompiledPolicy } from '../../sim/policy/compiled.js';
import { rngFor } from '../../sim/random.js';
import { Scenario, type ScenarioInput } from '../../sim/scenario.js';
import { simulate } from '../../sim/simulate.js';

const FIRST_FIT = { name: 'first-fit', filter: 'task.cores <= node.free_cores', score: '-node.index' };
const BEST_FIT = { name: 'best-fit', filter: 'task.cores <= node.free_cores', score: '-(node.free_cores - task.cores)' };

/** CloudSim Plus 8.5.7 wall times from VECTORS.md, s (first fit; worst fit in brackets there). */
const CLOUDSIM_PLUS: Record<number, { seconds: number; note: string }> = {
  5_000: { seconds: 25.9, note: '25.9 s' },
  50_000: { seconds: 200, note: 'did not finish in 200 s' },
  200_000: { seconds: 12.7 * 60, note: 'still running after 12.7 CPU-minutes at 6.4 GB' },
};

export function scaleScenario(hosts: number): Scenario {
  const rng = rngFor(2024, 'bench:engine');
  const input: ScenarioInput = {
    id: `scale-${hosts}`,
    domain: 'cloud',
    nodes: Array.from({ length: hosts }, (_, i) => ({ id: `h${i}`, cores: 16, mips: 1000 })),
    tasks: Array.from({ length: 4 * hosts }, (_, i) => ({ id: `c${i}`, arrival: 0, cores: 2, length: rng.int(10_000, 100_000) })),
  };
  return Scenario.parse(input);
}

/** 50 hosts of 4 cores and 16 GB; tasks of 1–4 cores and 1–8 GB arrive every 0.05 s, about twice what the hosts can run. */
export function backlogScenario(tasks: number): Scenario {
  const rng = rngFor(7, 'bench:backlog');
  return Scenario.parse({
    id: `backlog-${tasks}`,
    domain: 'cloud',
    nodes: Array.from({ length: 50 }, (_, i) => ({ id: `n${i}`, cores: 4, mips: 1000, memory: 16 })),
    tasks: Array.from({ length: tasks }, (_, i) => ({
      id: `t${i}`,
      arrival: i * 0.05,
      cores: rng.int(1, 4),
      memory: rng.int(1, 8),
      length: rng.int(5000, 15000),
    })),
  });
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

interface Measure {
  seconds: number;
  cpuSeconds: number;
  events: number;
  makespan: number;
  completed: number;
}

function measure(s: Scenario, policy: CompiledPolicy, fullScan = false): Measure {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = simulate(s, policy, { fullScan });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  if (r.failure) throw new Error(`bench policy failed: ${r.failure.message}`);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, events: r.metrics.events, makespan: r.metrics.makespan, completed: r.metrics.completed };
}

/** The fastest of `times` runs (the first includes JIT warm-up). */
function best(times: number, s: Scenario, policy: CompiledPolicy, fullScan = false): Measure & { first: number } {
  let out: Measure | undefined;
  let first = 0;
  for (let i = 0; i < times; i++) {
    const m = measure(s, policy, fullScan);
    if (i === 0) first = m.seconds;
    if (!out || m.seconds < out.seconds) out = m;
  }
  return { ...out!, first };
}

export async function run(): Promise<void> {
  const quick = process.env.AURORA_BENCH_QUICK === '1';
  const sizes = quick ? [5_000, 50_000] : [5_000, 50_000, 200_000];
  const policies = { 'first-fit': compilePolicy(FIRST_FIT), 'best-fit': compilePolicy(BEST_FIT) };
  console.log('engine: hosts 16 × 1000 MIPS, 4 tasks of 2 cores per host, 10k–100k MI, all at t=0');
  for (const hosts of sizes) {
    const tb = performance.now();
    const s = scaleScenario(hosts);
    const build = (performance.now() - tb) / 1000;
    console.log(`\n${hosts} hosts / ${4 * hosts} tasks (scenario built and parsed in ${build.toFixed(2)} s)`);
    const ref = CLOUDSIM_PLUS[hosts];
    for (const [name, policy] of Object.entries(policies)) {
      const m = best(hosts <= 5_000 ? 3 : 1, s, policy);
      const vs = ref ? `; CloudSim Plus first fit: ${ref.note} → ${ref.seconds === 25.9 ? '' : '≥ '}${(ref.seconds / m.seconds).toFixed(0)}× faster` : '';
      console.log(
        `  ${name.padEnd(9)} ${m.seconds.toFixed(3)} s wall (${m.cpuSeconds.toFixed(3)} s CPU${hosts <= 5_000 ? `, best of 3; first run ${m.first.toFixed(3)} s` : ''}), ` +
          `${m.events} events, ${(m.events / m.seconds / 1e6).toFixed(2)} M events/s, makespan ${m.makespan.toFixed(1)} s, ${m.completed} completed` +
          (name === 'first-fit' ? vs : ''),
      );
      if (hosts === 5_000) {
        const full = measure(s, policy, true);
        console.log(`  ${name.padEnd(9)} full scan, same run: ${full.seconds.toFixed(3)} s → the index is ${(full.seconds / m.seconds).toFixed(1)}× faster`);
      }
    }
    console.log(`  peak resident memory so far: ${mb(process.resourceUsage().maxRSS * 1024)}`);
  }

  const fits = compilePolicy({ name: 'first-fit', filter: 'node.free_cores_after >= 0 and node.free_memory_after >= 0', score: '-node.index' });
  console.log('\nbacklog: 50 hosts × 4 cores, a task every 0.05 s (about 2× overload), first fit on cores and memory');
  const small = backlogScenario(1_000);
  const fast = measure(small, fits);
  const full = measure(small, fits, true);
  console.log(`  1 000 tasks: ${fast.seconds.toFixed(3)} s; full scan, same run: ${full.seconds.toFixed(3)} s → ${(full.seconds / fast.seconds).toFixed(1)}× faster`);
  const big = measure(backlogScenario(20_000), fits);
  console.log(`  20 000 tasks: ${big.seconds.toFixed(3)} s wall (${big.cpuSeconds.toFixed(3)} s CPU), ${big.events} events`);
}

// Runnable on its own: node --import tsx src/bench/engine.ts
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
