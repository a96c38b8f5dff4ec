// fast-check generators: small scenarios exercising every engine feature, and the policies to run on them.
import fc from 'fast-check';
import { baselineNames, baselines } from '../../../sim/baselines/registry.js';
import type { CompiledPolicy } from '../../../sim/policy/compiled.js';
import { compilePolicy } from '../../../sim/policy/compile.js';
import { Scenario, type ScenarioInput } from '../../../sim/scenario.js';
import { bestFitHand, firstFitHand, handPolicy } from './helpers.js';

export interface ScenarioShape {
  failures?: boolean;
  budgets?: boolean;
  /** Few nodes, many tasks arriving over time: queues form, so retries and skipping are exercised. */
  contended?: boolean;
}

export function arbScenario(shape: ScenarioShape = {}): fc.Arbitrary<Scenario> {
  const withFailures = shape.failures ?? true;
  const withBudgets = shape.budgets ?? true;
  const zones = ['a', 'b'];
  const arbNode = fc.record({
    cores: fc.integer({ min: 1, max: 8 }),
    mips: fc.constantFrom(250, 500, 1000, 2000),
    memory: fc.constantFrom(0, 0, 4, 8, 16),
    mode: fc.constantFrom('time-shared', 'space-shared'),
    powerIdle: fc.constantFrom(0, 50, 100),
    powerPeak: fc.constantFrom(0, 150, 300),
    pricePerHour: fc.constantFrom(0, 0.5, 2),
    zone: fc.constantFrom(...zones),
    latency: fc.option(fc.record({ s1: fc.constantFrom(0, 0.5, 2) }), { nil: undefined }),
    energyBudget: withBudgets ? fc.option(fc.constantFrom(500, 5000, 50_000), { freq: 4, nil: undefined }) : fc.constant(undefined),
    clone: fc.boolean(),
  });
  const arbTask = fc.record({
    arrival: shape.contended ? fc.integer({ min: 0, max: 60 }).map((a) => a / 2) : fc.constantFrom(0, 0, 1, 2.5, 5, 10, 20),
    // Contended runs repeat a few task shapes, so many queued tasks are decided alike.
    cores: shape.contended ? fc.constantFrom(1, 2, 2, 4, 8, 9) : fc.integer({ min: 1, max: 9 }),
    work: fc.oneof(
      fc.record({ length: fc.integer({ min: 100, max: 20_000 }) }),
      fc.record({ duration: fc.constantFrom(0.5, 1, 3, 10) }),
    ),
    memory: shape.contended ? fc.constantFrom(0, 0, 2) : fc.constantFrom(0, 0, 1, 2, 4, 9),
    utilisation: fc.constantFrom(0.25, 0.5, 1, 1),
    priority: fc.integer({ min: 1, max: 5 }),
    sla: fc.option(fc.constantFrom(2, 10, 50), { nil: undefined }),
    deps: fc.array(fc.nat(40), { maxLength: 2 }),
    source: fc.option(fc.constant('s1'), { freq: 3, nil: undefined }),
    dataSize: fc.constantFrom(0, 0, 1, 5),
    tenant: fc.constantFrom('x', 'y'),
  });
  return fc
    .record({
      seed: fc.nat(1000),
      nodes: fc.array(arbNode, { minLength: 1, maxLength: shape.contended ? 3 : 7 }),
      tasks: fc.array(arbTask, { maxLength: shape.contended ? 40 : 18 }),
      links: fc.array(
        fc.record({ zone: fc.constantFrom(...zones), bandwidth: fc.constantFrom(8, 40), latency: fc.constantFrom(0, 0.2) }),
        { maxLength: 2 },
      ),
      failures: fc.array(
        fc.record({ node: fc.nat(6), at: fc.constantFrom(0, 1, 3, 7.5), span: fc.option(fc.constantFrom(1, 4, 30), { nil: undefined }) }),
        { maxLength: withFailures ? 3 : 0 },
      ),
      congestion: fc.array(
        fc.record({ target: fc.constantFrom('a', 'b', 'l0'), from: fc.constantFrom(0, 2, 6), span: fc.constantFrom(1, 5), factor: fc.constantFrom(0.25, 0.5) }),
        { maxLength: 2 },
      ),
      prices: fc.array(fc.record({ at: fc.constantFrom(1, 4, 9), multiplier: fc.constantFrom(0.5, 3), zone: fc.option(fc.constantFrom(...zones), { nil: undefined }) }), {
        maxLength: 2,
      }),
      maxRetries: fc.integer({ min: 0, max: 2 }),
    })
    .map((r) => {
      // Clones repeat the previous node's spec, so the candidate index has buckets with several nodes.
      const nodes = [] as ScenarioInput['nodes'];
      r.nodes.forEach((n, i) => {
        const { clone, latency, energyBudget, ...spec } = n;
        const base = clone && i > 0 ? { ...nodes[i - 1], id: `n${i}` } : { id: `n${i}`, ...spec, ...(latency ? { latency } : {}), ...(energyBudget ? { energyBudget } : {}) };
        nodes.push(base);
      });
      const input: ScenarioInput = {
        id: 'prop',
        domain: 'hybrid',
        seed: r.seed,
        nodes,
        links: r.links.map((l, i) => ({ id: `l${i}`, source: 's1', ...l })),
        tasks: r.tasks.map((t, i) => ({
          id: `t${i}`,
          arrival: t.arrival,
          cores: t.cores,
          ...t.work,
          memory: t.memory,
          utilisation: t.utilisation,
          priority: t.priority,
          ...(t.sla !== undefined ? { sla: t.sla } : {}),
          // Only earlier tasks, so there are no cycles; a dependency on itself is dropped.
          deps: [...new Set(t.deps.filter((d) => d < i).map((d) => `t${d}`))],
          ...(t.source !== undefined ? { source: t.source, dataSize: t.dataSize } : {}),
          tenant: t.tenant,
        })),
        environment: {
          failures: r.failures
            .filter((f) => f.node < r.nodes.length)
            .map((f) => ({ node: `n${f.node}`, at: f.at, ...(f.span !== undefined ? { until: f.at + f.span } : {}) })),
          congestion: r.congestion.map((c) => ({ target: c.target, from: c.from, until: c.from + c.span, factor: c.factor })),
          prices: r.prices.map((p) => ({ at: p.at, multiplier: p.multiplier, ...(p.zone ? { zone: p.zone } : {}) })),
        },
        maxRetries: r.maxRetries,
      };
      return Scenario.parse(input);
    });
}

