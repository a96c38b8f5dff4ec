// Default generator parameters for a domain and curriculum level. Sizes follow levels.ts; difficulty
// grows with the level: more load, burstier arrivals, more heterogeneity, failures, congestion, price
// spikes, tighter and more frequent SLAs, denser dependencies, scarcer bandwidth. The table is in
// docs/workloads.md.
import type { Domain } from '../scenario.js';
import type { ArrivalPattern } from './arrivals.js';
import { lerp, round } from './distributions.js';
import { levelRamp, levelSize } from './levels.js';
import { parseParams, type GeneratorParams, type TaskMix } from './params.js';

const PATTERN_BY_LEVEL: readonly ArrivalPattern[] = [
  'periodic', 'poisson', 'poisson', 'diurnal', 'diurnal', 'bursty', 'bursty', 'bursty', 'bursty', 'bursty',
];

const MIX: Record<Domain, TaskMix> = {
  cloud: { deeprm: 4, batch: 3, interactive: 2, hpc: 1, sensor: 0, stream: 0 },
  edge: { deeprm: 0, batch: 1, interactive: 3, hpc: 0, sensor: 6, stream: 0 },
  network: { deeprm: 0, batch: 2, interactive: 2, hpc: 0, sensor: 2, stream: 4 },
  hybrid: { deeprm: 2, batch: 2, interactive: 2, hpc: 1, sensor: 2, stream: 1 },
};

export function defaultParams(domain: Domain, level: number): GeneratorParams {
  const size = levelSize(level);
  const t = levelRamp(level);
  const r = (x: number) => round(x, 3);
  const after = (from: number) => (level < from ? 0 : (level - from) / (10 - from));
  const sites = Math.min(size.nodes, 1 + Math.floor(level / 2));
  const zones = domain === 'edge' ? 1 : 1 + Math.floor(level / 3);
  const sources = domain === 'cloud' ? 0 : domain === 'network' ? 2 + level : 2 * sites;
  const dataSize = { cloud: { min: 0, max: 0 }, edge: { min: 0.1, max: 5 }, network: { min: 10, max: 500 }, hybrid: { min: 1, max: 100 } }[domain];
  return parseParams({
    domain,
    level,
    tasks: size.tasks,
    nodes: size.nodes,
    loadFactor: r(lerp(0.3, 0.9, t)),
    arrival: {
      pattern: PATTERN_BY_LEVEL[level - 1]!,
      jitter: 0.1,
      bursts: Math.max(2, Math.round(lerp(8, 3, t))),
      burstWidth: r(lerp(0.05, 0.01, t)),
      background: r(lerp(0.2, 0.05, t)),
      tailIndex: 1.5,
      amplitude: r(lerp(0.5, 0.9, t)),
      cycles: 1,
    },
    mix: MIX[domain],
    deeprmTimeUnit: 10,
    heterogeneity: r(lerp(0.1, 1, t)),
    timeShared: domain === 'edge' ? 1 : domain === 'hybrid' ? 0.5 : 0,
    zones,
    tenants: level <= 2 ? 1 : 1 + level,
    failures: {
      fraction: level < 3 ? 0 : r(lerp(0.05, 0.2, after(3))),
      downtime: r(lerp(0.1, 0.3, t)),
      permanent: level < 6 ? 0 : r(lerp(0.1, 0.25, after(6))),
    },
    congestion: {
      windows: domain === 'cloud' || level < 3 ? 0 : level - 2,
      severity: r(lerp(0.3, 0.8, t)),
      length: r(lerp(0.1, 0.2, t)),
    },
    prices: {
      spikes: level < 3 ? 0 : Math.round((level - 2) / 2),
      multiplier: r(lerp(1.5, 4, t)),
      length: 0.1,
      zonal: 0.5,
    },
    sla: { fraction: r(lerp(0.3, 1, t)), tightness: r(lerp(0.1, 0.8, t)) },
    dependencies: { density: level < 2 ? 0 : r(lerp(0.05, 0.3, t)), maxDeps: 1 + Math.floor(level / 4), window: 10 },
    data: { sources, size: dataSize },
    edge: {
      sites,
      deviceFraction: r(lerp(0.3, 0.5, t)),
      localLatency: { min: 0.001, max: 0.005 },
      remoteLatency: { min: 0.01, max: 0.04 },
      lanBandwidth: { min: r(lerp(1000, 200, t)), max: r(lerp(5000, 1000, t)) },
      energyBudget: { min: r(lerp(2, 0.4, t)), max: r(lerp(4, 0.8, t)) },
    },
    network: {
      linkDensity: r(lerp(1, 0.5, t)),
      bandwidth: { min: r(lerp(1000, 100, t)), max: r(lerp(10_000, 1000, t)) },
      latency: domain === 'hybrid' ? { min: 0.03, max: 0.1 } : { min: 0.001, max: 0.02 },
    },
    cloudFraction: 0.5,
    maxRetries: 3,
  });
}
