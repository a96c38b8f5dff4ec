// Hand-built decision contexts for policy tests: plain objects with the engine's shapes.
import type { DecisionContext, NodeView, SimView, TaskView } from '../../../../sim/decision-context.js';
import { NodeSpec, TaskSpec, type NodeSpec as NodeSpecT, type TaskSpec as TaskSpecT } from '../../../../sim/scenario.js';

export interface NodeInput extends Partial<Omit<NodeView, 'spec'>> {
  spec?: Partial<NodeSpecT>;
}

export function taskView(spec: Partial<TaskSpecT> = {}, state: Partial<Omit<TaskView, 'spec'>> = {}): TaskView {
  const work = spec.length === undefined && spec.duration === undefined ? { length: 1000 } : {};
  const s = TaskSpec.parse({ id: 't', arrival: 0, cores: 1, ...work, ...spec }) as TaskSpecT;
  const lengthMI = s.length ?? (s.duration ?? 0) * 1000;
  return { spec: s, index: 0, lengthMI, fixedDuration: s.duration ?? 0, readyAt: s.arrival, attempts: 0, ...state };
}

export function nodeView(input: NodeInput = {}, index = input.index ?? 0): NodeView {
  const spec = NodeSpec.parse({ id: `n${index}`, cores: 4, mips: 1000, ...input.spec }) as NodeSpecT;
  return {
    index,
    freeCores: spec.cores,
    freeMemory: spec.memory,
    running: 0,
    queued: 0,
    open: false,
    up: true,
    price: spec.pricePerHour,
    energyUsed: 0,
    observedUptime: 1,
    ...input,
    spec,
  };
}

export interface SimInput extends Partial<Omit<SimView, 'tenantShare' | 'latency' | 'transferTime' | 'random'>> {
  shares?: Record<string, number>;
  latency?: (source: string | undefined, node: NodeView) => number;
  transfer?: (source: string | undefined, megabytes: number, node: NodeView) => number;
  draws?: number[];
}

export function simView(input: SimInput = {}): SimView {
  const draws = [...(input.draws ?? [0.25, 0.5, 0.75])];
  let i = 0;
  return {
    now: input.now ?? 0,
    queueLength: input.queueLength ?? 1,
    lastPlacedNode: input.lastPlacedNode ?? -1,
    nodeCount: input.nodeCount ?? 3,
    tenantShare: (t) => input.shares?.[t] ?? 0,
    latency: input.latency ?? (() => 0),
    transferTime: input.transfer ?? (() => 0),
    random: () => draws[i++ % draws.length] as number,
  };
}

export function context(task: TaskView, node: NodeView | null, sim: SimView = simView()): DecisionContext {
  return { task, node, sim };
}
