// One short line per event, for people reading a run's log (`aurora events` without --json, and the
// iteration audit). Exhaustive over the catalogue, so a new event type must say how it reads.
import type { AuroraEvent } from '../../events/catalogue.js';

const num = (x: number, digits = 4) => (Number.isInteger(x) ? String(x) : x.toFixed(digits));
const cut = (text: string, max = 80) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** What the event says, without its type: `p-1-s-1-0 on s-1-0: reward 0.7224, solved`. */
export function eventSummary(event: AuroraEvent): string {
  switch (event.type) {
    case 'RunStarted': {
      const d = event.data;
      return `seed ${d.seed}, ${d.mind} minds, ${d.codeVersion}`;
    }
    case 'ScenarioProposed': {
      const d = event.data;
      return `${d.scenarioId}: ${d.scenario.domain} level ${d.level}, ${d.scenario.nodes.length} nodes, ${d.scenario.tasks.length} tasks, by ${d.author}`;
    }
    case 'ScenarioRejected':
    case 'PolicyRejected': {
      const d = event.data;
      return `by ${d.author}: ${cut(d.reason)}`;
    }
    case 'PolicyProposed': {
      const d = event.data;
      const parents = d.parents.length === 0 ? '' : ` of ${d.parents.join(' × ')}`;
      return `${d.policyId}: ${d.operator}${parents}, by ${d.author}`;
    }
    case 'PolicyImported':
      return `${event.data.policyId}${event.data.rating === null ? '' : `, rating ${num(event.data.rating, 0)}`}`;
    case 'EvaluationCompleted': {
      const d = event.data;
      const verdict = d.failure !== null ? `failed: ${cut(d.failure, 60)}` : d.solved ? 'solved' : 'not solved';
      return `${d.policyId} on ${d.scenarioId}: reward ${num(d.reward)}, ${verdict}`;
    }
    case 'MatchPlayed': {
      const d = event.data;
      const best = d.rewards.reduce((b, r, i) => (r > d.rewards[b]! ? i : b), 0);
      const draws = d.outcomes.filter((o) => o === 0.5).length;
      return `${d.matchId} on ${d.scenarioId}: ${d.players.length} policies, ${d.outcomes.length} games (${draws} drawn), best reward ${d.players[best]} (${num(d.rewards[best]!)})`;
    }
    case 'RatingChanged': {
      const d = event.data;
      const delta = d.after - d.before;
      return `${d.policyId}: ${num(d.before, 1)} → ${num(d.after, 1)} (${delta >= 0 ? '+' : ''}${num(delta, 1)})`;
    }
    case 'AttackerRewarded': {
      const d = event.data;
      return `${d.scenarioId}: reward ${num(d.reward)} (solve rate ${num(d.solveRate, 2)}, learnability ${num(d.learnability)}, novelty ${num(d.novelty)}, closeness ${num(d.closeness)})`;
    }
    case 'CurriculumAdvanced': {
      const d = event.data;
      return `level ${d.from} → ${d.to} (success ${num(d.successRate, 2)} over ${d.window})`;
    }
    case 'PromptEvolved': {
      const d = event.data;
      return `${d.role} ${d.variantId}${d.parentId === null ? '' : ` from ${d.parentId}`}${d.score === null ? '' : `, score ${num(d.score)}`}`;
    }
    case 'OperatorsEvolved':
      return `${event.data.role} search settings changed`;
    case 'LlmCalled': {
      const d = event.data;
      return `${d.callId}: ${d.model}, ${d.usage.total} tokens${d.error === null ? '' : `, error: ${cut(d.error, 60)}`}`;
    }
    case 'IterationCompleted': {
      const d = event.data;
      return `iteration ${d.iteration}: level ${d.level}, ${d.evaluations} evaluations, best reward ${num(d.bestReward)}, leader ${d.leader ?? '—'}`;
    }
    case 'RunCompleted':
      return `${event.data.iterations} iterations, champion ${event.data.champion ?? '—'}`;
    case 'RunStopped':
      return `after iteration ${event.data.iteration}: ${event.data.reason} (${cut(event.data.detail)})`;
    default: {
      const never: never = event;
      return String((never as { type: string }).type);
    }
  }
}

/** `#1234  it 2  EvaluationCompleted  p-1 on s-1: reward 0.7224, solved` */
export function eventLine(event: AuroraEvent & { position: number }): string {
  return `#${String(event.position).padEnd(7)} it ${String(event.metadata.iteration).padEnd(3)} ${event.type.padEnd(19)} ${eventSummary(event)}`;
}
