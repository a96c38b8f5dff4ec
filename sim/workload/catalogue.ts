// Node types the generators and importers build fleets from. Figures are typical, not measured:
// cloud hosts of 8–64 cores at 2000–3000 MIPS per core, 32–512 GB, 100–200 W idle and 300–500 W at full
// load (the range SPECpower reports for one- and two-socket servers), priced per hour like public
// on-demand instances of the same vCPU and memory (AWS m5/c5/r5 list prices, us-east, of the order of
// $0.38 for 8 vCPU / 32 GB to $4.03 for 64 vCPU / 512 GB). Edge servers are a few cores in a street
// cabinet; devices are gateways and phones on batteries.
import type { NodeKind } from '../scenario.js';

export interface NodeType {
  name: string;
  kind: NodeKind;
  cores: number;
  /** MIPS per core. */
  mips: number;
  /** GB. */
  memory: number;
  /** W. */
  powerIdle: number;
  /** W. */
  powerPeak: number;
  /** Price units per hour. */
  pricePerHour: number;
  /** Advertised probability of staying up. */
  reliability: number;
}

export const CLOUD_HOSTS: readonly NodeType[] = [
  { name: 'std-8', kind: 'host', cores: 8, mips: 2000, memory: 32, powerIdle: 100, powerPeak: 300, pricePerHour: 0.384, reliability: 0.995 },
  { name: 'std-16', kind: 'host', cores: 16, mips: 2200, memory: 64, powerIdle: 120, powerPeak: 340, pricePerHour: 0.768, reliability: 0.997 },
  { name: 'std-32', kind: 'host', cores: 32, mips: 2500, memory: 128, powerIdle: 150, powerPeak: 400, pricePerHour: 1.536, reliability: 0.998 },
  { name: 'std-64', kind: 'host', cores: 64, mips: 2500, memory: 256, powerIdle: 200, powerPeak: 500, pricePerHour: 3.072, reliability: 0.998 },
  { name: 'cpu-36', kind: 'host', cores: 36, mips: 3000, memory: 72, powerIdle: 160, powerPeak: 450, pricePerHour: 1.53, reliability: 0.998 },
  { name: 'mem-32', kind: 'host', cores: 32, mips: 2200, memory: 256, powerIdle: 170, powerPeak: 420, pricePerHour: 2.016, reliability: 0.998 },
  { name: 'mem-64', kind: 'host', cores: 64, mips: 2200, memory: 512, powerIdle: 200, powerPeak: 500, pricePerHour: 4.032, reliability: 0.999 },
];
/** The host every node is when heterogeneity is 0. */
export const BASE_HOST = CLOUD_HOSTS[1]!;

export const EDGE_SERVERS: readonly NodeType[] = [
  { name: 'edge-8', kind: 'edge-server', cores: 8, mips: 1800, memory: 32, powerIdle: 60, powerPeak: 150, pricePerHour: 0.25, reliability: 0.99 },
  { name: 'edge-4', kind: 'edge-server', cores: 4, mips: 1500, memory: 8, powerIdle: 25, powerPeak: 65, pricePerHour: 0.1, reliability: 0.98 },
];
export const BASE_EDGE_SERVER = EDGE_SERVERS[0]!;

/** Battery powered: the generator gives each an energy budget (params edge.energyBudget). */
export const DEVICES: readonly NodeType[] = [
  { name: 'gateway', kind: 'device', cores: 4, mips: 1200, memory: 4, powerIdle: 3, powerPeak: 8, pricePerHour: 0, reliability: 0.95 },
  { name: 'phone', kind: 'device', cores: 8, mips: 1000, memory: 6, powerIdle: 1, powerPeak: 5, pricePerHour: 0, reliability: 0.9 },
];
export const BASE_DEVICE = DEVICES[0]!;
