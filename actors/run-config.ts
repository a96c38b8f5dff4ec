// The configuration of a self-play run. Defaults follow the proposal (../shared/seed/): 5 scenarios per
// iteration, 3 candidate policies per scenario, curriculum advance at 70 % over the last 20 scenarios,
// evolution every 10 iterations. The resolved configuration is recorded whole in RunStarted, so a run
// never depends on defaults that a later version might change.
import { z } from 'zod';
import { curriculumLevels } from '../projections/curriculum.js';
import { baselines } from '../sim/baselines/index.js';
import { LlmSettings } from './minds/llm/settings.js';

const fraction = () => z.number().min(0).max(1);

export const RunConfig = z
  .object({
    iterations: z.number().int().min(1).default(20),
    domain: z.enum(['cloud', 'edge', 'network', 'hybrid']).default('cloud'),
    scenariosPerIteration: z.number().int().min(1).default(5),
    candidatesPerScenario: z.number().int().min(1).default(3),
    incumbents: z.number().int().min(0).default(5).describe('top-k rated policies re-evaluated every iteration'),
    referenceBaselines: z
      .array(z.string().refine((name) => Object.prototype.hasOwnProperty.call(baselines, name), { message: 'not a baseline (aurora eval --help lists them)' }))
      .min(1)
      .default(['first-fit', 'best-fit', 'kubernetes-balanced-allocation', 'cost-greedy'])
      .describe('baselines evaluated on every scenario; "solved" means beating the best of them'),
    slaTolerance: fraction().default(0.05).describe('τ: the largest SLA-violation rate that still counts as solved'),
    drawMargin: z.number().min(0).default(1e-9).describe('rewards closer than this make a drawn match'),
    elo: z
      .object({ initial: z.number().default(1500), k: z.number().positive().default(32) })
      .strict()
      .default({ initial: 1500, k: 32 }),
    curriculum: z
      .object({
        startLevel: z.number().int().min(1).max(curriculumLevels.length).default(1).describe('1-based curriculum level the run starts at: 1 basic … 5 master'),
        window: z.number().int().min(1).default(20),
        threshold: fraction().default(0.7),
      })
      .strict()
      .default({ startLevel: 1, window: 20, threshold: 0.7 }),
    attacker: z
      .object({
        learnabilityWeight: z.number().min(0).default(0.5),
        noveltyWeight: z.number().min(0).default(0.3),
        closenessWeight: z.number().min(0).default(0.2),
        noveltyNeighbours: z.number().int().min(1).default(5),
      })
      .strict()
      .default({ learnabilityWeight: 0.5, noveltyWeight: 0.3, closenessWeight: 0.2, noveltyNeighbours: 5 }),
    evolveEvery: z.number().int().min(1).default(10).describe('the evolver adapts the search every M iterations'),
    mind: z.enum(['offline', 'llm']).default('offline'),
    /** The LLM minds' endpoint, models, prices and budget (mind 'llm'); absent in offline runs. */
    llm: LlmSettings.optional(),
    timeouts: z
      .object({ requestMs: z.number().int().min(1).default(60_000), retries: z.number().int().min(0).default(2) })
      .strict()
      .default({ requestMs: 60_000, retries: 2 }),
  })
  .strict();
export type RunConfig = z.infer<typeof RunConfig>;
export type RunConfigInput = z.input<typeof RunConfig>;
