// The offline attacker's operators on generator parameters. Each takes a point of the parameter space
// and returns a nearby point (never outside the schema's bounds), and says in words what it changed.
// Numeric moves stay inside the search ranges of the state (the evolver adapts them).
import type { Rng } from '../../../sim/random.js';
import type { Domain } from '../../../sim/scenario.js';
import { normal, pick, round } from '../../../sim/workload/distributions.js';
import { ArrivalPattern } from '../../../sim/workload/arrivals.js';
import { TASK_CLASSES, type GeneratorParams, type TaskClass } from '../../../sim/workload/params.js';
import { fitToRange, knobByPath, knobsFor, readKnob, writeKnob, type Range } from './knobs.js';
import type { AttackerOperator } from './search.js';

export interface Mutation {
  params: GeneratorParams;
  /** What changed, e.g. `sla.tightness 0.4→0.62`. */
  changes: string[];
}

export interface MutationContext {
  rng: Rng;
  domain: Domain;
  ranges: Record<string, Range>;
  /** A second parent, for crossover. */
  other: GeneratorParams | null;
}

/** Relative step of a perturbation: σ as a fraction of the search range's width. */
const STEP = 0.25;

const show = (x: number) => String(round(x, 4));

function rangeOf(ctx: MutationContext, path: string): Range {
  const k = knobByPath(path)!;
  return Object.prototype.hasOwnProperty.call(ctx.ranges, path) ? ctx.ranges[path]! : k.search;
}

/** Sets a knob (fitted to its range) and records the change when the value moved. */
function setKnob(m: Mutation, ctx: MutationContext, path: string, value: number): void {
  const k = knobByPath(path)!;
  const before = readKnob(m.params, path) ?? k.schema.min;
  const after = fitToRange(k, value, rangeOf(ctx, path));
  if (after === before) return;
  m.params = writeKnob(m.params, path, after);
  m.changes.push(`${path} ${show(before)}→${show(after)}`);
}

/** A Gaussian step of STEP × the range's width; `direction` +1/−1 forces the sign. */
function step(ctx: MutationContext, m: Mutation, path: string, direction: 0 | 1 | -1 = 0): void {
  const r = rangeOf(ctx, path);
  const k = knobByPath(path)!;
  const width = Math.max(r.max - r.min, k.integer ? 1 : 1e-3);
  let delta = normal(ctx.rng) * STEP * width;
  if (direction !== 0) delta = direction * Math.abs(delta);
  if (k.integer && Math.round(delta) === 0) delta = direction === 0 ? (ctx.rng.float() < 0.5 ? -1 : 1) : direction;
  const before = readKnob(m.params, path) ?? r.min;
  setKnob(m, ctx, path, before + delta);
}

/** Task classes that make sense in a domain (sensor and stream tasks need data sources). */
export function classesFor(domain: Domain): TaskClass[] {
  switch (domain) {
    case 'cloud':
      return ['batch', 'deeprm', 'hpc', 'interactive'];
    case 'edge':
      return ['batch', 'interactive', 'sensor'];
    case 'network':
      return ['batch', 'interactive', 'sensor', 'stream'];
    case 'hybrid':
      return [...TASK_CLASSES].sort();
  }
}

type Operator = (m: Mutation, ctx: MutationContext) => void;

