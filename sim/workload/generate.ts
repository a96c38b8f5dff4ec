// Seeded scenario generation: defaultParams(domain, level) gives a point in the parameter space,
// generateFromParams(params, seed) turns any point into a Scenario. Same params and seed, same JSON.
// Each purpose draws from its own stream (workload/<purpose>), so changing, say, the task count never
// moves the nodes or the failures' random draws.
import { hashName, rngFor } from '../random.js';
import type { Domain, LinkSpec, NodeSpec, Scenario, ScenarioInput, TaskSpec } from '../scenario.js';
import { infeasibleTasks, nodeCanHold, reachOf, validateScenario, type NodeReach } from '../validate.js';
import { arrivalTimes } from './arrivals.js';
import { defaultParams } from './defaults.js';
import { lerp, pickWeighted, round, sampleWithoutReplacement, zipfWeights } from './distributions.js';
import { generateCongestion, generateFailures, generatePrices } from './environment.js';
import { levelName } from './levels.js';
import { mergeParams, parseParams, TASK_CLASSES, type GeneratorParams, type ParamsOverrides } from './params.js';
import { TASK_CLASS_SAMPLERS, type ClassContext, type TaskShape } from './task-classes.js';
import { buildTopology } from './topology.js';

/** Bumped whenever the same params and seed would give a different scenario. */
export const GENERATOR_VERSION = 1;

export interface GenerateOptions {
  domain: Domain;
  level: number;
  seed: number;
  /** Any subset of the parameters, deep-merged over defaultParams(domain, level). */
  overrides?: ParamsOverrides;
}

export function generateScenario(options: GenerateOptions): Scenario {
  const params = parseParams(mergeParams(defaultParams(options.domain, options.level), options.overrides ?? {}));
  return generateFromParams(params, options.seed);
}

