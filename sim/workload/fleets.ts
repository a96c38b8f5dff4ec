// Named fleets for trace importers: the machines a trace's tasks are placed on. A trace says what was
// asked for, rarely what it ran on, so each fleet states its assumptions.
import type { NodeSpec, TaskSpec } from '../scenario.js';
import { CLOUD_HOSTS, type NodeType } from './catalogue.js';

export const FLEET_NAMES = ['alibaba2017', 'cloud-standard', 'cloud-mixed'] as const;
export type FleetName = (typeof FLEET_NAMES)[number];

const host = (name: string) => CLOUD_HOSTS.find((t) => t.name === name)!;

/**
 * alibaba2017: the trace's machines have 64 CPUs (trace_201708.md); their memory is normalised and the
 * real size is not disclosed, so we assume 128 GB (plan_mem 1.0 = one whole machine). Power and price as
 * the catalogue's 64-core host.
 */
const ALIBABA_2017: NodeType = { ...host('std-64'), name: 'alibaba-64', memory: 128 };

export const FLEETS: Record<FleetName, { description: string; types: readonly NodeType[] }> = {
  alibaba2017: {
    description: '64-core hosts as in the Alibaba 2017 cluster; 128 GB memory is an assumption (the trace normalises memory)',
    types: [ALIBABA_2017],
  },
  'cloud-standard': { description: 'identical 32-core, 128 GB general-purpose hosts (catalogue std-32)', types: [host('std-32')] },
  'cloud-mixed': {
    description: 'hosts cycling through the catalogue: std-16, std-32, std-64, cpu-36, mem-32, mem-64',
    types: ['std-16', 'std-32', 'std-64', 'cpu-36', 'mem-32', 'mem-64'].map(host),
  },
};

export function isFleetName(name: string): name is FleetName {
  return (FLEET_NAMES as readonly string[]).includes(name);
}

/** The machine memory plan_mem-style normalised requests are scaled by: the fleet's largest memory. */
export function fleetMachineMemory(fleet: FleetName): number {
  return Math.max(...FLEETS[fleet].types.map((t) => t.memory));
}

export function nodeFromType(type: NodeType, id: string, zone = 'default'): NodeSpec {
  return {
    id,
    kind: type.kind,
    zone,
    cores: type.cores,
    mips: type.mips,
    memory: type.memory,
    mode: 'space-shared',
    powerIdle: type.powerIdle,
    powerPeak: type.powerPeak,
    pricePerHour: type.pricePerHour,
    reliability: type.reliability,
    latency: {},
  };
}

/** `count` nodes of the fleet, types taken in turn, ids `node-0`, `node-1`, … */
export function fleetNodes(fleet: FleetName, count: number): NodeSpec[] {
  const types = FLEETS[fleet].types;
  return Array.from({ length: count }, (_, i) => nodeFromType(types[i % types.length]!, `node-${i}`));
}

/**
 * Nodes needed so that the peak of concurrent demand (every task running from its arrival for its
 * duration, no queueing) fills about `targetPeak` of the fleet's cores and memory; at least one.
 */
export function autoNodeCount(
  fleet: FleetName,
  tasks: readonly Pick<TaskSpec, 'arrival' | 'cores' | 'memory' | 'duration'>[],
  targetPeak = 0.8,
): number {
  const types = FLEETS[fleet].types;
  const meanCores = types.reduce((a, t) => a + t.cores, 0) / types.length;
  const meanMemory = types.reduce((a, t) => a + t.memory, 0) / types.length;
  const events: [number, number, number][] = [];
  for (const t of tasks) {
    events.push([t.arrival, t.cores, t.memory]);
    events.push([t.arrival + (t.duration ?? 0), -t.cores, -t.memory]);
  }
  // Ends before starts at equal times: a task leaving frees room for one arriving.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cores = 0;
  let memory = 0;
  let peakCores = 0;
  let peakMemory = 0;
  for (const [, c, m] of events) {
    cores += c;
    memory += m;
    peakCores = Math.max(peakCores, cores);
    peakMemory = Math.max(peakMemory, memory);
  }
  const byCores = peakCores / (meanCores * targetPeak);
  const byMemory = peakMemory / (meanMemory * targetPeak);
  return Math.max(1, Math.ceil(Math.max(byCores, byMemory) - 1e-9));
}