const OPERATORS: Record<AttackerOperator | 'relax', Operator> = {
  perturb: (m, ctx) => step(ctx, m, pick(ctx.rng, knobsFor(ctx.domain)).path),

  arrival: (m, ctx) => {
    const patterns = ArrivalPattern.options.filter((p) => p !== m.params.arrival.pattern);
    const next = pick(ctx.rng, patterns);
    m.changes.push(`arrival.pattern ${m.params.arrival.pattern}→${next}`);
    m.params = { ...m.params, arrival: { ...m.params.arrival, pattern: next } };
    const shape: Record<string, string[]> = {
      bursty: ['arrival.bursts', 'arrival.burstWidth', 'arrival.background'],
      diurnal: ['arrival.amplitude', 'arrival.cycles'],
      periodic: ['arrival.jitter'],
      poisson: [],
      sporadic: ['arrival.tailIndex'],
    };
    const knobs = shape[next]!;
    if (knobs.length > 0) step(ctx, m, pick(ctx.rng, knobs));
  },

  mix: (m, ctx) => {
    const classes = classesFor(ctx.domain);
    const mix = { ...m.params.mix };
    const c = pick(ctx.rng, classes);
    const before = mix[c];
    // Scale a weight by e^N(0, 0.8), or bring a silent class in at the mean weight of the others.
    const live = classes.filter((x) => mix[x] > 0);
    const mean = live.length === 0 ? 1 : live.reduce((s, x) => s + mix[x], 0) / live.length;
    let after = before > 0 ? before * Math.exp(0.8 * normal(ctx.rng)) : mean;
    if (before > 0 && live.length > 1 && ctx.rng.float() < 0.15) after = 0;
    mix[c] = Math.min(1000, Math.max(0, round(after, 3)));
    if (!classes.some((x) => mix[x] > 0)) mix[c] = Math.max(0.001, before);
    if (mix[c] === before) return;
    // Classes foreign to the domain are silenced so the mix stays meaningful.
    for (const x of TASK_CLASSES) if (!classes.includes(x)) mix[x] = 0;
    m.params = { ...m.params, mix };
    m.changes.push(`mix.${c} ${show(before)}→${show(mix[c])}`);
  },

  failures: (m, ctx) => {
    step(ctx, m, 'failures.fraction', 1);
    step(ctx, m, pick(ctx.rng, ['failures.downtime', 'failures.permanent']));
  },

  congestion: (m, ctx) => {
    step(ctx, m, 'congestion.windows', 1);
    step(ctx, m, pick(ctx.rng, ['congestion.severity', 'congestion.length']));
  },

  prices: (m, ctx) => {
    step(ctx, m, 'prices.spikes', 1);
    step(ctx, m, pick(ctx.rng, ['prices.multiplier', 'prices.length', 'prices.zonal']));
  },

  // Tighten three times in four, loosen otherwise: SLAs are the sharpest difficulty knob.
  sla: (m, ctx) => {
    const direction = ctx.rng.float() < 0.75 ? 1 : -1;
    step(ctx, m, 'sla.tightness', direction);
    if (ctx.rng.float() < 0.5) step(ctx, m, 'sla.fraction', direction);
  },

  dependencies: (m, ctx) => {
    step(ctx, m, 'dependencies.density');
    step(ctx, m, pick(ctx.rng, ['dependencies.maxDeps', 'dependencies.window']));
  },

  // Uniform crossover over the groups of the parameter space, with a second elite.
  crossover: (m, ctx) => {
    const other = ctx.other;
    if (other === null) return OPERATORS.perturb(m, ctx);
    const groups = ['arrival', 'congestion', 'dependencies', 'failures', 'heterogeneity', 'loadFactor', 'mix', 'prices', 'sla', 'tenants', 'timeShared'] as const;
    const taken: string[] = [];
    const next = { ...m.params } as Record<string, unknown>;
    for (const g of groups) {
      if (ctx.rng.float() < 0.5 && JSON.stringify(other[g]) !== JSON.stringify(m.params[g])) {
        next[g] = structuredClone(other[g]);
        taken.push(g);
      }
    }
    m.params = next as unknown as GeneratorParams;
    if (taken.length > 0) m.changes.push(`took ${taken.join(', ')} from the second parent`);
  },

  // The repair step after an unsolvable proposal: every difficulty knob moves towards easier.
  relax: (m, ctx) => {
    const ease = (path: string, factor: number) => {
      const v = readKnob(m.params, path);
      if (v !== undefined) setKnob(m, { ...ctx, ranges: { ...ctx.ranges, [path]: knobByPath(path)!.schema } }, path, v * factor);
    };
    ease('loadFactor', 0.75);
    ease('sla.tightness', 0.7);
    ease('failures.fraction', 0.5);
    ease('failures.permanent', 0.5);
    ease('dependencies.density', 0.5);
    ease('congestion.windows', 0.5);
    ease('prices.spikes', 0.5);
  },
};

/** `params` changed by operator `op`. */
export function mutateParams(op: AttackerOperator | 'relax', params: GeneratorParams, ctx: MutationContext): Mutation {
  const m: Mutation = { params: structuredClone(params), changes: [] };
  OPERATORS[op](m, ctx);
  return m;
}

/** Operators that mean something in `domain` (congestion needs links or edge latencies). */
export function operatorsFor(domain: Domain): AttackerOperator[] {
  const all: AttackerOperator[] = ['arrival', 'congestion', 'crossover', 'dependencies', 'failures', 'mix', 'perturb', 'prices', 'sla'];
  return domain === 'cloud' ? all.filter((o) => o !== 'congestion') : all;
}
