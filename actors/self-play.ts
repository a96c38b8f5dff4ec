// A self-play run: RunStarted, then iterations until the configured count, then RunCompleted. Each
// iteration is one batch appended with the stream's expected revision, so a crash leaves whole
// iterations only and two controllers can never interleave on one run. `resume` folds the stored
// events and continues after the last completed iteration.
import { createActor, toPromise } from 'xstate';
import type { AuroraEvent, EventData } from '../events/catalogue.js';
import { runStream, type EventStore, type RecordedEvent } from '../events/store.js';
import { baselines, baselineNames } from '../sim/baselines/index.js';
import { hashName } from '../sim/random.js';
import { ladder } from '../projections/elo.js';
import { curriculumLevels, shouldAdvance } from '../projections/curriculum.js';
import { policyOf } from '../projections/policy-library.js';
import { attackerSearch, defenderSearch } from '../projections/search-state.js';
import { EventRecorder } from './event-recorder.js';
import { RunProjections } from './run-projections.js';
import { iterationMachine, type IterationInput } from './controller.js';
import type { Requester } from './requester.js';
import type { RequestOf } from './protocol.js';
import { RunConfig, type RunConfigInput } from './run-config.js';
import { LlmRun, LlmRunError, type LlmRunOptions } from './minds/llm/llm-run.js';

export const baselineId = (name: string) => `b-${name}`;

export interface Progress {
  runId: string;
  iteration: number;
  iterations: number;
  level: number;
  levelName: string;
  bestReward: number;
  leader: string | null;
  leaderRating: number | null;
  evaluations: number;
  /** Wall-clock seconds spent in the iteration: information only, never a decision input. */
  seconds: number;
}

export interface SelfPlayOptions {
  store: EventStore;
  requester: Requester;
  runId: string;
  /** Seed of a new run; a resumed run always uses the seed recorded in its RunStarted. */
  seed: number;
  config?: RunConfigInput;
  codeVersion: string;
  /** Continue a stopped or crashed run instead of starting one. */
  resume?: boolean;
  onProgress?: (progress: Progress) => void;
  /** Stop cleanly after the current iteration (RunStopped). */
  signal?: AbortSignal;
  /** Wall clock for progress figures only. */
  clock?: () => number;
  /** LLM runs (mind 'llm'): the controller's own model endpoint, recorded answers, a budget override. */
  llm?: LlmRunOptions;
  /**
   * Simulator requests per scenario (default 1). Over NATS, more parts than scenarios let every worker
   * take a share of an iteration. Not part of the run's configuration: it never changes an event.
   */
  evaluationParts?: number;
}

export interface SelfPlayResult {
  runId: string;
  status: 'completed' | 'stopped';
  iterations: number;
  champion: string | null;
  projections: RunProjections;
  config: RunConfig;
}

export class RunError extends Error {
  override name = 'RunError';
}

async function readWholeStream(store: EventStore, stream: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readStream(stream, { from: out.length, maxCount: 10_000 });
    out.push(...page);
    if (page.length < 10_000) return out;
  }
}

/** The best-rated policy that is not a baseline (a baseline only when nothing else was ever rated). */
export function championOf(projections: RunProjections, runId: string): string | null {
  const board = ladder(projections.elo, runId);
  return (board.find((p) => !p.policyId.startsWith('b-')) ?? board[0])?.policyId ?? null;
}

function startEvents(runId: string, seed: number, config: RunConfig, codeVersion: string, projections: RunProjections, llmRun: LlmRun | null = null): AuroraEvent[] {
  const recorder = new EventRecorder(runId, 0, `start-${runId}`, (e) => projections.apply(e), 'start');
  const started = recorder.record('RunStarted', { runId, seed, config: config as unknown as EventData<'RunStarted'>['config'], codeVersion, mind: config.mind });
  for (const name of baselineNames) {
    recorder.record(
      'PolicyProposed',
      {
        policyId: baselineId(name),
        policy: baselines[name]!,
        parents: [],
        operator: 'baseline',
        author: 'baseline',
        rationale: baselines[name]!.explain,
        scenarioId: null,
      },
      started.metadata.eventId,
    );
  }
  llmRun?.recordStart(recorder, started.metadata.eventId);
  return recorder.events;
}

