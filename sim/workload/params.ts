// The generator's parameter space as plain JSON-able data. The attacker searches this space, so every
// knob is a number, an integer or an enum with a documented range, and the schema below is the one
// place those ranges live (docs/workloads.md is written from it; z.toJSONSchema exports it).
import { z } from 'zod';
import { Domain } from '../scenario.js';
import { ArrivalParams } from './arrivals.js';
import { formatIssue } from '../validate.js';

const unit = (what: string) => z.number().min(0).max(1).describe(what);

/** An interval [min, max] with min ≤ max. */
const range = (lo: number, hi: number, what: string) =>
  z
    .object({ min: z.number().min(lo).max(hi), max: z.number().min(lo).max(hi) })
    .strict()
    .refine((r) => r.min <= r.max, { message: 'min must not exceed max' })
    .describe(`${what} (each bound in [${lo}, ${hi}])`);

export const TASK_CLASSES = ['deeprm', 'batch', 'interactive', 'hpc', 'sensor', 'stream'] as const;
export type TaskClass = (typeof TASK_CLASSES)[number];

const weight = (what: string) => z.number().min(0).max(1000).describe(what);

export const TaskMix = z
  .object({
    deeprm: weight('DeepRM bimodal jobs: CPU- or memory-dominant, 80 % short (1–3 time units), 20 % long (10–15)'),
    batch: weight('batch tasks shaped like the Alibaba 2017 trace: mostly 1 core, log-normal run time (median 30 s)'),
    interactive: weight('short requests: 1–2 cores, 0.05–2 s, high priority'),
    hpc: weight('wide compute jobs: half to all of a reference node, 5–60 min'),
    sensor: weight('edge analytics: 1 core, 20–500 ms, reads 0.1–5 MB from a data source'),
    stream: weight('data-heavy jobs: 1–2 cores, reads data.size MB from a data source'),
  })
  .strict()
  .refine((m) => TASK_CLASSES.some((c) => m[c] > 0), { message: 'at least one task class needs a positive weight' })
  .describe('relative weights of the task classes (normalised; need not sum to 1)');
export type TaskMix = z.infer<typeof TaskMix>;

