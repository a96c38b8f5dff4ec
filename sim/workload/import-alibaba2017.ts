// Importer for Alibaba cluster-trace-v2017 batch_task.csv (../shared/data/traces/alibaba_v2017_batch_task,
// SOURCE.md there). Eight columns, with or without the header line (the official file has none):
// create_time, end_time, job_id, task_id, instance_num, status, plan_cpu, plan_mem.
import type { Scenario, TaskSpec } from '../scenario.js';
import { round } from './distributions.js';
import { expectFieldCount, isNumeric, numberField, optionalNumberField, parseCsv } from './csv.js';
import { fleetMachineMemory } from './fleets.js';
import { WorkloadImportError } from './import-error.js';
import { resolveTraceOptions, sampleRows, traceScenario, type TraceImportOptions } from './trace-import.js';

export interface Alibaba2017Options extends TraceImportOptions {
  /** expand (default): one scenario task per instance, at most `instanceCap` per trace task; one: one scenario task per trace task. */
  instanceMode?: 'expand' | 'one';
  /** Most instances expanded from one trace task (default 10). */
  instanceCap?: number;
}

export const ALIBABA_2017_DEFAULTS = { start: 0, instanceMode: 'expand', instanceCap: 10, fleet: 'alibaba2017' } as const;

/** The column-to-field mapping, recorded in every imported scenario's provenance and in docs/workloads.md. */
export const ALIBABA_2017_MAPPING = {
  filter: "status = 'Terminated' with both plan_cpu and plan_mem present; create_time in [start, start + window)",
  order: 'create_time, then job_id, then task_id',
  id: 'j<job_id>-t<task_id>, plus -i<k> per expanded instance',
  arrival: 'create_time − start, s',
  cores: 'ceil(plan_cpu / 100), at least 1 (100 = one core; 50 rounds up to 1, doubling the request)',
  memory: "plan_mem × the fleet's machine memory, GB (plan_mem is normalised to one machine)",
  duration: 'max(1, end_time − create_time) s: the span of the whole task, all instances and waves included, so an upper bound on one instance',
  tenant: 'job-<job_id>',
  priority: 'not in the trace: the default 3 for every task',
  dependencies: 'none: jobs are DAGs of tasks, but v2017 does not publish the edges',
  instances: 'expand: one task per instance, up to instanceCap per trace task (the rest counted in provenance); one: one task per trace task, instance_num ignored',
} as const;

interface Row {
  line: number;
  create: number;
  end: number;
  job: number;
  task: number;
  instances: number;
  cpu: number;
  mem: number;
}