export async function runSelfPlay(options: SelfPlayOptions): Promise<SelfPlayResult> {
  const { store, requester, runId } = options;
  let seed = options.seed;
  const clock = options.clock ?? (() => 0);
  const stream = runStream(runId);
  const stored = await readWholeStream(store, stream);
  const projections = new RunProjections();
  let config: RunConfig;
  let revision: number;
  let nextIteration = 1;
  let llmRun: LlmRun | null = null;
  const openLlmRun = (c: RunConfig) => {
    try {
      return LlmRun.of(c, runId, options.llm);
    } catch (err) {
      if (err instanceof LlmRunError) throw new RunError(err.message);
      throw err;
    }
  };

  if (options.resume) {
    if (stored.length === 0) throw new RunError(`run ${runId} does not exist in this store`);
    const started = stored[0]!;
    if (started.type !== 'RunStarted') throw new RunError(`run ${runId} does not begin with RunStarted`);
    config = RunConfig.parse(started.data.config);
    seed = started.data.seed;
    projections.applyAll(stored);
    for (const e of stored) {
      if (e.type === 'IterationCompleted') nextIteration = e.data.iteration + 1;
      if (e.type === 'RunCompleted') {
        return { runId, status: 'completed', iterations: e.data.iterations, champion: e.data.champion, projections, config };
      }
    }
    revision = stored.length - 1;
    llmRun = openLlmRun(config);
    if (llmRun !== null) {
      llmRun.observe(stored);
      revision = await llmRun.afterIteration(nextIteration - 1, store, stream, revision, projections);
      const over = llmRun.overBudget();
      if (over !== null) throw new RunError(over);
    }
  } else {
    if (stored.length > 0) throw new RunError(`run ${runId} already exists (use --resume to continue it)`);
    config = RunConfig.parse(options.config ?? {});
    llmRun = openLlmRun(config);
    const events = startEvents(runId, seed, config, options.codeVersion, projections, llmRun);
    llmRun?.observe(events);
    revision = (await store.appendToStream(stream, events, { expected: 'no_stream' })).nextRevision;
  }

  for (let iteration = nextIteration; iteration <= config.iterations; iteration++) {
    // In-process roles and a synchronous store answer in microtasks only, so without a turn of the event
    // loop here a signal (Ctrl-C → abort) would not be seen until the run had finished.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) {
      // Named by the revision it will take too: a run stopped twice at one iteration keeps both records
      // (the same event id twice would be taken for a repeated append and dropped).
      const recorder = new EventRecorder(runId, iteration - 1, `stop-${runId}-${iteration}`, (e) => projections.apply(e), `stop-${iteration}-${revision + 1}`);
      recorder.record('RunStopped', { iteration: iteration - 1, reason: 'interrupted', detail: 'stopped on request' });
      await store.appendToStream(stream, recorder.events, { expected: revision });
      return { runId, status: 'stopped', iterations: iteration - 1, champion: championOf(projections, runId), projections, config };
    }
    const began = clock();
    const difficulty = curriculumLevels[shouldAdvance(projections.curriculum, runId).from]!.difficulty;
    const iterationRequester = llmRun === null ? requester : llmRun.requester(requester, iteration, difficulty, projections);
    const input = iterationInput({ ...options, seed, requester: iterationRequester }, config, projections, stream, revision, iteration);
    const actor = createActor(iterationMachine, { input });
    actor.start();
    const output = await toPromise(actor);
    if (output.error !== null) throw new RunError(`iteration ${iteration}: ${output.error}`);
    revision = output.revision;
    const completed = output.events.find((e) => e.type === 'IterationCompleted');
    if (completed && completed.type === 'IterationCompleted') {
      const level = curriculumLevels[completed.data.level]!;
      options.onProgress?.({
        runId,
        iteration,
        iterations: config.iterations,
        level: completed.data.level,
        levelName: level.name,
        bestReward: completed.data.bestReward,
        leader: completed.data.leader,
        leaderRating: completed.data.leaderRating,
        evaluations: completed.data.evaluations,
        seconds: (clock() - began) / 1000,
      });
    }
    if (llmRun !== null) {
      llmRun.observe(output.events);
      revision = await llmRun.afterIteration(iteration, store, stream, revision, projections);
      const over = llmRun.overBudget();
      if (over !== null && iteration < config.iterations) {
        const recorder = new EventRecorder(runId, iteration, `budget-${runId}-${iteration}`, (e) => projections.apply(e), `budget-${iteration}`);
        recorder.record('RunStopped', { iteration, reason: 'budget', detail: over });
        await store.appendToStream(stream, recorder.events, { expected: revision });
        return { runId, status: 'stopped', iterations: iteration, champion: championOf(projections, runId), projections, config };
      }
    }
  }

  const champion = championOf(projections, runId);
  const recorder = new EventRecorder(runId, config.iterations, `complete-${runId}`, (e) => projections.apply(e), 'end');
  recorder.record('RunCompleted', {
    iterations: config.iterations,
    champion,
    summary: {
      level: shouldAdvance(projections.curriculum, runId).from,
      policies: ladder(projections.elo, runId).length,
    },
  });
  await store.appendToStream(stream, recorder.events, { expected: revision });
  return { runId, status: 'completed', iterations: config.iterations, champion, projections, config };
}

