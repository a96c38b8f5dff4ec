// Task classes: what one task of each kind asks for. Sizes are relative to a reference node (the fleet's
// median node by cores) so a class means the same on small and large fleets; run times are in seconds
// on a reference-speed core and become lengths in MI (× the reference MIPS), except DeepRM jobs, whose
// durations are fixed whatever the speed, as in DeepRM.
import type { Rng } from '../random.js';
import { deeprmJob } from './deeprm.js';
import { clamp, logNormal, pick, pickWeighted, round, uniform } from './distributions.js';
import type { TaskClass } from './params.js';

export interface ClassContext {
  refCores: number;
  /** GB. */
  refMemory: number;
  /** MIPS per core. */
  refMips: number;
  /** Seconds per DeepRM time unit. */
  deeprmTimeUnit: number;
  sources: readonly string[];
  /** MB read by a stream task. */
  streamData: { min: number; max: number };
}

export interface TaskShape {
  cores: number;
  memory: number;
  length?: number;
  duration?: number;
  priority: number;
  source?: string;
  dataSize: number;
}

const mi = (seconds: number, ctx: ClassContext) => Math.max(1, Math.round(seconds * ctx.refMips));
const gb = (x: number) => round(x, 3);

function withSource(rng: Rng, ctx: ClassContext, shape: TaskShape, dataSize: number): TaskShape {
  if (ctx.sources.length === 0) return shape;
  return { ...shape, source: pick(rng, ctx.sources), dataSize: round(dataSize, 3) };
}

export const TASK_CLASS_SAMPLERS: Record<TaskClass, (rng: Rng, ctx: ClassContext) => TaskShape> = {
  deeprm: (rng, ctx) => {
    const job = deeprmJob(rng);
    return {
      cores: Math.max(1, Math.round(job.cpu * ctx.refCores)),
      memory: gb(job.memory * ctx.refMemory),
      duration: job.units * ctx.deeprmTimeUnit,
      priority: 3,
      dataSize: 0,
    };
  },
  // Alibaba 2017 batch: requests mostly 0.5 or 1 core (→ 1), some wider; spans log-normal, median ~30 s.
  batch: (rng, ctx) => ({
    cores: [1, 2, 4][pickWeighted(rng, [0.7, 0.2, 0.1])]!,
    memory: gb(clamp(logNormal(rng, 0.7, 0.8), 0.1, Math.max(0.1, ctx.refMemory / 4))),
    length: mi(clamp(logNormal(rng, 30, 1.5), 1, 7200), ctx),
    priority: rng.int(1, 2),
    dataSize: 0,
  }),
  interactive: (rng, ctx) => ({
    cores: rng.float() < 0.8 ? 1 : 2,
    memory: gb(uniform(rng, 0.25, 2)),
    length: mi(uniform(rng, 0.05, 2), ctx),
    priority: rng.int(4, 5),
    dataSize: 0,
  }),
  hpc: (rng, ctx) => {
    const cores = Math.max(1, Math.round(uniform(rng, 0.5, 1) * ctx.refCores));
    return {
      cores,
      memory: gb(Math.min(ctx.refMemory, cores * uniform(rng, 1, 2))),
      length: mi(uniform(rng, 300, 3600), ctx),
      priority: 3,
      dataSize: 0,
    };
  },
  sensor: (rng, ctx) =>
    withSource(
      rng,
      ctx,
      { cores: 1, memory: gb(uniform(rng, 0.1, 1)), length: mi(uniform(rng, 0.02, 0.5), ctx), priority: 4, dataSize: 0 },
      uniform(rng, 0.1, 5),
    ),
  stream: (rng, ctx) =>
    withSource(
      rng,
      ctx,
      { cores: rng.int(1, 2), memory: gb(uniform(rng, 0.5, 4)), length: mi(uniform(rng, 1, 30), ctx), priority: rng.int(2, 3), dataSize: 0 },
      uniform(rng, ctx.streamData.min, ctx.streamData.max),
    ),
};
