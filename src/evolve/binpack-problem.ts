// Online bin packing as an evolution problem: fitness = − the excess over the L1 bound (in %) on fresh
// training instances, averaged over instance sizes so every size weighs the same (the OR track mixes
// 120 … 1,000 items). Policies may read the item size and the bin's remaining capacity, its capacity and
// whether it is open (what FunSearch's priority(item, bins) sees of one bin), and the packer's history:
// how many open bins share this bin's gap now and after the item (the sum-of-squares rule's counts), and
// the share of the items so far that would fit the gap left. All keep packing on the exact index
// (sim/binpack/pack.ts); the history features cost the memo across items.
import { evaluateDataset } from '../../sim/binpack/evaluate.js';
import type { BinpackDataset } from '../../sim/binpack/dataset.js';
import { compilePackingPolicy } from '../../sim/binpack/packing-policy.js';
import { PolicyCompileError, PolicyRuntimeError } from '../../sim/policy/compiled.js';
import type { PolicyDocument } from '../../sim/policy/document.js';
import { BINPACK_SUITE_VERSION, BINPACK_TRACK_DEFS, type BinpackTrackName } from '../suites/binpack.js';
import { OR_MIX_DESCRIPTION, orMixInstances } from './binpack-size-mix.js';
import type { FeatureRange, FeatureRanges } from './operators.js';
import { FAULTED, type EvolutionProblem, type Fitness } from './problem.js';
import { binpackSeeds } from './seed-policies.js';

export const BINPACK_FEATURES: readonly string[] = [
  'node.cores',
  'node.cpu_free_frac',
  'node.cpu_free_frac_after',
  'node.cpu_residual',
  'node.free_cores',
  'node.free_cores_after',
  'node.load',
  'node.open',
  'node.same_free_bins',
  'node.same_free_bins_after',
  'node.seen_fit_after',
  'task.cores',
];

/** Excess in % per instance size, and their mean (the fitness, negated). */
export function binpackFitness(doc: PolicyDocument, data: BinpackDataset): Fitness {
  let policy;
  try {
    policy = compilePackingPolicy(doc);
  } catch (err) {
    if (err instanceof PolicyCompileError) return FAULTED;
    throw err;
  }
  const bySize = new Map<number, BinpackDataset['instances'][number][]>();
  for (const inst of data.instances) {
    const list = bySize.get(inst.items.length) ?? [];
    list.push(inst);
    bySize.set(inst.items.length, list);
  }
  const detail: Record<string, number> = {};
  let sum = 0;
  try {
    for (const size of [...bySize.keys()].sort((a, b) => a - b)) {
      const r = evaluateDataset(policy, { name: `n${size}`, capacity: data.capacity, instances: bySize.get(size)! });
      detail[`excess${size}`] = 100 * r.excess;
      sum += 100 * r.excess;
    }
  } catch (err) {
    if (err instanceof PolicyRuntimeError) return FAULTED;
    throw err;
  }
  const excess = sum / bySize.size;
  detail.excess = excess;
  // Every size's figure beside the mean, so a gain on one size cannot hide a loss on another.
  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  const perSize = sizes.length > 1 ? ` (${sizes.map((n) => `${n}: ${detail[`excess${n}`]!.toFixed(2)}`).join(', ')})` : '';
  return { value: -excess, summary: `excess ${excess.toFixed(3)} %${perSize}`, detail };
}

/**
 * The ranges the `threshold` move draws from, read off the training instances: gaps and free room in
 * [0, capacity] (whole numbers when the sizes are), item sizes between the smallest and the largest
 * seen, fractions in [0, 1]. The counts have no fixed range (they grow with the stream): none is given.
 */
