// What a self-play run adds when its minds are LLMs (RunConfig.mind = 'llm'), kept out of the controller:
// - the start batch records the initial prompt variants (PromptEvolved), so a run holds every prompt
//   it used;
// - every attacker and defender request gets `llm` (model for the role and difficulty, the kept prompt
//   variants best first, the attacker's feedback) and, in a replay, the recorded answers of its calls;
// - after every M-th iteration the prompts evolve, in a batch of their own (`prompts-<i>`);
// - the token and cost budget: when the run's LlmCalled usage reaches it, the run stops after the
//   current iteration with RunStopped (reason 'budget') and can be resumed with a larger budget.
import type { AuroraEvent } from '../../../events/catalogue.js';
import type { EventStore } from '../../../events/store.js';
import { curriculumLevels, shouldAdvance } from '../../../projections/curriculum.js';
import { EventRecorder } from '../../event-recorder.js';
import type { RequestOf } from '../../protocol.js';
import type { Requester } from '../../requester.js';
import type { RunConfig } from '../../run-config.js';
import type { RunProjections } from '../../run-projections.js';
import { evolvePrompts } from './evolver.js';
import { attackerFeedback } from './feedback.js';
import type { LlmPort } from './port.js';
import { PromptLedger, type PromptRole } from './prompt-ledger.js';
import { ATTACKER_PROMPT_V0 } from './prompts/attacker.js';
import { DEFENDER_PROMPT_V0 } from './prompts/defender.js';
import { attackerCallPrefix, defenderCallPrefix, recordedFor, type RecordedAnswers } from './records.js';
import { llmRequestFor, type LlmBudget, type LlmSettings } from './settings.js';

export interface LlmRunOptions {
  /** The model endpoint for the calls the controller makes itself (prompt evolution); null or absent: none. */
  port?: LlmPort | null;
  /** Recorded answers: a call recorded here is served from it; with `exclusive` (replay) none reaches a model. */
  recorded?: RecordedAnswers;
  /** Replaces the configured budget's limits that it names (a run resumed with a larger budget). */
  budget?: Partial<LlmBudget>;
}

export const INITIAL_PROMPTS: Record<PromptRole, { variantId: string; text: string }> = {
  attacker: { variantId: 'attacker/v0', text: ATTACKER_PROMPT_V0 },
  defender: { variantId: 'defender/v0', text: DEFENDER_PROMPT_V0 },
};

export class LlmRunError extends Error {
  override name = 'LlmRunError';
}

export class LlmRun {
  readonly ledger: PromptLedger;
  readonly settings: LlmSettings;
  readonly budget: LlmBudget;
  private readonly port: LlmPort | null;
  private readonly recorded: RecordedAnswers | null;

  private constructor(
    private readonly config: RunConfig,
    private readonly runId: string,
    options: LlmRunOptions,
  ) {
    if (config.llm === undefined) throw new LlmRunError("mind 'llm' needs an llm section in the run configuration (models at least)");
    this.settings = config.llm;
    this.ledger = new PromptLedger(runId);
    this.port = options.port ?? null;
    this.recorded = options.recorded ?? null;
    this.budget = {
      tokens: options.budget?.tokens !== undefined ? options.budget.tokens : this.settings.budget.tokens,
      cost: options.budget?.cost !== undefined ? options.budget.cost : this.settings.budget.cost,
    };
  }

  /** The LLM side of a run, or null for an offline run. */
  static of(config: RunConfig, runId: string, options: LlmRunOptions = {}): LlmRun | null {
    return config.mind === 'llm' ? new LlmRun(config, runId, options) : null;
  }

  /** Records the initial prompt variants (start batch). */
  recordStart(recorder: EventRecorder, causationId: string | null): void {
    for (const role of ['attacker', 'defender'] as const) {
      const v = INITIAL_PROMPTS[role];
      recorder.record('PromptEvolved', { role, variantId: v.variantId, parentId: null, prompt: v.text, score: null, kept: [v.variantId] }, causationId);
    }
  }

  observe(events: Iterable<AuroraEvent>): void {
    this.ledger.applyAll(events);
  }

