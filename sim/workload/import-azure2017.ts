// Importer for the Azure V1 (2017) VM arrivals in per-VM CSV form (../shared/data/traces/azure_v1_vm_arrivals,
// SOURCE.md there): arrival_s, batch_id, vm_seq, flavor, vcpu, mem_gb, duration_bin, duration_min_s,
// duration_max_s, censored. Columns are found by header name; a headerless file must use that order.
import { rngFor } from '../random.js';
import type { Scenario, TaskSpec } from '../scenario.js';
import { expectFieldCount, isNumeric, numberField, parseCsv, type CsvRow } from './csv.js';
import { openUnit, round } from './distributions.js';
import { WorkloadImportError } from './import-error.js';
import { resolveTraceOptions, sampleRows, traceScenario, type TraceImportOptions } from './trace-import.js';

export interface Azure2017Options extends TraceImportOptions {
  /** uniform (default): a seeded uniform time inside the VM's 300 s bin; bin-end: the end of the bin. */
  arrival?: 'uniform' | 'bin-end';
  /** uniform (default): seeded uniform in [duration_min_s, duration_max_s]; midpoint: their mean. */
  duration?: 'uniform' | 'midpoint';
}

/** Arrivals are binned by 300 s; lifetimes have the same 5-minute resolution. */
export const AZURE_BIN = 300;

export const AZURE_2017_MAPPING = {
  window: 'arrival (after the within-bin offset) in [start, start + window); default start = the start of the first bin',
  order: 'arrival, then file order',
  id: 'vm-<batch_id>-<vm_seq>',
  arrival: 'uniform: arrival_s − 300 + 300·U, U in (0, 1] drawn per VM (stream import/azure2017/arrival/<batch_id>/<vm_seq>); bin-end: arrival_s; then − start',
  cores: 'vcpu',
  memory: 'mem_gb, GB',
  duration:
    'uniform: duration_min_s + (duration_max_s − duration_min_s)·U per VM (stream import/azure2017/duration/<batch_id>/<vm_seq>); ' +
    'midpoint: their mean. Lifetime 0 (bin 0) is below the trace\'s 5-minute resolution: uniform in (0, 300] s, or 150 s, and at least 1 s',
  censored: 'censored = 1 means the VM outlived the trace: the duration is a lower bound; such task ids are listed in provenance.censored',
  tenant: 'batch-<batch_id>: one tenant deployment in one bin (not a tenant across bins; the processed trace has no tenant id)',
  priority: 'not in the trace: the default 3 for every task',
} as const;

const COLUMNS = ['arrival_s', 'batch_id', 'vm_seq', 'flavor', 'vcpu', 'mem_gb', 'duration_bin', 'duration_min_s', 'duration_max_s', 'censored'] as const;
const REQUIRED = ['arrival_s', 'batch_id', 'vm_seq', 'vcpu', 'mem_gb', 'duration_min_s', 'duration_max_s', 'censored'] as const;

interface Vm {
  line: number;
  binEnd: number;
  batch: string;
  seq: string;
  vcpu: number;
  mem: number;
  min: number;
  max: number;
  censored: boolean;
  arrival: number;
}