export function binpackFeatureRanges(data: BinpackDataset): FeatureRanges['featureRange'] {
  let lo = Infinity;
  let hi = -Infinity;
  let integral = Number.isInteger(data.capacity);
  for (const inst of data.instances) {
    for (const s of inst.items) {
      if (s < lo) lo = s;
      if (s > hi) hi = s;
      if (!Number.isInteger(s)) integral = false;
    }
  }
  const room: FeatureRange = { lo: 0, hi: data.capacity, integral };
  const fraction: FeatureRange = { lo: 0, hi: 1, integral: false };
  const ranges = new Map<string, FeatureRange>(Object.entries({
    'node.free_cores': room,
    'node.free_cores_after': room,
    'task.cores': { lo: Number.isFinite(lo) ? lo : 0, hi: Number.isFinite(hi) ? hi : data.capacity, integral },
    'node.cpu_free_frac': fraction,
    'node.cpu_free_frac_after': fraction,
    'node.cpu_residual': fraction,
    'node.load': fraction,
    'node.seen_fit_after': fraction,
    'node.open': { lo: 0, hi: 1, integral: true },
  }));
  return (name) => ranges.get(name) ?? null;
}

export interface BinpackProblemOptions {
  readonly seed: number;
  readonly train?: number;
  readonly validate?: number;
}

/**
 * Hill-climbing steps per seed before generation 0 (evolve.ts): an evaluation costs a fraction of a
 * second, so ~300 of them are cheap, and the tight-fit seeds need them to be judged on their structure.
 */
export const BINPACK_SEED_TUNE_STEPS = 24;

export function binpackProblem(track: BinpackTrackName, options: BinpackProblemOptions): EvolutionProblem & FeatureRanges & { readonly seedTuneSteps: number } {
  const def = BINPACK_TRACK_DEFS[track];
  const trainCount = options.train ?? def.defaults.train;
  const validateCount = options.validate ?? def.defaults.validate;
  // The OR track deals its sizes by items, not in turn (binpack-size-mix.ts says why).
  const instances = (use: 'train' | 'validate', count: number) => (track === 'or' ? orMixInstances(options.seed, use, count) : def.instances(options.seed, use, count));
  const training = instances('train', trainCount);
  const validation = instances('validate', validateCount);
  return {
    trainingSuite: `binpack:${track}@${BINPACK_SUITE_VERSION}`,
    domain: 'binpack',
    features: { node: BINPACK_FEATURES, task: [] },
    evolveOrder: false,
    evolveFilter: false,
    seeds: binpackSeeds(track),
    featureRange: binpackFeatureRanges(training),
    seedTuneSteps: BINPACK_SEED_TUNE_STEPS,
    check: (doc) => {
      try {
        const p = compilePackingPolicy(doc);
        if (!p.arrivalOrder) return 'bin packing here is online: the items must be packed in arrival order';
        return null;
      } catch (err) {
        if (err instanceof PolicyCompileError) return err.message;
        throw err;
      }
    },
    train: (doc) => binpackFitness(doc, training),
    validate: (doc) => binpackFitness(doc, validation),
    description: {
      track,
      training: binpackTrainingDescription(track),
      trainInstances: trainCount,
      validateInstances: validateCount,
      trainItems: training.instances.reduce((s, i) => s + i.items.length, 0),
      validateItems: validation.instances.reduce((s, i) => s + i.items.length, 0),
      ...(track === 'or' ? { trainPerSize: instancesPerSize(training), validatePerSize: instancesPerSize(validation) } : {}),
    },
  };
}

/** What the track's fresh training and validation instances are (the OR track deals them by items). */
export function binpackTrainingDescription(track: BinpackTrackName): string {
  return track === 'or' ? OR_MIX_DESCRIPTION : BINPACK_TRACK_DEFS[track].description;
}

/** Instances per size, e.g. { 120: 348, 250: 167, … }, for the record. */
function instancesPerSize(data: BinpackDataset): Record<string, number> {
  const out: Record<string, number> = {};
  for (const inst of data.instances) out[inst.items.length] = (out[inst.items.length] ?? 0) + 1;
  return out;
}