  private prompts(role: PromptRole) {
    const kept = this.ledger.prompts(role);
    return kept.length > 0 ? kept : [INITIAL_PROMPTS[role]];
  }

  /** `base` with every attacker and defender request of this iteration made an LLM request. */
  requester(base: Requester, iteration: number, difficulty: number, projections: RunProjections): Requester {
    const feedback = attackerFeedback(projections, this.runId);
    const attackerLlm = llmRequestFor(this.settings, 'attacker', difficulty, this.prompts('attacker'), feedback);
    const defenderLlm = llmRequestFor(this.settings, 'defender', difficulty, this.prompts('defender'));
    const withRecorded = <T extends object>(request: T, prefix: string): T => {
      const recorded = recordedFor(this.recorded, prefix);
      // The codec refuses undefined: the field is present only when there is something to carry.
      return recorded === undefined ? request : { ...request, recorded };
    };
    return {
      request: (role, request, options) => {
        if (role === 'attacker') {
          const r = request as RequestOf<'attacker'>;
          return base.request(role, withRecorded({ ...r, llm: attackerLlm }, attackerCallPrefix(this.runId, iteration)) as typeof request, options);
        }
        if (role === 'defender') {
          const r = request as RequestOf<'defender'>;
          return base.request(role, withRecorded({ ...r, llm: defenderLlm }, defenderCallPrefix(this.runId, iteration, r.scenarioId)) as typeof request, options);
        }
        return base.request(role, request, options);
      },
    };
  }

  /** Why the run must stop for its budget, or null while it may go on. */
  overBudget(): string | null {
    const u = this.ledger.usage;
    const { tokens, cost } = this.budget;
    const tokensOver = tokens !== null && u.total >= tokens;
    const costOver = cost !== null && u.cost >= cost;
    if (!tokensOver && !costOver) return null;
    const parts = [
      `${u.total} tokens${tokens === null ? '' : ` of ${tokens}`}`,
      `cost ${u.cost.toFixed(4)}${cost === null ? '' : ` of ${cost}`}`,
    ];
    return `LLM budget reached after ${u.calls} calls: ${parts.join(', ')}; resume with a larger --budget-tokens or --budget-cost`;
  }

  private evolveEvery(): number {
    return this.settings.evolveEvery ?? this.config.evolveEvery;
  }

  /** Whether the prompts evolve after `iteration` and have not yet. */
  evolutionDue(iteration: number): boolean {
    return iteration >= 1 && iteration < this.config.iterations && iteration % this.evolveEvery() === 0 && !this.ledger.evolvedAt.has(iteration);
  }

  /**
   * After `iteration`: evolves the prompts when due and the budget allows, appending the batch
   * `prompts-<iteration>` at `revision`. Returns the stream's revision afterwards.
   */
  async afterIteration(iteration: number, store: EventStore, stream: string, revision: number, projections: RunProjections): Promise<number> {
    if (!this.evolutionDue(iteration) || this.overBudget() !== null) return revision;
    const decision = shouldAdvance(projections.curriculum, this.runId);
    const difficulty = this.difficultyAt(decision.from);
    const result = await evolvePrompts({
      runId: this.runId,
      iteration,
      difficulty,
      successRate: decision.window === 0 ? null : decision.successRate,
      ledger: this.ledger,
      settings: this.settings,
      port: this.port,
      recorded: this.recorded,
    });
    const recorder = new EventRecorder(
      this.runId,
      iteration,
      `prompts-${this.runId}-${iteration}`,
      (e) => {
        projections.apply(e);
        this.ledger.apply(e);
      },
      `prompts-${iteration}`,
    );
    for (const call of result.calls) recorder.record('LlmCalled', call);
    for (const change of result.changes) recorder.record('PromptEvolved', change);
    if (recorder.events.length === 0) return revision;
    return (await store.appendToStream(stream, recorder.events, { expected: revision })).nextRevision;
  }

  private difficultyAt(levelIndex: number): number {
    return curriculumLevels[Math.min(levelIndex, curriculumLevels.length - 1)]!.difficulty;
  }
}
