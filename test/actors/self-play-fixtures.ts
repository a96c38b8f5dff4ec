// Shared by the self-play, controller, iteration-outcome and role tests: a small run configuration that
// still advances the curriculum and evolves operators within four iterations, the events that open a run,
// and fingerprints of a run as it is stored.
import type { AuroraEvent } from '../../events/catalogue.js';
import { fingerprint } from '../../events/fingerprint.js';
import { runStream, type EventStore, type RecordedEvent } from '../../events/store.js';
import { EventRecorder } from '../../actors/event-recorder.js';
import { RunProjections } from '../../actors/run-projections.js';
import { RunConfig, type RunConfigInput } from '../../actors/run-config.js';
import { baselineId } from '../../actors/self-play.js';
import type { ReplyOf } from '../../actors/protocol.js';
import { baselines, baselineNames } from '../../sim/baselines/index.js';
import { defaultParams } from '../../sim/workload/defaults.js';
import { generateFromParams } from '../../sim/workload/generate.js';

/** Four iterations of two scenarios and two candidates each: seconds, yet the curriculum advances and the evolver runs. */
export const smallConfig: RunConfigInput = {
  iterations: 4,
  scenariosPerIteration: 2,
  candidatesPerScenario: 2,
  incumbents: 2,
  evolveEvery: 2,
  curriculum: { window: 4, threshold: 0.5 },
};

export async function readRun(store: EventStore, runId: string): Promise<RecordedEvent[]> {
  return store.readStream(runStream(runId), { maxCount: Number.MAX_SAFE_INTEGER });
}

/** `type@iteration fingerprint` per event, so a difference names the event that differs. */
export function fingerprints(events: readonly AuroraEvent[]): string[] {
  return events.map((e) => `${e.type}@${e.metadata.iteration} ${fingerprint(e)}`);
}

/** The first place two lists differ, for assertion messages. */
export function firstDifference(a: readonly string[], b: readonly string[]): string {
  const i = a.findIndex((x, k) => x !== b[k]);
  if (i < 0 && a.length === b.length) return 'no difference';
  const at = i < 0 ? Math.min(a.length, b.length) : i;
  return `first difference at event ${at}: ${a[at] ?? '(none)'} vs ${b[at] ?? '(none)'} (lengths ${a.length}, ${b.length})`;
}

/** The events self-play opens a run with: RunStarted and every baseline, folded into fresh projections. */
export function openedRun(runId: string, input: RunConfigInput = {}, seed = 1) {
  const config = RunConfig.parse(input);
  const projections = new RunProjections();
  const recorder = new EventRecorder(runId, 0, `start-${runId}`, (e) => projections.apply(e), 'start');
  const started = recorder.record('RunStarted', { runId, seed, config: config as never, codeVersion: 'test', mind: config.mind });
  for (const name of baselineNames) {
    recorder.record(
      'PolicyProposed',
      { policyId: baselineId(name), policy: baselines[name]!, parents: [], operator: 'baseline', author: 'baseline', rationale: '', scenarioId: null },
      started.metadata.eventId,
    );
  }
  return { config, projections, events: [...recorder.events] };
}

/** A real generated scenario, as the attacker would propose it. */
export function proposedScenario(scenarioId: string, level = 1, seed = 1): ReplyOf<'attacker'>['scenarios'][number] {
  const scenario = generateFromParams(defaultParams('cloud', level), seed);
  return { scenarioId, scenario: { ...scenario, id: scenarioId } as never, generator: null, rationale: 'test', author: 'attacker:test' };
}

/** A candidate policy built from a baseline's document. */
export function proposedPolicy(policyId: string, from = 'best-fit'): ReplyOf<'defender'>['policies'][number] {
  return { policyId, policy: { ...baselines[from]!, name: policyId }, parents: [baselineId(from)], operator: 'test', rationale: 'test', author: 'defender:test' };
}

const zeroScores = { latency: 0, cost: 0, energy: 0, qos: 0, utilisation: 0 };

/** A simulator result with the reward, SLA-violation rate and failure chosen by the test. */
export function result(policyId: string, reward: number, options: { sla?: number; failure?: string | null } = {}): ReplyOf<'simulator'>['results'][number] {
  const sla = options.sla ?? 0;
  return {
    policyId,
    metrics: {
      tasks: 100,
      completed: 100,
      dropped: 0,
      avgLatency: 1,
      p95Latency: 2,
      slaViolations: Math.round(sla * 100),
      slaViolationRate: sla,
      utilisation: 0.5,
      cost: 1,
      energy: 1,
      nodesUsed: 1,
      killed: 0,
      makespan: 10,
      events: 200,
    },
    scores: zeroScores,
    reward,
    failure: options.failure ?? null,
  };
}
