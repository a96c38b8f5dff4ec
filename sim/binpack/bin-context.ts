// The DecisionContext a bin-packing policy reads: the same features as scheduling, with a bin as the
// node (capacity = cores, remaining capacity = free cores) and an item as the task (size = cores).
// One mutable object of each kind is reused for every evaluation, as the engine does.
import type { DecisionContext, NodeView, SimView, TaskView } from '../decision-context.js';
import type { NodeSpec, TaskSpec } from '../scenario.js';
import type { Rng } from '../random.js';

export class BinView implements NodeView {
  readonly spec: NodeSpec;
  index = 0;
  freeCores = 0;
  readonly freeMemory = 0;
  /** Items in the bin. */
  running = 0;
  readonly queued = 0;
  open = true;
  readonly up = true;
  readonly price = 0;
  readonly energyUsed = 0;
  readonly observedUptime = 1;

  constructor(capacity: number) {
    this.spec = {
      id: 'bin',
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
    };
  }
}

export class ItemView implements TaskView {
  readonly spec: TaskSpec = {
    id: 'item',
    arrival: 0,
    cores: 1,
    length: 1,
    memory: 0,
    priority: 3,
    deps: [],
    utilisation: 1,
    dataSize: 0,
    tenant: 'default',
  };
  index = 0;
  readonly lengthMI = 1;
  readonly fixedDuration = 0;
  readyAt = 0;
  readonly attempts = 0;

  /** Makes this view the item at `position` with `size`. */
  set(position: number, size: number): void {
    this.spec.cores = size;
    this.spec.arrival = position;
    this.index = position;
    this.readyAt = position;
  }
}

export class PackingSim implements SimView {
  now = 0;
  queueLength = 0;
  lastPlacedNode = -1;
  nodeCount = 1;
  constructor(private readonly rng: Rng) {}
  tenantShare(): number {
    return 0;
  }
  latency(): number {
    return 0;
  }
  transferTime(): number {
    return 0;
  }
  random(): number {
    return this.rng.float();
  }
}

export interface PackingContext extends DecisionContext {
  task: ItemView;
  node: BinView;
  sim: PackingSim;
}

export function packingContext(capacity: number, rng: Rng): PackingContext {
  return { task: new ItemView(), node: new BinView(capacity), sim: new PackingSim(rng) };
}
