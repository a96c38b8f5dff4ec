// The trace suites (version 1): `trace-alibaba` and `trace-azure`. Each case is one time window of a
// trace (../shared/data/traces, SOURCE.md there), imported by the project's importers, then:
// - SLA: the traces have none, so every task gets sla = max(2 × duration, duration + 60 s): a job may
//   wait at most as long as it runs (bounded slowdown 2), and always at least a minute;
// - fleet: the named fleet, sized so that the window's peak concurrent demand (every task running from
//   its arrival for its duration) is PRESSURE × the fleet's cores or memory: a cluster under pressure at
//   its peaks, where placement and queue order decide latency, SLA and cost (an over-provisioned fleet
//   makes every policy look alike).
// Held out: the later windows of each trace (time-based split, so no training window overlaps a test
// window). Training and validation: the earlier windows, each re-sampled with seeds ≥ 2^31.
import type { Scenario, TaskSpec } from '../../sim/scenario.js';
import { validateScenario } from '../../sim/validate.js';
import { autoNodeCount, FLEETS, fleetNodes, type FleetName } from '../../sim/workload/fleets.js';
import { importAlibaba2017 } from '../../sim/workload/import-alibaba2017.js';
import { importAzure2017 } from '../../sim/workload/import-azure2017.js';
import { readDataFile } from './data-dir.js';
import type { ScenarioCase, ScenarioSuiteDef } from './scenario-suite.js';
import { trainingSeeds, type SeedUse } from './seeds.js';

export const TRACE_SUITE_VERSION = 1;

/** Peak concurrent demand ÷ fleet capacity. */
export const PRESSURE = 1.25;
/** sla = max(SLOWDOWN × duration, duration + MIN_WAIT). */
export const SLOWDOWN = 2;
export const MIN_WAIT = 60;

export const SLA_MAPPING = `sla = max(${SLOWDOWN} × duration, duration + ${MIN_WAIT} s)`;

export function withSla(task: TaskSpec): TaskSpec {
  const d = task.duration ?? 0;
  return { ...task, sla: Math.max(SLOWDOWN * d, d + MIN_WAIT) };
}

interface TraceSpec {
  readonly name: string;
  readonly file: string;
  readonly fleet: FleetName;
  /** Window length, s. */
  readonly window: number;
  /** Fraction of the trace's rows kept per window (seeded). */
  readonly sample: number;
  /** Window starts, trace seconds. */
  readonly trainStarts: readonly number[];
  readonly testStarts: readonly number[];
  readonly describe: string;
  importWindow(text: string, start: number, seed: number): Scenario;
}

const HOUR = 3600;
const range = (from: number, count: number, step: number) => Array.from({ length: count }, (_, k) => from + k * step);

/** The azure file's first 300 s bin starts here (SOURCE.md: bins t = 2,100,000 … 2,186,100 s). */
export const AZURE_DAY_START = 2_099_700;

const ALIBABA: TraceSpec = {
  name: 'trace-alibaba',
  file: 'traces/alibaba_v2017_batch_task/batch_task.csv',
  fleet: 'alibaba2017',
  window: 1800,
  sample: 0.25,
  trainStarts: range(0, 8, HOUR),
  testStarts: range(8 * HOUR, 8, HOUR),
  describe:
    'Alibaba cluster-trace-v2017 batch tasks (Terminated, both requests present): 30-minute windows starting on the hour, 25 % of the trace tasks kept per window (seeded), each task expanded to at most 10 instances (importer default), on 64-core 128 GB hosts (fleet alibaba2017)',
  importWindow: (text, start, seed) =>
    importAlibaba2017(text, { start, window: 1800, sample: 0.25, seed, maxTasks: 100_000, instanceCap: 10, fleet: 'alibaba2017', nodes: 1, name: 'batch_task.csv' }),
};

