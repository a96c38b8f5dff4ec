// The numeric knobs of the generator's parameter space that the offline attacker moves, each with its
// bounds in the schema (sim/workload/params.ts, the one place ranges live; a test checks these agree)
// and the default search range: the part of the schema range the attacker samples in until the evolver
// moves it. Knobs that mean nothing in a domain (congestion in pure cloud, edge knobs outside edge and
// hybrid) are not offered there.
import type { Domain } from '../../../sim/scenario.js';
import type { GeneratorParams } from '../../../sim/workload/params.js';

export interface Range {
  min: number;
  max: number;
}

export interface Knob {
  /** Dotted path into GeneratorParams, e.g. `sla.tightness`. */
  readonly path: string;
  /** Bounds the schema accepts. */
  readonly schema: Range;
  /** Where the attacker samples before the evolver adapts it (inside the schema bounds). */
  readonly search: Range;
  readonly integer: boolean;
  /** The operator family that owns the knob (perturb may move any knob). */
  readonly group: 'load' | 'arrival' | 'fleet' | 'failures' | 'congestion' | 'prices' | 'sla' | 'dependencies' | 'edge' | 'network';
  readonly domains: readonly Domain[];
}

const ALL: readonly Domain[] = ['cloud', 'edge', 'network', 'hybrid'];
const LINKED: readonly Domain[] = ['edge', 'network', 'hybrid'];
const EDGE: readonly Domain[] = ['edge', 'hybrid'];
const NETWORK: readonly Domain[] = ['network', 'hybrid'];

const knob = (
  path: string,
  schema: [number, number],
  search: [number, number],
  group: Knob['group'],
  options: { integer?: boolean; domains?: readonly Domain[] } = {},
): Knob => ({
  path,
  schema: { min: schema[0], max: schema[1] },
  search: { min: search[0], max: search[1] },
  integer: options.integer ?? false,
  group,
  domains: options.domains ?? ALL,
});

/** Every knob, sorted by path. */
export const KNOBS: readonly Knob[] = [
  knob('arrival.amplitude', [0, 1], [0.2, 1], 'arrival'),
  knob('arrival.background', [0, 1], [0, 0.5], 'arrival'),
  knob('arrival.burstWidth', [0.0001, 1], [0.005, 0.2], 'arrival'),
  knob('arrival.bursts', [1, 1000], [1, 20], 'arrival', { integer: true }),
  knob('arrival.cycles', [0.25, 50], [0.5, 4], 'arrival'),
  knob('arrival.jitter', [0, 1], [0, 1], 'arrival'),
  knob('arrival.tailIndex', [1.05, 5], [1.1, 3], 'arrival'),
  knob('congestion.length', [0.001, 1], [0.02, 0.4], 'congestion', { domains: LINKED }),
  knob('congestion.severity', [0, 0.95], [0.1, 0.9], 'congestion', { domains: LINKED }),
  knob('congestion.windows', [0, 100], [0, 12], 'congestion', { integer: true, domains: LINKED }),
  knob('dependencies.density', [0, 1], [0, 0.5], 'dependencies'),
  knob('dependencies.maxDeps', [1, 8], [1, 4], 'dependencies', { integer: true }),
  knob('dependencies.window', [1, 100], [2, 20], 'dependencies', { integer: true }),
  knob('edge.deviceFraction', [0, 1], [0, 0.8], 'edge', { domains: EDGE }),
  knob('failures.downtime', [0, 1], [0.05, 0.5], 'failures'),
  knob('failures.fraction', [0, 1], [0, 0.4], 'failures'),
  knob('failures.permanent', [0, 1], [0, 0.5], 'failures'),
  knob('heterogeneity', [0, 1], [0, 1], 'fleet'),
  knob('loadFactor', [0.01, 3], [0.2, 1.6], 'load'),
  knob('network.linkDensity', [0, 1], [0.2, 1], 'network', { domains: NETWORK }),
  knob('prices.length', [0.001, 1], [0.02, 0.3], 'prices'),
  knob('prices.multiplier', [1, 20], [1, 6], 'prices'),
  knob('prices.spikes', [0, 50], [0, 8], 'prices', { integer: true }),
  knob('prices.zonal', [0, 1], [0, 1], 'prices'),
  knob('sla.fraction', [0, 1], [0.2, 1], 'sla'),
  knob('sla.tightness', [0, 1], [0, 0.95], 'sla'),
  knob('tenants', [1, 100], [1, 12], 'fleet', { integer: true }),
  knob('timeShared', [0, 1], [0, 1], 'fleet'),
];

export function knobByPath(path: string): Knob | undefined {
  return KNOBS.find((k) => k.path === path);
}

/** The knobs that mean something in `domain`, sorted by path. */
export function knobsFor(domain: Domain, group?: Knob['group']): Knob[] {
  return KNOBS.filter((k) => k.domains.includes(domain) && (group === undefined || k.group === group));
}

/** The value at a dotted path (a number, or undefined when the path does not lead to one). */
export function readKnob(params: GeneratorParams, path: string): number | undefined {
  let v: unknown = params;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'number' ? v : undefined;
}

/** A copy of `params` with the value at `path` replaced (objects on the path are copied, not shared). */
export function writeKnob(params: GeneratorParams, path: string, value: number): GeneratorParams {
  const keys = path.split('.');
  const root = { ...params } as Record<string, unknown>;
  let at = root;
  for (let i = 0; i < keys.length - 1; i++) {
    const next = { ...(at[keys[i]!] as Record<string, unknown>) };
    at[keys[i]!] = next;
    at = next;
  }
  at[keys[keys.length - 1]!] = value;
  return root as unknown as GeneratorParams;
}

/** `value` moved into `range` (and to an integer for integer knobs), rounded to 4 decimals. */
export function fitToRange(k: Knob, value: number, range: Range): number {
  const lo = Math.max(k.schema.min, Math.min(range.min, range.max));
  const hi = Math.min(k.schema.max, Math.max(range.min, range.max));
  const v = Math.min(hi, Math.max(lo, Number.isFinite(value) ? value : lo));
  if (k.integer) return Math.min(Math.floor(hi), Math.max(Math.ceil(lo), Math.round(v)));
  return Math.round(v * 1e4) / 1e4;
}
