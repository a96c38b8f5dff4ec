// The seed populations. Search starts from good structure and tunes it (the brief FunSearch gives its
// LLM is best-fit; here the structure is written down): for bin packing, best fit and forms that reward
// a near-exact fit and otherwise leave a gap a later item can use; for scheduling, the baselines. The
// constants are generic (fractions of the capacity), not tuned on any test set: evolution tunes them on
// training instances.
import { baselineNames, baselines } from '../../sim/baselines/index.js';
import type { PolicyDocument } from '../../sim/policy/document.js';

const A = 'node.free_cores_after';

const binpackSeed = (name: string, explain: string, score: string): PolicyDocument => ({ name, explain, order: 'fifo', filter: 'true', score });

export function binpackSeeds(): PolicyDocument[] {
  return [
    binpackSeed('best-fit', 'the bin the item fills most', `-${A}`),
    binpackSeed('residual', 'the bin whose free room the item takes the largest share of', 'node.cpu_residual'),
    binpackSeed('tight-or-spread', 'a near-exact fit if there is one, else the emptiest bin', `if ${A} <= 2 then 1000 - ${A} else ${A}`),
    binpackSeed(
      'tight-or-gap',
      'a near-exact fit if there is one, else the bin that keeps a gap of 40 % of the capacity for a later item',
      `if ${A} <= 2 then 1000 - ${A} else -abs(${A} - 0.4 * node.cores)`,
    ),
    binpackSeed(
      'tight-no-sliver',
      'a near-exact fit if there is one; never leave a sliver under 15 % of the capacity; else keep a gap of 40 %',
      `if ${A} <= 2 then 1000 - ${A} else if ${A} < 0.15 * node.cores then -500 - ${A} else -abs(${A} - 0.4 * node.cores)`,
    ),
    binpackSeed('quadratic-exact', 'best fit, squared and scaled by the item, plus a bonus that vanishes quickly away from an exact fit', `-(${A} ^ 2) / task.cores + 100 * exp(-${A})`),
    binpackSeed('open-first', 'best fit among open bins, a new bin only when it must', `-${A} - 50 * (1 - node.open)`),
    binpackSeed('worst-fit', 'the emptiest bin', A),
  ];
}

/** Every baseline except random (a draw per decision is noise to tune, not structure to refine). */
export function scenarioSeeds(): PolicyDocument[] {
  return baselineNames.filter((n) => n !== 'random').map((n) => ({ ...baselines[n]! }));
}