/** JSON with object keys sorted: the same params always print, and hash, the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

export function generateFromParams(input: GeneratorParams, seed: number): Scenario {
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new RangeError(`seed must be an integer in [0, 2^32 − 1], got ${seed}`);
  const p = parseParams(input);
  const rng = (purpose: string) => rngFor(seed, `workload/${purpose}`);

  const topo = buildTopology(p, rng('topology'));
  const ref = referenceNode(topo.nodes);
  const ctx: ClassContext = {
    refCores: ref.cores,
    refMemory: ref.memory,
    refMips: ref.mips,
    deeprmTimeUnit: p.deeprmTimeUnit,
    sources: topo.sources,
    streamData: p.data.size,
  };

  const classRng = rng('tasks');
  const weights = TASK_CLASSES.map((c) => p.mix[c]);
  const classes = Array.from({ length: p.tasks }, () => TASK_CLASSES[pickWeighted(classRng, weights)]!);
  const reach = topo.nodes.map((n) => reachOf(n, topo.links));
  const shapes = classes.map((c) => fitToFleet(TASK_CLASS_SAMPLERS[c](classRng, ctx), topo.nodes, reach));

  const horizon = arrivalHorizon(shapes, topo.nodes, p.loadFactor);
  setEnergyBudgets(p, topo.nodes, horizon, rng('energy'));
  const arrivals = arrivalTimes(p.arrival, p.tasks, horizon, rng('arrivals'));
  const deps = dependencies(p, rng('dependencies'));
  const slas = slaTargets(p, shapes, topo.nodes, topo.links, rng('sla'));
  const tenants = tenantsFor(p, rng('tenants'));

  const tasks: TaskSpec[] = shapes.map((shape, i) => {
    const task: TaskSpec = {
      id: `t${i}`,
      arrival: arrivals[i]!,
      cores: shape.cores,
      memory: shape.memory,
      priority: shape.priority,
      deps: deps[i]!,
      utilisation: 1,
      dataSize: shape.dataSize,
      tenant: tenants[i]!,
    };
    if (shape.length !== undefined) task.length = shape.length;
    else task.duration = shape.duration;
    if (shape.source !== undefined) task.source = shape.source;
    if (slas[i] !== undefined) task.sla = slas[i];
    return task;
  });

  const environment = {
    failures: generateFailures(p, topo.nodes, topo.protectedNode, horizon, rng('failures')),
    congestion: generateCongestion(p, topo.links, topo.zones, horizon, rng('congestion')),
    prices: generatePrices(p, topo.zones, horizon, rng('prices')),
  };
  const paramsHash = hashName(0, canonicalJson(p)).toString(16).padStart(8, '0');
  const scenario: ScenarioInput = {
    schemaVersion: 1,
    id: `gen-${p.domain}-l${p.level}-${paramsHash}-s${seed}`,
    description: describe(p, topo.nodes.length, topo.links.length, environment, horizon),
    domain: p.domain,
    level: p.level,
    seed,
    nodes: topo.nodes,
    links: topo.links,
    tasks,
    environment,
    maxRetries: p.maxRetries,
    provenance: {
      source: 'generator',
      generator: 'sim/workload/generate.ts',
      version: GENERATOR_VERSION,
      seed,
      horizon,
      params: p,
      classes: Object.fromEntries(TASK_CLASSES.map((c) => [c, classes.filter((x) => x === c).length])),
    },
  };
  const checked = validateScenario(scenario);
  // A generator that writes an invalid scenario is a bug here, not bad input.
  if (!checked.ok) throw new Error(`generator produced an invalid scenario: ${checked.errors.join('; ')}`);
  if (infeasibleTasks(checked.scenario).length > 0) throw new Error('generator produced an infeasible task');
  return checked.scenario;
}

/** The median node by cores (ties: first): the yardstick task classes size themselves against. */
function referenceNode(nodes: readonly NodeSpec[]): NodeSpec {
  const sorted = [...nodes].sort((a, b) => a.cores - b.cores || a.memory - b.memory);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Shrink a task that no node could hold to the largest node that reaches its source (or drop the
 * source when none does), so every generated task is feasible.
 */
function fitToFleet(shape: TaskShape, nodes: readonly NodeSpec[], reach: readonly NodeReach[]): TaskShape {
  const asTask = (x: TaskShape) => ({ ...x, id: 'x', arrival: 0, deps: [], utilisation: 1, tenant: 'x' }) as TaskSpec;
  if (nodes.some((n, i) => nodeCanHold(asTask(shape), n, reach[i]!))) return shape;
  // The nodes the task's data can reach, whatever their size.
  const unbounded = asTask({ ...shape, cores: 1, memory: 0 });
  const candidates = nodes.filter((n, i) => nodeCanHold(unbounded, n, reach[i]!));
  if (candidates.length === 0) {
    const { source: _dropped, ...rest } = shape;
    return fitToFleet({ ...rest, dataSize: 0 }, nodes, reach);
  }
  let best = candidates[0]!;
  for (const n of candidates) if (n.cores > best.cores || (n.cores === best.cores && n.memory > best.memory)) best = n;
  return {
    ...shape,
    cores: Math.min(shape.cores, best.cores),
    memory: best.memory > 0 ? Math.min(shape.memory, best.memory) : shape.memory,
  };
}

/** Expected run time of a task on a core of mean speed, s. */
function expectedRun(shape: TaskShape, meanMips: number): number {
  return shape.duration ?? (shape.length ?? 0) / meanMips;
}

/**
 * The arrival horizon H that makes the offered load equal `loadFactor`:
 * Σ cores × expected run time = loadFactor × Σ node cores × H. At least 1 s.
 */
function arrivalHorizon(shapes: readonly TaskShape[], nodes: readonly NodeSpec[], loadFactor: number): number {
  const totalCores = nodes.reduce((a, n) => a + n.cores, 0);
  const meanMips = nodes.reduce((a, n) => a + n.cores * n.mips, 0) / totalCores;
  const work = shapes.reduce((a, s) => a + s.cores * expectedRun(s, meanMips), 0);
  return Math.max(1, round(work / (totalCores * loadFactor)));
}

/** Devices get a budget of U(edge.energyBudget) × peak power × H joules (at least 1 J). */
function setEnergyBudgets(p: GeneratorParams, nodes: NodeSpec[], horizon: number, rng: ReturnType<typeof rngFor>): void {
  for (const node of nodes) {
    if (node.kind !== 'device') continue;
    const multiple = p.edge.energyBudget.min + (p.edge.energyBudget.max - p.edge.energyBudget.min) * rng.float();
    node.energyBudget = Math.max(1, round(multiple * node.powerPeak * horizon, 1));
  }
}

/** A DAG: task i may wait for up to maxDeps distinct tasks among the `window` before it. */
function dependencies(p: GeneratorParams, rng: ReturnType<typeof rngFor>): string[][] {
  return Array.from({ length: p.tasks }, (_, i) => {
    if (i === 0 || rng.float() >= p.dependencies.density) return [];
    const lo = Math.max(0, i - p.dependencies.window);
    const k = rng.int(1, Math.min(p.dependencies.maxDeps, i - lo));
    const picked = sampleWithoutReplacement(rng, Array.from({ length: i - lo }, () => 1), k);
    return picked.map((j) => lo + j).sort((a, b) => a - b).map((j) => `t${j}`);
  });
}

/**
 * SLA = m × (fastest run time + data transfer over the best link + the best latency), where
 * m = 10^(1 − tightness) × 1.25^tightness: 10 × at tightness 0, 1.25 × at 1. Always achievable alone.
 */
function slaTargets(p: GeneratorParams, shapes: readonly TaskShape[], nodes: readonly NodeSpec[], links: readonly LinkSpec[], rng: ReturnType<typeof rngFor>): (number | undefined)[] {
  const maxMips = nodes.reduce((m, n) => Math.max(m, n.mips), 0);
  const m = Math.exp(lerp(Math.log(10), Math.log(1.25), p.sla.tightness));
  // Per source: the best link bandwidth and the lowest latency by link or to a node.
  const best = new Map<string, { bandwidth: number; latency: number }>();
  const at = (source: string) => best.get(source) ?? { bandwidth: 0, latency: Infinity };
  for (const l of links) {
    const b = at(l.source);
    best.set(l.source, { bandwidth: Math.max(b.bandwidth, l.bandwidth), latency: Math.min(b.latency, l.latency) });
  }
  for (const n of nodes) {
    for (const [source, latency] of Object.entries(n.latency)) {
      const b = at(source);
      best.set(source, { bandwidth: b.bandwidth, latency: Math.min(b.latency, latency) });
    }
  }
  return shapes.map((s) => {
    if (rng.float() >= p.sla.fraction) return undefined;
    const run = s.duration ?? (s.length ?? 0) / maxMips;
    let transfer = 0;
    if (s.source !== undefined) {
      const b = at(s.source);
      transfer = (b.bandwidth > 0 ? (s.dataSize * 8) / b.bandwidth : 0) + (Number.isFinite(b.latency) ? b.latency : 0);
    }
    // Rounded up to the millisecond, so rounding never makes it unachievable.
    return Math.max(0.001, Math.ceil(m * (run + transfer) * 1000 - 1e-9) / 1000);
  });
}

/** Owners drawn with Zipf(1) weights over tenant-0 … tenant-(n−1). */
function tenantsFor(p: GeneratorParams, rng: ReturnType<typeof rngFor>): string[] {
  const weights = zipfWeights(p.tenants);
  return Array.from({ length: p.tasks }, () => `tenant-${pickWeighted(rng, weights)}`);
}

function describe(p: GeneratorParams, nodes: number, links: number, env: { failures: unknown[]; congestion: unknown[]; prices: unknown[] }, horizon: number): string {
  const spikes = env.prices.length / 2;
  return (
    `${levelName(p.level)} ${p.domain} scenario (level ${p.level}): ${p.tasks} tasks, ${p.arrival.pattern} arrivals over ${horizon} s ` +
    `at load ${p.loadFactor}, on ${nodes} nodes${links > 0 ? ` with ${links} links` : ''}; ` +
    `${env.failures.length} failures, ${env.congestion.length} congestion windows, ${spikes} price spikes`
  );
}