function columnIndex(header: CsvRow | undefined): Record<(typeof COLUMNS)[number], number> {
  const index = {} as Record<(typeof COLUMNS)[number], number>;
  if (!header) {
    COLUMNS.forEach((c, i) => (index[c] = i));
    return index;
  }
  COLUMNS.forEach((c) => (index[c] = header.fields.indexOf(c)));
  const missing = REQUIRED.filter((c) => index[c] < 0);
  if (missing.length > 0) throw new WorkloadImportError(`header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, header.line);
  return index;
}

export function importAzure2017(csvText: string, options: Azure2017Options = {}): Scenario {
  const arrivalMode = options.arrival ?? 'uniform';
  const durationMode = options.duration ?? 'uniform';
  if (arrivalMode !== 'uniform' && arrivalMode !== 'bin-end') throw new WorkloadImportError(`arrival must be uniform or bin-end, got '${String(arrivalMode)}'`);
  if (durationMode !== 'uniform' && durationMode !== 'midpoint') throw new WorkloadImportError(`duration must be uniform or midpoint, got '${String(durationMode)}'`);
  const seed = options.seed ?? 0;

  const csv = parseCsv(csvText);
  if (csv.length === 0) throw new WorkloadImportError('the file has no rows');
  const hasHeader = !isNumeric(csv[0]!.fields[0] ?? '');
  const col = columnIndex(hasHeader ? csv[0] : undefined);
  const width = hasHeader ? csv[0]!.fields.length : COLUMNS.length;
  const vms: Vm[] = [];
  for (const r of hasHeader ? csv.slice(1) : csv) {
    expectFieldCount(r, width);
    const binEnd = numberField(r, col.arrival_s, 'arrival_s');
    const batch = r.fields[col.batch_id]!;
    const seq = r.fields[col.vm_seq]!;
    if (batch === '') throw new WorkloadImportError('batch_id is empty', r.line);
    const vcpu = numberField(r, col.vcpu, 'vcpu', { integer: true });
    const mem = numberField(r, col.mem_gb, 'mem_gb');
    const min = numberField(r, col.duration_min_s, 'duration_min_s');
    const max = numberField(r, col.duration_max_s, 'duration_max_s');
    const censored = numberField(r, col.censored, 'censored', { integer: true });
    if (vcpu < 1) throw new WorkloadImportError(`vcpu is ${vcpu}, expected 1 or more`, r.line);
    if (mem < 0) throw new WorkloadImportError(`mem_gb is ${mem}, expected 0 or more`, r.line);
    if (min < 0 || max < min) throw new WorkloadImportError(`duration range [${min}, ${max}] is not a range of non-negative seconds`, r.line);
    if (censored !== 0 && censored !== 1) throw new WorkloadImportError(`censored is ${censored}, expected 0 or 1`, r.line);
    const arrival =
      arrivalMode === 'bin-end' ? binEnd : binEnd - AZURE_BIN + AZURE_BIN * openUnit(rngFor(seed, `import/azure2017/arrival/${batch}/${seq}`));
    vms.push({ line: r.line, binEnd, batch, seq, vcpu, mem, min, max, censored: censored === 1, arrival });
  }
  if (vms.length === 0) throw new WorkloadImportError('the file has no VM rows');

  // Loops, not Math.min(...rows): spreading a whole trace would overflow the call stack.
  const firstBinStart = vms.reduce((m, v) => Math.min(m, v.binEnd), Infinity) - AZURE_BIN;
  const lastBinEnd = vms.reduce((m, v) => Math.max(m, v.binEnd), -Infinity);
  const o = resolveTraceOptions(options, { start: firstBinStart, fleet: 'cloud-standard' });
  const inWindow = vms.filter((v) => v.arrival >= o.start && v.arrival < o.start + o.window).sort((a, b) => a.arrival - b.arrival || a.line - b.line);
  if (inWindow.length === 0) {
    throw new WorkloadImportError(
      `no VM arrives in the window [${o.start}, ${o.start + o.window}) s; the file's bins span ${firstBinStart} … ${lastBinEnd} s`,
    );
  }
  const sampled = sampleRows(inWindow, o.sample, o.seed, 'import/azure2017/sample');
  const chosen = sampled.slice(0, o.maxTasks);

  let belowResolution = 0;
  const censored: string[] = [];
  const tasks: TaskSpec[] = chosen.map((v) => {
    const id = `vm-${v.batch}-${v.seq}`;
    let duration: number;
    if (v.max === 0) {
      belowResolution++;
      duration = durationMode === 'midpoint' ? AZURE_BIN / 2 : AZURE_BIN * openUnit(rngFor(seed, `import/azure2017/duration/${v.batch}/${v.seq}`));
    } else {
      duration = durationMode === 'midpoint' ? (v.min + v.max) / 2 : v.min + (v.max - v.min) * rngFor(seed, `import/azure2017/duration/${v.batch}/${v.seq}`).float();
    }
    if (v.censored) censored.push(id);
    return {
      id,
      arrival: round(v.arrival - o.start),
      cores: v.vcpu,
      memory: v.mem,
      duration: Math.max(1, round(duration)),
      priority: 3,
      deps: [],
      utilisation: 1,
      dataSize: 0,
      tenant: `batch-${v.batch}`,
    };
  });
  const sampleTag = o.sample < 1 ? `-p${o.sample}` : '';
  return traceScenario({
    id: `azure2017-${o.start}-${o.window}${sampleTag}-s${seed}`,
    description:
      `Azure V1 (2017) VM arrivals in [${o.start}, ${o.start + o.window}) s: ${tasks.length} VMs` +
      (censored.length > 0 ? `, ${censored.length} with censored (lower-bound) lifetimes` : ''),
    tasks,
    options: o,
    provenance: {
      source: 'AzurePublicDataset V1 (2017) vmtable, processed by huaweicloud/trace_generation_rnn, one row per VM',
      file: o.name ?? null,
      see: '../shared/data/traces/azure_v1_vm_arrivals/SOURCE.md',
      window: { start: o.start, length: o.window },
      sample: o.sample,
      seed,
      maxTasks: o.maxTasks,
      arrivalMode,
      durationMode,
      mapping: AZURE_2017_MAPPING,
      censored,
      counts: {
        rows: vms.length,
        inWindow: inWindow.length,
        sampled: sampled.length,
        tasks: tasks.length,
        droppedByMaxTasks: sampled.length - chosen.length,
        lifetimeBelowResolution: belowResolution,
        censored: censored.length,
      },
    },
  });
}
