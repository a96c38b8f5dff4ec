// Online bin packing as a general scenario, so a bin packing instance also runs through the engine:
// one space-shared node per item (the potential bins, each `capacity` cores), and one task per item that
// asks `size` cores, arrives at time i (item order = arrival order) and never finishes before the last
// item has arrived. Bins opened = the metric nodesUsed; the L1 bound is ceil(Σ sizes / capacity).
import type { NodeSpec, Scenario, ScenarioInput, TaskSpec } from '../scenario.js';
import { validateScenario } from '../validate.js';
import type { BinpackInstance } from './weibull-binpack.js';

export interface BinpackScenarioOptions {
  id: string;
  description?: string;
  provenance?: Record<string, unknown>;
}

/** Duration of every item: far beyond the last arrival, so items never leave while others arrive. */
export function binpackHoldTime(items: number): number {
  return Math.max(1_000_000, 2 * items);
}

export function binpackScenario(instance: BinpackInstance, options: BinpackScenarioOptions): Scenario {
  const { capacity, items } = instance;
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number ≥ 1, got ${capacity}`);
  items.forEach((size, i) => {
    if (!Number.isInteger(size) || size < 1 || size > capacity) {
      throw new RangeError(`item ${i} has size ${size}; sizes must be whole numbers in [1, ${capacity}]`);
    }
  });
  const hold = binpackHoldTime(items.length);
  const nodes: NodeSpec[] = items.map((_, i) => ({
    id: `bin-${i}`,
    kind: 'host',
    zone: 'default',
    cores: capacity,
    mips: 1000,
    memory: 0,
    mode: 'space-shared',
    powerIdle: 0,
    powerPeak: 0,
    pricePerHour: 0,
    reliability: 1,
    latency: {},
  }));
  const tasks: TaskSpec[] = items.map((size, i) => ({
    id: `item-${i}`,
    arrival: i,
    cores: size,
    duration: hold,
    memory: 0,
    priority: 3,
    deps: [],
    utilisation: 1,
    dataSize: 0,
    tenant: 'default',
  }));
  const sum = items.reduce((a, b) => a + b, 0);
  const scenario: ScenarioInput = {
    schemaVersion: 1,
    id: options.id,
    description: options.description ?? `online bin packing: ${items.length} items, capacity ${capacity}`,
    domain: 'cloud',
    seed: 0,
    nodes,
    tasks,
    maxRetries: 0,
    provenance: {
      kind: 'binpack',
      capacity,
      items: items.length,
      l1LowerBound: Math.ceil(sum / capacity),
      metric: 'bins = nodesUsed; score = (bins − L1) / L1',
      mapping: {
        item: `task item-<i>: cores = size, arrival = i s, duration = ${hold} s (never leaves while items arrive), memory 0`,
        bin: `node bin-<i>: cores = capacity, space-shared, 1000 MIPS, no memory, power or price`,
      },
      ...options.provenance,
    },
  };
  const checked = validateScenario(scenario);
  if (!checked.ok) throw new Error(`bin packing scenario is invalid: ${checked.errors.join('; ')}`);
  return checked.scenario;
}
