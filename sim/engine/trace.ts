// The schedule a run produced, complete enough for a separate program to check it (capacity, arrival,
// dependencies) and recompute the metrics: every task's placements, start, finish and outcome, and every
// node's open and down intervals with its integrated energy, busy core-seconds, work and cost.
import { createHash } from 'node:crypto';
import type { NodeState } from './node-state.js';
import { Outcome, Phase, type TaskState } from './task-state.js';
import type { World } from './world.js';

export type TaskOutcome = 'completed' | 'dropped' | 'infeasible' | 'rejected' | 'unfinished';

/** One placement of a task on a node, from placement to completion or kill. */
export interface AttemptTrace {
  node: string;
  placedAt: number;
  /** When it started executing (after transfer, latency and any FIFO wait), null if it never did. */
  start: number | null;
  end: number;
  ended: 'completed' | 'killed';
}

export interface TaskTrace {
  id: string;
  arrival: number;
  /** When it last became ready (arrived with every dependency finished), null if never. */
  readyAt: number | null;
  outcome: TaskOutcome;
  /** Node of the last placement, null if never placed. */
  node: string | null;
  placedAt: number | null;
  start: number | null;
  /** Completion time, or the time it was dropped; null when unfinished. */
  finish: number | null;
  /** Times a node failure killed it. */
  attempts: number;
  /** MI executed over all cores for a completed task (cores × work per core on its node), else 0. */
  work: number;
  /** Every placement, oldest first. */
  history: AttemptTrace[];
}

export interface NodeTrace {
  id: string;
  /** [open, close] intervals, s. */
  open: Array<[number, number]>;
  /** [fail, recover] intervals, s; recover is null when the node never came back. */
  down: Array<[number, number | null]>;
  energy: number;
  busyCoreSeconds: number;
  /** MI executed, over all cores (includes the work of attempts later killed). */
  work: number;
  cost: number;
}

export interface Trace {
  version: 1;
  scenario: string;
  policy: string;
  tasks: TaskTrace[];
  nodes: NodeTrace[];
}

const OUTCOME: Record<number, TaskOutcome> = {
  [Outcome.None]: 'unfinished',
  [Outcome.Completed]: 'completed',
  [Outcome.Dropped]: 'dropped',
  [Outcome.Infeasible]: 'infeasible',
  [Outcome.Rejected]: 'rejected',
};

export function buildTrace(
  world: World,
  tasks: TaskState,
  nodes: NodeState,
  attempts: Map<number, AttemptTrace[]>,
  policyName: string,
): Trace {
  const s = world.scenario;
  const taskTraces: TaskTrace[] = s.tasks.map((spec, t) => {
    const placed = tasks.node[t] >= 0;
    const history = [...(attempts.get(t) ?? [])];
    const done = tasks.phase[t] === Phase.Done;
    if (done) {
      history.push({
        node: s.nodes[tasks.node[t]].id,
        placedAt: tasks.placedAt[t],
        start: tasks.start[t],
        end: tasks.finish[t],
        ended: 'completed',
      });
    }
    return {
      id: spec.id,
      arrival: spec.arrival,
      readyAt: tasks.readyAt[t] >= 0 ? tasks.readyAt[t] : null,
      outcome: OUTCOME[tasks.outcome[t]],
      node: placed ? s.nodes[tasks.node[t]].id : null,
      placedAt: placed ? tasks.placedAt[t] : null,
      start: placed && tasks.start[t] >= 0 ? tasks.start[t] : null,
      finish: tasks.finish[t] >= 0 ? tasks.finish[t] : null,
      attempts: tasks.attempts[t],
      work: done ? world.taskCores[t] * world.workPerCore(t, tasks.node[t]) : 0,
      history,
    };
  });
  const nodeTraces: NodeTrace[] = s.nodes.map((spec, n) => ({
    id: spec.id,
    open: pairs(nodes.intervals?.[n] ?? []) as Array<[number, number]>,
    down: pairs(nodes.downIntervals?.[n] ?? []).map(([a, b]) => [a, b === Infinity ? null : b]),
    energy: nodes.energy[n],
    busyCoreSeconds: nodes.busyCoreSeconds[n],
    work: nodes.work[n],
    cost: nodes.cost[n],
  }));
  return { version: 1, scenario: s.id, policy: policyName, tasks: taskTraces, nodes: nodeTraces };
}

function pairs(flat: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/** SHA-256 (hex) of the trace's JSON: equal schedules, equal hashes. */
export function traceHash(trace: Trace): string {
  return createHash('sha256').update(JSON.stringify(trace)).digest('hex');
}
