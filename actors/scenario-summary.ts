// A statistical summary of a scenario: what a mind needs to know about it without its raw tasks
// (an LLM prompt cannot carry 100 000 tasks, and a defender should not overfit to task ids).
import type { Scenario } from '../sim/scenario.js';

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

function stats(xs: number[]): { min: number; mean: number; max: number } {
  if (xs.length === 0) return { min: 0, mean: 0, max: 0 };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const x of xs) {
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  return { min: round(min), mean: round(sum / xs.length), max: round(max) };
}

export interface ScenarioSummary {
  domain: string;
  level: number | null;
  tasks: number;
  nodes: number;
  totalCores: number;
  totalMemory: number;
  arrivalSpan: number;
  taskCores: { min: number; mean: number; max: number };
  taskMemory: { min: number; mean: number; max: number };
  sla: { withSla: number; min: number; mean: number; max: number };
  dependencies: number;
  tenants: number;
  nodeKinds: Record<string, number>;
  modes: Record<string, number>;
  failures: number;
  congestionWindows: number;
  priceChanges: number;
  links: number;
  objectives: Scenario['objectives'];
}

function tally(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...keys].sort()) out[k] = (out[k] ?? 0) + 1;
  return out;
}

export function summarizeScenario(s: Scenario): ScenarioSummary {
  const slas = s.tasks.flatMap((t) => (t.sla === undefined ? [] : [t.sla]));
  const arrivals = s.tasks.map((t) => t.arrival);
  return {
    domain: s.domain,
    level: s.level ?? null,
    tasks: s.tasks.length,
    nodes: s.nodes.length,
    totalCores: s.nodes.reduce((n, x) => n + x.cores, 0),
    totalMemory: round(s.nodes.reduce((n, x) => n + x.memory, 0)),
    arrivalSpan: arrivals.length === 0 ? 0 : round(Math.max(...arrivals) - Math.min(...arrivals)),
    taskCores: stats(s.tasks.map((t) => t.cores)),
    taskMemory: stats(s.tasks.map((t) => t.memory)),
    sla: { withSla: slas.length, ...stats(slas) },
    dependencies: s.tasks.reduce((n, t) => n + t.deps.length, 0),
    tenants: new Set(s.tasks.map((t) => t.tenant)).size,
    nodeKinds: tally(s.nodes.map((n) => n.kind)),
    modes: tally(s.nodes.map((n) => n.mode)),
    failures: s.environment.failures.length,
    congestionWindows: s.environment.congestion.length,
    priceChanges: s.environment.prices.length,
    links: s.links.length,
    objectives: s.objectives,
  };
}