/**
 * Overloaded clusters: tasks of a few shapes arrive faster than nodes finish them, so a backlog forms and
 * most decisions are retries — the paths where skipping and deciding alike matter.
 */
export function arbBacklog(): fc.Arbitrary<Scenario> {
  return fc
    .record({
      seed: fc.nat(1000),
      nodes: fc.array(
        fc.record({
          cores: fc.constantFrom(2, 4),
          memory: fc.constantFrom(0, 16),
          mode: fc.constantFrom('time-shared', 'space-shared'),
          pricePerHour: fc.constantFrom(0, 1),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      copies: fc.integer({ min: 1, max: 4 }),
      gap: fc.constantFrom(0.05, 0.2, 1),
      tasks: fc.array(
        fc.record({
          cores: fc.constantFrom(1, 2, 4),
          memory: fc.constantFrom(0, 1, 8),
          length: fc.constantFrom(1000, 5000, 15000),
          priority: fc.constantFrom(1, 5),
          sla: fc.option(fc.constantFrom(5, 30), { nil: undefined }),
          tenant: fc.constantFrom('x', 'y'),
        }),
        { minLength: 20, maxLength: 120 },
      ),
      failure: fc.option(fc.record({ node: fc.nat(11), at: fc.constantFrom(2, 10), span: fc.constantFrom(3, 20) }), { nil: undefined }),
    })
    .map((r) => {
      const nodes = Array.from({ length: r.nodes.length * r.copies }, (_, i) => ({ id: `b${i}`, mips: 1000, ...r.nodes[i % r.nodes.length] }));
      return Scenario.parse({
        id: 'backlog',
        domain: 'cloud',
        seed: r.seed,
        nodes,
        tasks: r.tasks.map((t, i) => ({ id: `t${i}`, arrival: Math.round(i * r.gap * 100) / 100, ...t })),
        environment: {
          failures: r.failure && r.failure.node < nodes.length ? [{ node: `b${r.failure.node}`, at: r.failure.at, until: r.failure.at + r.failure.span }] : [],
        },
      });
    });
}

const compiled = new Map<string, CompiledPolicy>();
function baseline(name: string): CompiledPolicy {
  let p = compiled.get(name);
  if (!p) compiled.set(name, (p = compilePolicy(baselines[name])));
  return p;
}

/** Hand policies that stress particular engine paths, plus every baseline compiled from the policy language. */
export const policyMakers: Record<string, () => CompiledPolicy> = {
  'first-fit-hand': firstFitHand,
  'best-fit-hand': bestFitHand,
  'busy-avoider': () =>
    handPolicy({ name: 'busy-avoider', filter: (c) => c.node!.running < 2, score: (c) => -c.node!.queued - c.node!.spec.mips / 1000 }),
  'energy-aware': () =>
    handPolicy({ name: 'energy-aware', filter: (c) => c.task.spec.cores <= c.node!.freeCores, score: (c) => -c.node!.energyUsed - c.node!.index / 100 }),
  'late-opener': () => handPolicy({ name: 'late-opener', filter: (c) => c.sim.now >= 2 || c.node!.open, score: (c) => c.node!.freeCores }),
  'top-2': () => handPolicy({ name: 'top-2', score: (c) => c.node!.freeCores, nodesToScore: 2 }),
  ...Object.fromEntries(baselineNames.map((n) => [n, () => baseline(n)])),
};

export const arbPolicyName = fc.constantFrom(...Object.keys(policyMakers));