export function importAlibaba2017(csvText: string, options: Alibaba2017Options = {}): Scenario {
  const o = resolveTraceOptions(options, ALIBABA_2017_DEFAULTS);
  const instanceMode = options.instanceMode ?? ALIBABA_2017_DEFAULTS.instanceMode;
  const instanceCap = options.instanceCap ?? ALIBABA_2017_DEFAULTS.instanceCap;
  if (instanceMode !== 'expand' && instanceMode !== 'one') throw new WorkloadImportError(`instance mode must be expand or one, got '${String(instanceMode)}'`);
  if (!(Number.isInteger(instanceCap) && instanceCap >= 1)) throw new WorkloadImportError(`instance cap must be a whole number ≥ 1, got ${instanceCap}`);

  const csv = parseCsv(csvText);
  if (csv.length === 0) throw new WorkloadImportError('the file has no rows');
  // The official file has no header; copies with one start with a non-numeric field.
  const body = isNumeric(csv[0]!.fields[0] ?? '') ? csv : csv.slice(1);
  let read = 0;
  let terminated = 0;
  const kept: Row[] = [];
  for (const r of body) {
    expectFieldCount(r, 8);
    read++;
    const create = numberField(r, 0, 'task_create_time');
    const end = numberField(r, 1, 'task_end_time');
    const job = numberField(r, 2, 'job_id', { integer: true });
    const task = numberField(r, 3, 'task_id', { integer: true });
    const instances = numberField(r, 4, 'number_of_instances', { integer: true });
    const cpu = optionalNumberField(r, 6, 'plan_cpu');
    const mem = optionalNumberField(r, 7, 'plan_mem');
    if (instances < 0) throw new WorkloadImportError(`number_of_instances is ${instances}, expected 0 or more`, r.line);
    if (cpu !== undefined && cpu < 0) throw new WorkloadImportError(`plan_cpu is ${cpu}, expected 0 or more`, r.line);
    if (mem !== undefined && mem < 0) throw new WorkloadImportError(`plan_mem is ${mem}, expected 0 or more`, r.line);
    if (r.fields[5] !== 'Terminated') continue;
    terminated++;
    if (cpu === undefined || mem === undefined) continue;
    kept.push({ line: r.line, create, end, job, task, instances, cpu, mem });
  }
  const filtered = kept.length;
  const inWindow = kept
    .filter((r) => r.create >= o.start && r.create < o.start + o.window)
    .sort((a, b) => a.create - b.create || a.job - b.job || a.task - b.task);
  if (inWindow.length === 0) {
    // Loops, not Math.min(...rows): spreading a whole trace would overflow the call stack.
    const first = kept.reduce((m, r) => Math.min(m, r.create), Infinity);
    const last = kept.reduce((m, r) => Math.max(m, r.create), -Infinity);
    const span = filtered === 0 ? '' : `; their create times span ${first} … ${last} s`;
    throw new WorkloadImportError(`no task in the window [${o.start}, ${o.start + o.window}) s (${filtered} rows pass the filter${span})`);
  }
  const sampled = sampleRows(inWindow, o.sample, o.seed, 'import/alibaba2017/sample');

  const machineMemory = fleetMachineMemory(o.fleet);
  const tasks: TaskSpec[] = [];
  let instancesDropped = 0;
  let truncated = 0;
  for (const r of sampled) {
    const n = instanceMode === 'one' ? 1 : Math.max(1, Math.min(r.instances, instanceCap));
    if (instanceMode === 'expand') instancesDropped += Math.max(0, r.instances - n);
    for (let k = 0; k < n; k++) {
      if (tasks.length >= o.maxTasks) {
        truncated++;
        continue;
      }
      tasks.push({
        id: `j${r.job}-t${r.task}` + (instanceMode === 'expand' && r.instances > 1 ? `-i${k}` : ''),
        arrival: round(r.create - o.start),
        cores: Math.max(1, Math.ceil(r.cpu / 100)),
        memory: round(r.mem * machineMemory, 4),
        duration: Math.max(1, r.end - r.create),
        priority: 3,
        deps: [],
        utilisation: 1,
        dataSize: 0,
        tenant: `job-${r.job}`,
      });
    }
  }
  const sampleTag = o.sample < 1 ? `-p${o.sample}-s${o.seed}` : '';
  return traceScenario({
    id: `alibaba2017-${o.start}-${o.window}${sampleTag}`,
    description:
      `Alibaba cluster-trace-v2017 batch tasks created in [${o.start}, ${o.start + o.window}) s: ` +
      `${tasks.length} tasks from ${sampled.length} trace tasks`,
    tasks,
    options: o,
    provenance: {
      source: 'alibaba-cluster-trace-v2017 batch_task.csv',
      file: o.name ?? null,
      see: '../shared/data/traces/alibaba_v2017_batch_task/SOURCE.md',
      window: { start: o.start, length: o.window },
      sample: o.sample,
      seed: o.seed,
      maxTasks: o.maxTasks,
      instanceMode,
      instanceCap,
      machineMemoryGB: machineMemory,
      mapping: ALIBABA_2017_MAPPING,
      counts: {
        rows: read,
        terminated,
        passFilter: filtered,
        inWindow: inWindow.length,
        sampled: sampled.length,
        tasks: tasks.length,
        instancesBeyondCap: instancesDropped,
        droppedByMaxTasks: truncated,
      },
    },
  });
}