const AZURE: TraceSpec = {
  name: 'trace-azure',
  file: 'traces/azure_v1_vm_arrivals/vm_arrivals_day25.csv',
  fleet: 'cloud-mixed',
  window: 2 * HOUR,
  sample: 0.5,
  trainStarts: range(AZURE_DAY_START, 6, 2 * HOUR),
  testStarts: range(AZURE_DAY_START + 12 * HOUR, 6, 2 * HOUR),
  describe:
    'Azure V1 (2017) VM arrivals of one day (vm_arrivals_day25.csv, about days 24.3–25.3 of the trace): 2-hour windows, 50 % of the VMs kept per window (seeded), arrival and lifetime drawn uniformly inside their 300 s and duration bins (importer default), on the mixed catalogue fleet (cloud-mixed: std-16, std-32, std-64, cpu-36, mem-32, mem-64 in turn)',
  importWindow: (text, start, seed) =>
    importAzure2017(text, { start, window: 2 * HOUR, sample: 0.5, seed, maxTasks: 100_000, fleet: 'cloud-mixed', nodes: 1, name: 'vm_arrivals_day25.csv' }),
};

/** One window as a suite case: the imported tasks with SLAs, on the fleet sized at PRESSURE. */
export function traceCase(spec: TraceSpec, text: string, start: number, seed: number, id: string): ScenarioCase {
  const imported = spec.importWindow(text, start, seed);
  const tasks = imported.tasks.map(withSla);
  const nodes = autoNodeCount(spec.fleet, tasks, PRESSURE);
  const provenance = {
    ...(imported.provenance ?? {}),
    suite: { name: spec.name, version: TRACE_SUITE_VERSION, case: id },
    fleet: { name: spec.fleet, description: FLEETS[spec.fleet].description, nodes, sizing: `peak concurrent demand = ${PRESSURE} × fleet capacity` },
    sla: SLA_MAPPING,
  };
  const checked = validateScenario({ ...imported, id: `${spec.name}-${id}`, nodes: fleetNodes(spec.fleet, nodes), tasks, provenance });
  if (!checked.ok) throw new Error(`${spec.name} ${id}: ${checked.errors[0]}`);
  return { id, scenario: checked.scenario };
}

function traceSuite(spec: TraceSpec): ScenarioSuiteDef {
  const text = (dataDir: string) => readDataFile(dataDir, spec.file);
  const at = (s: number) => (spec.name === 'trace-azure' ? `+${(s - AZURE_DAY_START) / HOUR}h` : `${s / HOUR}h`);
  return {
    kind: 'scenario',
    name: spec.name,
    version: TRACE_SUITE_VERSION,
    domain: 'cloud',
    description: `${spec.describe}. SLA: ${SLA_MAPPING} (the trace has none). Fleet sized so that peak concurrent demand is ${PRESSURE} × its capacity.`,
    split: `held out: windows starting at ${spec.testStarts.map(at).join(', ')} (sample seed 0); training and validation: windows starting at ${spec.trainStarts.map(at).join(', ')}, re-sampled with seeds ≥ 2^31`,
    parameters: {
      file: `../shared/data/${spec.file}`,
      fleet: spec.fleet,
      window: spec.window,
      sample: spec.sample,
      pressure: PRESSURE,
      sla: SLA_MAPPING,
      trainStarts: spec.trainStarts,
      testStarts: spec.testStarts,
    },
    defaults: { train: spec.trainStarts.length, validate: spec.trainStarts.length },
    needsData: true,
    test: (dataDir) => spec.testStarts.map((s) => traceCase(spec, text(dataDir), s, 0, `window-${at(s)}`)),
    training: (dataDir, runSeed, use: SeedUse, count) =>
      trainingSeeds(runSeed, spec.name, use, count).map((seed, k) => {
        const s = spec.trainStarts[k % spec.trainStarts.length]!;
        return traceCase(spec, text(dataDir), s, seed, `${use}-${at(s)}-s${seed}`);
      }),
  };
}

export const TRACE_SUITES: readonly ScenarioSuiteDef[] = [traceSuite(ALIBABA), traceSuite(AZURE)];
export const TRACE_SPECS = { 'trace-alibaba': ALIBABA, 'trace-azure': AZURE } as const;
