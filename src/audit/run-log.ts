// One run's events, read once and indexed the ways audit queries look things up: policies, scenarios,
// evaluations and matches by id, and the events that concern each policy or scenario, in log order.
import type { AuroraEvent, EventOf } from '../../events/catalogue.js';
import { runStream, type EventStore, type RecordedEvent } from '../../events/store.js';
import { fold } from '../../projections/fold.js';
import { paretoProjection, type ParetoState } from '../../projections/pareto.js';
import { RunProjections } from '../../actors/run-projections.js';

export type Recorded<T extends AuroraEvent['type']> = RecordedEvent & EventOf<T>;

/** A run id the store does not hold, an unknown policy, scenario, evaluation, task or iteration. */
export class AuditInputError extends Error {
  override name = 'AuditInputError';
}

const PAGE = 5_000;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class RunLog {
  readonly policies = new Map<string, Recorded<'PolicyProposed'> | Recorded<'PolicyImported'>>();
  readonly scenarios = new Map<string, Recorded<'ScenarioProposed'>>();
  readonly evaluations = new Map<string, Recorded<'EvaluationCompleted'>>();
  readonly evaluationsByPolicy = new Map<string, Recorded<'EvaluationCompleted'>[]>();
  readonly evaluationsByScenario = new Map<string, Recorded<'EvaluationCompleted'>[]>();
  readonly matches = new Map<string, Recorded<'MatchPlayed'>>();
  readonly ratingChanges = new Map<string, Recorded<'RatingChanged'>[]>();
  readonly attackerRewards = new Map<string, Recorded<'AttackerRewarded'>[]>();
  readonly llmCalls = new Map<string, Recorded<'LlmCalled'>>();
  /** Policies proposed as baselines (operator or author `baseline`). */
  readonly baselines = new Set<string>();
  readonly projections: RunProjections;
  readonly pareto: ParetoState;

  private constructor(
    readonly runId: string,
    readonly events: readonly RecordedEvent[],
  ) {
    for (const e of events) this.index(e);
    this.projections = new RunProjections().applyAll(events);
    this.pareto = fold(paretoProjection, events);
  }

  static async read(store: EventStore, runId: string): Promise<RunLog> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await store.readStream(runStream(runId), { from: events.length, maxCount: PAGE });
      events.push(...page);
      if (page.length < PAGE) break;
    }
    if (events.length === 0) throw new AuditInputError(`no run '${runId}' in this store`);
    return new RunLog(runId, events);
  }

  static of(runId: string, events: readonly RecordedEvent[]): RunLog {
    return new RunLog(runId, events);
  }

  private index(e: RecordedEvent): void {
    switch (e.type) {
      case 'PolicyProposed':
        this.policies.set(e.data.policyId, e as Recorded<'PolicyProposed'>);
        if (e.data.operator === 'baseline' || e.data.author === 'baseline') this.baselines.add(e.data.policyId);
        break;
      case 'PolicyImported':
        this.policies.set(e.data.policyId, e as Recorded<'PolicyImported'>);
        break;
      case 'ScenarioProposed':
        this.scenarios.set(e.data.scenarioId, e as Recorded<'ScenarioProposed'>);
        break;
      case 'EvaluationCompleted': {
        const ev = e as Recorded<'EvaluationCompleted'>;
        this.evaluations.set(ev.data.evaluationId, ev);
        push(this.evaluationsByPolicy, ev.data.policyId, ev);
        push(this.evaluationsByScenario, ev.data.scenarioId, ev);
        break;
      }
      case 'MatchPlayed':
        this.matches.set(e.data.matchId, e as Recorded<'MatchPlayed'>);
        break;
      case 'RatingChanged':
        push(this.ratingChanges, e.data.policyId, e as Recorded<'RatingChanged'>);
        break;
      case 'AttackerRewarded':
        push(this.attackerRewards, e.data.scenarioId, e as Recorded<'AttackerRewarded'>);
        break;
      case 'LlmCalled':
        this.llmCalls.set(e.data.callId, e as Recorded<'LlmCalled'>);
        break;
      default:
        break;
    }
  }

  /** The model call with this id and its repair, if recorded. */
  callsFor(callId: string): Recorded<'LlmCalled'>[] {
    return [callId, `${callId}.repair`].flatMap((id) => {
      const call = this.llmCalls.get(id);
      return call ? [call] : [];
    });
  }

  /** Ids in sorted order, for "did you mean" hints. */
  static sample(ids: Iterable<string>, max = 5): string {
    const sorted = [...ids].sort();
    return sorted.slice(0, max).join(', ') + (sorted.length > max ? `, … (${sorted.length} in all)` : '');
  }
}
