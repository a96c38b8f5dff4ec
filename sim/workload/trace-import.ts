// What the trace importers share: window, sampling and cap options, and turning a task list plus a
// named fleet into a checked Scenario.
import { rngFor } from '../random.js';
import type { Scenario, ScenarioInput, TaskSpec } from '../scenario.js';
import { validateScenario } from '../validate.js';
import { autoNodeCount, FLEETS, fleetNodes, isFleetName, type FleetName } from './fleets.js';
import { WorkloadImportError } from './import-error.js';

export interface TraceImportOptions {
  /** Window start, in trace seconds. */
  start?: number;
  /** Window length, s (default 3600). */
  window?: number;
  /** Keep at most this many scenario tasks, the earliest first (default 1000). */
  maxTasks?: number;
  /** Keep each trace row with this probability (default 1), drawn from a stream under `seed`. */
  sample?: number;
  /** Seed for sampling and for any random mapping choice (default 0). */
  seed?: number;
  /** Named fleet of nodes (fleets.ts). */
  fleet?: FleetName | string;
  /** Number of nodes; default: enough for the peak of concurrent demand to fill ~80 % of the fleet. */
  nodes?: number;
  /** File name, for provenance. */
  name?: string;
}

export interface ResolvedTraceOptions {
  start: number;
  window: number;
  maxTasks: number;
  sample: number;
  seed: number;
  fleet: FleetName;
  nodes?: number;
  name?: string;
}

export const DEFAULT_WINDOW = 3600;
export const DEFAULT_MAX_TASKS = 1000;

export function resolveTraceOptions(o: TraceImportOptions, defaults: { start: number; fleet: FleetName }): ResolvedTraceOptions {
  const start = o.start ?? defaults.start;
  const window = o.window ?? DEFAULT_WINDOW;
  const maxTasks = o.maxTasks ?? DEFAULT_MAX_TASKS;
  const sample = o.sample ?? 1;
  const seed = o.seed ?? 0;
  const fleet = o.fleet ?? defaults.fleet;
  if (!Number.isFinite(start)) throw new WorkloadImportError(`start must be a number of seconds, got ${start}`);
  if (!(Number.isFinite(window) && window > 0)) throw new WorkloadImportError(`window must be a positive number of seconds, got ${window}`);
  if (!(Number.isInteger(maxTasks) && maxTasks >= 1)) throw new WorkloadImportError(`max tasks must be a whole number ≥ 1, got ${maxTasks}`);
  if (!(sample > 0 && sample <= 1)) throw new WorkloadImportError(`sample must be a fraction in (0, 1], got ${sample}`);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 32 - 1)) throw new WorkloadImportError(`seed must be a whole number in [0, 2^32 − 1], got ${seed}`);
  if (!isFleetName(fleet)) throw new WorkloadImportError(`unknown fleet '${fleet}' (known: ${Object.keys(FLEETS).join(', ')})`);
  if (o.nodes !== undefined && !(Number.isInteger(o.nodes) && o.nodes >= 1)) throw new WorkloadImportError(`nodes must be a whole number ≥ 1, got ${o.nodes}`);
  const out: ResolvedTraceOptions = { start, window, maxTasks, sample, seed, fleet };
  if (o.nodes !== undefined) out.nodes = o.nodes;
  if (o.name !== undefined) out.name = o.name;
  return out;
}

/** Rows kept with probability `fraction`, one draw per row in order, from stream `purpose` under `seed`. */
export function sampleRows<T>(rows: readonly T[], fraction: number, seed: number, purpose: string): T[] {
  if (fraction >= 1) return [...rows];
  const rng = rngFor(seed, purpose);
  return rows.filter(() => rng.float() < fraction);
}

export interface TraceScenarioInput {
  id: string;
  description: string;
  tasks: TaskSpec[];
  options: ResolvedTraceOptions;
  provenance: Record<string, unknown>;
}

/** The tasks on the chosen fleet, checked. An empty window is an error: a scenario of nothing says nothing. */
export function traceScenario(input: TraceScenarioInput): Scenario {
  const { options } = input;
  const count = options.nodes ?? autoNodeCount(options.fleet, input.tasks);
  const scenario: ScenarioInput = {
    schemaVersion: 1,
    id: input.id,
    description: input.description,
    domain: 'cloud',
    seed: options.seed,
    nodes: fleetNodes(options.fleet, count),
    tasks: input.tasks,
    provenance: {
      ...input.provenance,
      fleet: {
        name: options.fleet,
        description: FLEETS[options.fleet].description,
        nodes: count,
        sizing: options.nodes === undefined ? 'auto: peak concurrent demand fills ~80 % of cores and memory' : 'given',
      },
    },
  };
  const checked = validateScenario(scenario);
  if (!checked.ok) throw new WorkloadImportError(`the imported scenario is invalid: ${checked.errors[0]}`);
  return checked.scenario;
}
