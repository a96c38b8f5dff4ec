// The seed populations. Search starts from good structure and tunes it (the brief FunSearch gives its
// LLM is best-fit; here the structure is written down): for bin packing, best fit and forms that reward
// a near-exact fit and otherwise leave a gap a later item can use; for scheduling, the baselines. The
// constants are generic (fractions of the capacity), not tuned on any test set: evolution tunes them on
// training instances.
import { baselineNames, baselines } from '../../sim/baselines/index.js';
import type { PolicyDocument } from '../../sim/policy/document.js';

const A = 'node.free_cores_after';
const SUM_OF_SQUARES = `(if node.open == 1 then 2 * node.same_free_bins - 1 else 0) - (if ${A} == 0 then 0 else 2 * node.same_free_bins_after + 1)`;

const binpackSeed = (name: string, explain: string, score: string): PolicyDocument => ({ name, explain, order: 'fifo', filter: 'true', score });

/** The seeds of a bin-packing track; the `or` track gets one more (below). */
export function binpackSeeds(track: 'weibull' | 'or' = 'weibull'): PolicyDocument[] {
  return [...commonBinpackSeeds(), ...(track === 'or' ? orSeeds() : [])];
}

/**
 * The strategy FunSearch's paper describes for its OR heuristics (Romera-Paredes et al. 2024, text of
 * Fig. 6: pack into the tightest bin only if the fit is very tight, otherwise elsewhere), written with
 * this file's generic constants (a near-exact fit is a gap of at most 2, a sliver is under 15 % of the
 * capacity) and first fit for "elsewhere". Its idea is FunSearch's, not AURORA's: docs/evaluation.md says so.
 */
function orSeeds(): PolicyDocument[] {
  return [
    binpackSeed(
      'tight-no-sliver-first-fit',
      "a near-exact fit if there is one; never leave a sliver under 15 % of the capacity; else the oldest bin (FunSearch's published OR strategy, generic constants)",
      `if ${A} <= 2 then 1000 - ${A} else if ${A} < 0.15 * node.cores then -500 - ${A} else 0`,
    ),
  ];
}

function commonBinpackSeeds(): PolicyDocument[] {
  return [
    binpackSeed('best-fit', 'the bin the item fills most', `-${A}`),
    binpackSeed('first-fit', 'the oldest bin that fits (every bin scores alike; ties go to the lowest bin number)', '0'),
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
    // The sum-of-squares rule (Csirik, Johnson, Kenyon, Orlin, Shor, Weber, 2006): keep Σ_g N(g)² small,
    // N(g) = open bins with gap g (full bins not counted); the score is minus the change of the sum.
    binpackSeed('sum-of-squares', 'the bin that least increases the sum over gaps of (open bins with that gap)²', SUM_OF_SQUARES),
    binpackSeed('exact-then-sum-of-squares', 'an exact fit if there is one, else the sum-of-squares rule', `if ${A} == 0 then 1000000 else ${SUM_OF_SQUARES}`),
    binpackSeed('sum-of-squares-best-fit', 'the sum-of-squares rule, ties to the tighter fit', `${SUM_OF_SQUARES} - 0.01 * ${A}`),
  ];
}

const CAPACITY = 'node.free_cores_after >= 0 and node.free_memory_after >= 0';

const scenarioSeed = (name: string, explain: string, order: 'edf' | 'sjf', score: string): PolicyDocument => ({ name, explain, order, filter: CAPACITY, score });

/**
 * Every baseline except random (a draw per decision is noise to tune, not structure to refine), then
 * the strongest baselines' queue orders (EDF, SJF) crossed with the placements that save money
 * (cost-greedy, best fit, consolidation onto nodes already open), and forms that weigh cost against
 * latency so they mean the same on cloud and edge (`node.finish_est` includes the source's latency and
 * the data transfer; both are 0 in the cloud). Constants are generic; evolution tunes them.
 */
export function scenarioSeeds(): PolicyDocument[] {
  const baseline = baselineNames.filter((n) => n !== 'random').map((n) => ({ ...baselines[n]! }));
  const BEST_FIT = '-(node.cpu_free_frac_after + node.mem_free_frac_after)';
  const CONSOLIDATE = '-node.cpu_free_frac_after - 0.5 * node.mem_free_frac_after - 2 * (1 - node.open)';
  const COST_LATENCY = '-node.cost_est / (0.001 + node.price_per_core * node.exec_time / 3600) - (node.finish_est - now) / (1 + node.exec_time)';
  const crossed: PolicyDocument[] = [];
  for (const order of ['edf', 'sjf'] as const) {
    crossed.push(
      scenarioSeed(`${order}-cost-greedy`, `${order} order, the placement that costs least`, order, '-node.cost_est'),
      scenarioSeed(`${order}-best-fit`, `${order} order, the node the task fills most`, order, BEST_FIT),
      scenarioSeed(`${order}-consolidate`, `${order} order, the fullest node already open, a closed one only when it must`, order, CONSOLIDATE),
      scenarioSeed(`${order}-cost-latency`, `${order} order, cost relative to the task's own cheapest run plus the delay before it finishes relative to its run time`, order, COST_LATENCY),
    );
  }
  // Tasks that end at about the same time share nodes, so a node empties (and stops costing) at once
  // instead of staying open for one long task: long tasks fill the fleet from the front, short ones
  // from the back (`split`), or each run-time decade gets its own stretch of the fleet (`bands`).
  crossed.push(
    scenarioSeed('edf-split', 'EDF order; tasks running over an hour first fit from the front of the fleet, shorter ones from the back', 'edf', 'if node.exec_time > 3600 then -node.index else node.index'),
    scenarioSeed(
      'edf-bands',
      'EDF order; a task goes to the stretch of the fleet for its run time (log scale), first fit within it',
      'edf',
      '-abs(node.index / sim.node_count - min(1, log(1 + node.exec_time) / 12)) - 0.001 * node.index',
    ),
  );
  // The same aim read from the node itself: node.latest_finish_est is when the node's placed tasks are
  // estimated to be done, so max(0, finish − that) is how much longer the task would keep the node open
  // (its whole run on a closed node). Least extension first; among nodes it would not keep open longer,
  // the one that empties closest to the task's end, so nodes that stay open long are left for long tasks.
  const EXTENSION = 'max(0, node.finish_est - max(now, node.latest_finish_est))';
  crossed.push(
    scenarioSeed(
      'edf-extend-least',
      "EDF order; the node the task would keep open least longer (a closed one: its whole run), ties to the node that empties nearest the task's end",
      'edf',
      `-${EXTENSION} - 0.01 * max(0, node.latest_finish_est - node.finish_est)`,
    ),
    scenarioSeed(
      'edf-end-together',
      "EDF order; an open node whose tasks are estimated to end when this one does (gap relative to the task's run time), fuller nodes first",
      'edf',
      '-abs(node.latest_finish_est - node.finish_est) / (1 + node.exec_time) - 2 * (1 - node.open) - node.cpu_free_frac_after',
    ),
  );
  crossed.push(
    scenarioSeed(
      'reliable-cost-latency',
      'EDF order; cost and delay as above, and away from nodes that fail or run out of energy',
      'edf',
      `${COST_LATENCY} + 2 * node.reliability + node.energy_left_frac`,
    ),
  );
  return [...baseline, ...crossed];
}