export const GeneratorParams = z
  .object({
    domain: Domain.describe('which topology to build: cloud hosts, edge sites, network zones and links, or a hybrid'),
    level: z.number().int().min(1).max(10).describe('curriculum level the parameters were made for (recorded on the scenario)'),
    tasks: z.number().int().min(1).max(5000).describe('number of tasks'),
    nodes: z.number().int().min(1).max(1000).describe('number of nodes'),
    loadFactor: z
      .number()
      .min(0.01)
      .max(3)
      .describe('offered load: core-seconds the tasks ask for ÷ core-seconds the fleet offers over the arrival horizon; sets the horizon'),
    arrival: ArrivalParams.describe('arrival pattern and its shape'),
    mix: TaskMix,
    deeprmTimeUnit: z.number().min(0.1).max(3600).describe('seconds in one DeepRM time unit'),
    heterogeneity: unit('0: every node is the base type of its tier; 1: types drawn uniformly from the catalogue'),
    timeShared: unit('fraction of nodes that are time-shared (the rest space-shared)'),
    zones: z.number().int().min(1).max(20).describe('cloud availability zones (cloud, network and hybrid)'),
    tenants: z.number().int().min(1).max(100).describe('task owners, drawn with Zipf(1) weights'),
    failures: z
      .object({
        fraction: unit('fraction of nodes that fail once during the horizon'),
        downtime: unit('mean time down (exponential) as a fraction of the horizon'),
        permanent: unit('probability that a failure never recovers'),
      })
      .strict()
      .describe('node failures; nodes with lower advertised reliability fail more often, and the largest node never fails'),
    congestion: z
      .object({
        windows: z.number().int().min(0).max(100).describe('number of congestion windows'),
        severity: z.number().min(0).max(0.95).describe('bandwidth lost at worst: factor = 1 − severity × U(0.5, 1)'),
        length: z.number().min(0.001).max(1).describe('length of one window as a fraction of the horizon'),
      })
      .strict()
      .describe('congestion windows on links or zones'),
    prices: z
      .object({
        spikes: z.number().int().min(0).max(50).describe('number of price spikes (each sets a multiplier, then resets it to 1)'),
        multiplier: z.number().min(1).max(20).describe('largest multiplier; each spike draws 1 + (multiplier − 1) × U(0.5, 1)'),
        length: z.number().min(0.001).max(1).describe('length of a spike as a fraction of the horizon'),
        zonal: unit('probability that a spike hits one zone rather than all'),
      })
      .strict()
      .describe('dynamic pricing; spikes never overlap in time'),
    sla: z
      .object({
        fraction: unit('fraction of tasks with an SLA'),
        tightness: unit('0: SLA = 10 × the fastest run time; 1: 1.25 × (geometric in between), plus data transfer time'),
      })
      .strict()
      .describe('latency objectives, always achievable by a task running alone on the fastest node'),
    dependencies: z
      .object({
        density: unit('probability that a task depends on earlier tasks'),
        maxDeps: z.number().int().min(1).max(8).describe('most dependencies of one task'),
        window: z.number().int().min(1).max(100).describe('a task depends only on the previous `window` tasks'),
      })
      .strict()
      .describe('a DAG: tasks only ever wait for earlier tasks'),
    data: z
      .object({
        sources: z.number().int().min(0).max(200).describe('data sources (sensors, cameras, upstream services); 0 in pure cloud'),
        size: range(0, 100_000, 'data a stream task reads, MB'),
      })
      .strict()
      .describe('data sources (src-<j>) that sensor and stream tasks read from'),
    edge: z
      .object({
        sites: z.number().int().min(1).max(50).describe('edge sites (zones `site-<i>`); each has one edge server at least'),
        deviceFraction: unit('fraction of edge nodes that are battery devices rather than edge servers'),
        localLatency: range(0, 1, 'latency from a source to a node at its own site, s'),
        remoteLatency: range(0, 1, 'latency from a source to an edge server at another site, s (devices reach only local sources)'),
        lanBandwidth: range(0.1, 1_000_000, "hybrid: bandwidth of the link from a source into its own site, Mbit/s (in edge there are no links and data moves freely)"),
        energyBudget: range(0.01, 100, "a device's energy budget as a multiple of its peak power × the arrival horizon (1: enough to run flat out until the last arrival)"),
      })
      .strict()
      .describe('edge and hybrid domains'),
    network: z
      .object({
        linkDensity: unit('fraction of (source, zone) pairs joined by a link; every source keeps one link at least'),
        bandwidth: range(0.1, 1_000_000, 'link bandwidth, Mbit/s'),
        latency: range(0, 1, 'link propagation delay, s'),
      })
      .strict()
      .describe('network and hybrid domains (in hybrid, the WAN links from sources to cloud zones)'),
    cloudFraction: unit('hybrid: fraction of nodes that are cloud hosts'),
    maxRetries: z.number().int().min(0).max(10).describe('times a task killed by a failure is re-queued'),
  })
  .strict();
export type GeneratorParams = z.infer<typeof GeneratorParams>;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
/** Any subset of the parameters, nested objects included, for overrides. */
export type ParamsOverrides = DeepPartial<GeneratorParams>;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** `overrides` deep-merged over `base` (objects merge key by key, anything else replaces). Unchecked. */
export function mergeParams(base: unknown, overrides: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overrides)) return overrides === undefined ? base : overrides;
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(overrides).sort()) out[key] = mergeParams(base[key], overrides[key]);
  return out;
}

/** Parameters that fail the schema: every problem as `path: message`; the message names the first. */
export class ParamsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid generator parameters: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`);
    this.name = 'ParamsError';
  }
}

/** Checked parameters, or a ParamsError. */
export function parseParams(input: unknown): GeneratorParams {
  const parsed = GeneratorParams.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ParamsError(parsed.error.issues.map((issue) => formatIssue(issue, input, 'params')));
}
