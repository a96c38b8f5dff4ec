// Building events for tests: valid catalogue events with deterministic ids, written as given(...) lists.
import { eventSchemas, type AuroraEvent, type EventData, type EventOf, type EventType } from '../../../events/catalogue.js';

export interface EventMaker {
  /** An event of `type` in the maker's run, at its current iteration. */
  <T extends EventType>(type: T, data: EventData<T>): EventOf<T>;
  /** Sets the iteration of the events made from now on. */
  at(iteration: number): EventMaker;
  readonly runId: string;
}

/** An event maker for one run: ids `<runId>-1`, `<runId>-2`, … */
export function eventsOf(runId: string): EventMaker {
  let n = 0;
  let iteration = 0;
  const make = (<T extends EventType>(type: T, data: EventData<T>): EventOf<T> =>
    ({
      type,
      data,
      metadata: { runId, iteration, eventId: `${runId}-${++n}`, causationId: null, correlationId: null, schemaVersion: eventSchemas[type].version },
    }) as unknown as EventOf<T>) as EventMaker;
  make.at = (i: number) => {
    iteration = i;
    return make;
  };
  Object.defineProperty(make, 'runId', { value: runId });
  return make;
}

export const given = (...events: AuroraEvent[]): AuroraEvent[] => events;

export function scores(v: number | Partial<EventData<'EvaluationCompleted'>['scores']> = 0.5): EventData<'EvaluationCompleted'>['scores'] {
  const base = typeof v === 'number' ? v : 0.5;
  const s = { latency: base, cost: base, energy: base, qos: base, utilisation: base };
  return typeof v === 'number' ? s : { ...s, ...v };
}

export function metrics(tasks = 10): EventData<'EvaluationCompleted'>['metrics'] {
  return {
    tasks,
    completed: tasks,
    dropped: 0,
    avgLatency: 1,
    p95Latency: 2,
    slaViolations: 0,
    slaViolationRate: 0,
    utilisation: 0.5,
    cost: 1,
    energy: 100,
    nodesUsed: 2,
    killed: 0,
    makespan: 10,
    events: tasks * 3,
  };
}

/** An evaluation of `policyId` on `scenarioId`. */
export function evaluation(
  policyId: string,
  scenarioId: string,
  reward: number,
  solved: boolean,
  s: EventData<'EvaluationCompleted'>['scores'] = scores(reward),
): EventData<'EvaluationCompleted'> {
  return { evaluationId: `${policyId}@${scenarioId}`, policyId, scenarioId, metrics: metrics(), scores: s, reward, solved, failure: null };
}

export function policyDoc(name: string): EventData<'PolicyProposed'>['policy'] {
  return { name, explain: '', order: 'fifo', filter: 'true', score: 'free_cores' };
}

export function proposal(policyId: string, extra: Partial<EventData<'PolicyProposed'>> = {}): EventData<'PolicyProposed'> {
  return {
    policyId,
    policy: policyDoc(policyId),
    parents: [],
    operator: 'mutate:weights',
    author: 'defender:offline',
    rationale: 'test',
    scenarioId: null,
    ...extra,
  };
}

export function baseline(policyId: string): EventData<'PolicyProposed'> {
  return proposal(policyId, { operator: 'baseline', author: 'baseline' });
}

/** A small valid scenario; `tasks` tasks one second apart on `nodes` nodes. */
export function scenarioDoc(
  id: string,
  options: { domain?: 'cloud' | 'edge' | 'network' | 'hybrid'; tasks?: number; nodes?: number } = {},
): EventData<'ScenarioProposed'>['scenario'] {
  const nodes = options.nodes ?? 2;
  const tasks = options.tasks ?? 4;
  return {
    id,
    domain: options.domain ?? 'cloud',
    nodes: Array.from({ length: nodes }, (_, i) => ({ id: `n${i}`, cores: 4, mips: 1000 })),
    tasks: Array.from({ length: tasks }, (_, i) => ({ id: `t${i}`, arrival: i, cores: 1, duration: 2 })),
  } as unknown as EventData<'ScenarioProposed'>['scenario'];
}

export function scenarioProposal(
  scenarioId: string,
  options: { domain?: 'cloud' | 'edge' | 'network' | 'hybrid'; level?: number; tasks?: number; nodes?: number } = {},
): EventData<'ScenarioProposed'> {
  return {
    scenarioId,
    scenario: scenarioDoc(scenarioId, options),
    level: options.level ?? 1,
    generator: null,
    author: 'attacker:offline',
    rationale: 'test',
  };
}

export function runStarted(runId: string, config: EventData<'RunStarted'>['config'] = {}): EventData<'RunStarted'> {
  return { runId, seed: 1, config, codeVersion: 'test', mind: 'offline' };
}
