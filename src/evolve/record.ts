// An evolution's champion as a library record (src/eval/policy-record.ts): the policy, and everything
// needed to tell how it was made and to make it again: the command, seed, settings, generations run,
// code version, training suite, and the figures measured on training, validation and test cases.
import type { PolicyDocument } from '../../sim/policy/document.js';
import { POLICY_RECORD_FORMAT, PolicyRecord } from '../eval/policy-record.js';
import type { EvolveResult, EvolveSettings } from './evolve.js';
import type { EvolutionProblem } from './problem.js';

export interface RecordInput {
  readonly name: string;
  readonly problem: EvolutionProblem;
  readonly result: EvolveResult;
  readonly seed: number;
  readonly settings: EvolveSettings;
  readonly codeVersion: string;
  readonly command: string;
  readonly createdAt: string | null;
  /** Held-out figures, when the champion was evaluated on the suite's test cases. */
  readonly test: unknown;
}

export function championRecord(input: RecordInput): PolicyRecord {
  const { result, problem } = input;
  const c = result.champion;
  const policy: PolicyDocument = {
    ...c.doc,
    name: input.name,
    explain:
      `Evolved by aurora evolve on ${problem.trainingSuite} (seed ${input.seed}, ${result.generations} generations, ${result.evaluations} evaluations) ` +
      `from the seed '${result.bestSeed.doc.name}' (training ${result.bestSeed.fitness.summary}); the champion descends from the seed '${c.lineage}'. ` +
      `Training ${c.fitness.summary}; validation ${c.validation.summary}.`,
    author: 'aurora evolve',
  };
  return PolicyRecord.parse({
    format: POLICY_RECORD_FORMAT,
    name: input.name,
    summary: `${problem.trainingSuite} champion: training ${c.fitness.summary}, validation ${c.validation.summary}`,
    policy,
    provenance: {
      source: 'evolve',
      trainingSuite: problem.trainingSuite,
      domain: problem.domain,
      seed: input.seed,
      runId: null,
      policyId: c.id,
      config: JSON.parse(
        JSON.stringify({
          settings: { ...input.settings, generations: result.generations, seedTuneSteps: result.seedTuneSteps },
          budget: { generations: input.settings.generations, maxMillis: input.settings.maxMillis, clock: input.settings.budgetClock ?? 'wall' },
          problem: problem.description,
        }),
      ),
      codeVersion: input.codeVersion,
      command: input.command,
      createdAt: input.createdAt,
      results: JSON.parse(
        JSON.stringify(
          {
            generations: result.generations,
            evaluations: result.evaluations,
            // On the budget's clock: CPU seconds with --cpu-minutes, wall seconds otherwise.
            seconds: Math.round(result.millis / 100) / 10,
            seed: { name: result.bestSeed.doc.name, training: result.bestSeed.fitness.detail },
            lineage: c.lineage,
            training: c.fitness.detail,
            validation: c.validation.detail,
            test: input.test ?? null,
          },
          (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
        ),
      ),
    },
  });
}