function iterationInput(
  options: SelfPlayOptions,
  config: RunConfig,
  projections: RunProjections,
  stream: string,
  revision: number,
  iteration: number,
): IterationInput {
  const { runId, seed } = options;
  const levelIndex = shouldAdvance(projections.curriculum, runId).from;
  const level = curriculumLevels[levelIndex]!;
  const board = ladder(projections.elo, runId);
  const docOf = (policyId: string) => policyOf(projections.library, runId, policyId)?.policy ?? null;

  const population: RequestOf<'defender'>['population'] = [];
  for (const p of board.slice(0, 20)) {
    const policy = docOf(p.policyId);
    if (policy !== null) population.push({ policyId: p.policyId, policy, rating: p.rating, evaluations: p.played });
  }

  const referenceIds = config.referenceBaselines.map(baselineId);
  const incumbents = board.filter((p) => !p.policyId.startsWith('b-')).slice(0, config.incumbents);
  const standing: IterationInput['standing'] = [];
  for (const id of [...referenceIds, ...incumbents.map((p) => p.policyId)]) {
    const policy = docOf(id);
    if (policy !== null) standing.push({ policyId: id, policy });
  }

  const attackerRequest: RequestOf<'attacker'> = {
    runId,
    iteration,
    level: level.difficulty,
    domain: config.domain,
    count: config.scenariosPerIteration,
    seed: hashName(seed, `attacker/${iteration}`),
    search: attackerSearch(projections.search, runId) as RequestOf<'attacker'>['search'],
    context: {
      referenceBaselines: config.referenceBaselines,
      slaTolerance: config.slaTolerance,
      curriculumLevel: levelIndex,
      levelName: level.name,
      tasks: level.tasks,
      nodes: level.nodes,
      incumbents: standing.filter((s) => !s.policyId.startsWith('b-')).map((s) => ({ policyId: s.policyId, policy: s.policy })),
    } as unknown as RequestOf<'attacker'>['context'],
  };

  return {
    runId,
    iteration,
    config,
    requester: options.requester,
    store: options.store,
    stream,
    revision,
    projections,
    attackerRequest,
    seed,
    population,
    defenderSearch: defenderSearch(projections.search, runId, { only: population.map((p) => p.policyId) }) as RequestOf<'defender'>['search'],
    standing,
    baselineIds: referenceIds,
    ...(options.evaluationParts !== undefined ? { evaluationParts: options.evaluationParts } : {}),
  };
}
