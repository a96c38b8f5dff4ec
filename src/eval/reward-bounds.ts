// An upper bound on the reward any policy can reach on a scenario (sim/reward.ts), from the scenario
// alone. Each term is bounded by what the simulator cannot beat, for a policy that completes every task:
// - latency: a task cannot finish sooner than its ideal run time (alone on the fastest node), so
//   avgLatency ≥ the mean ideal run time and the score ≤ 1 / (1 + mean ideal run / target);
// - cost: an open node costs at least the cheapest price per core-second (times the lowest price
//   multiplier) for every core it has, so cost ≥ p × open core-seconds = p × busy / U, where busy ≥ Σ
//   cores × ideal run × task utilisation (work is conserved under sharing) and U is the run's
//   utilisation: cost / costRef ≥ ū / U, ū = busy / Σ cores × ideal run;
// - energy: ≥ (lowest idle power per core) × open + (lowest (peak − idle) per core) × busy, so
//   energy / energyRef ≥ ū × (i / U + d) / P;
// - qos ≤ 1; utilisation: the sweet-spot score of U.
// The bound is the maximum over U in (0, 1] of the sum (the terms are not reached together: it is
// loose, never tight). Dropping work cannot beat it: with c = min(count share, work share) scaling
// every efficiency term, unfinished tasks counted as SLA violations and the drop penalty, the bound over
// every completed subset (the k longest tasks left out, for every k: the most a smaller mean latency
// could give) is checked too and reported when it is higher.
import { idealRunTime, rewardReferences, utilisationScore } from '../../sim/reward.js';
import type { Scenario } from '../../sim/scenario.js';

export interface RewardBound {
  /** Upper bound on the reward. */
  readonly reward: number;
  /** The utilisation at which the bound peaks. */
  readonly utilisation: number;
  /** Per-term bounds at that utilisation. */
  readonly scores: { readonly latency: number; readonly cost: number; readonly energy: number; readonly qos: number; readonly utilisation: number };
  /** Tasks left out at the maximum (0: completing every task bounds highest). */
  readonly dropped: number;
}

const GRID = 500;

export function rewardUpperBound(scenario: Scenario): RewardBound {
  const refs = rewardReferences(scenario);
  const w = scenario.objectives;
  const W = w.latency + w.cost + w.energy + w.qos + w.utilisation;
  let maxMips = 0;
  let idlePerCore = Infinity;
  let dynPerCore = Infinity;
  // A node that is free or draws no power lets the work cost or draw nothing: no bound below the score c.
  const freeNode = scenario.nodes.some((n) => !(n.pricePerHour > 0));
  const unpoweredNode = scenario.nodes.some((n) => !(n.powerPeak > 0));
  for (const n of scenario.nodes) {
    if (n.mips > maxMips) maxMips = n.mips;
    if (n.powerPeak > 0) {
      idlePerCore = Math.min(idlePerCore, n.powerIdle / n.cores);
      dynPerCore = Math.min(dynPerCore, (n.powerPeak - n.powerIdle) / n.cores);
    }
  }
  let minMultiplier = 1;
  for (const p of scenario.environment.prices) minMultiplier = Math.min(minMultiplier, p.multiplier);
  const runs = scenario.tasks.map((t) => idealRunTime(t, maxMips));
  let reserved = 0;
  let busy = 0;
  scenario.tasks.forEach((t, i) => {
    reserved += t.cores * runs[i]!;
    busy += t.cores * runs[i]! * t.utilisation;
  });
  const ubar = reserved > 0 ? busy / reserved : 1;
  let minTaskUtil = 1;
  for (const t of scenario.tasks) minTaskUtil = Math.min(minTaskUtil, t.utilisation);
  const allSla = scenario.tasks.every((t) => t.sla !== undefined);
  const n = scenario.tasks.length;
  // Completed subsets: the k longest left out (the smallest mean run time for n − k tasks).
  const ascending = [...runs].sort((a, b) => a - b);
  const prefix = [0];
  for (const r of ascending) prefix.push(prefix[prefix.length - 1]! + r);
  let best: RewardBound | null = null;
  for (let k = 0; k < n; k++) {
    const done = n - k;
    const c = n > 0 ? done / n : 1; // c ≤ the count share
    const meanRun = done > 0 ? prefix[done]! / done : 0;
    const latency = c / (1 + meanRun / refs.latencyTarget);
    const qos = allSla ? c : 1; // unfinished tasks with an SLA are violations
    const u = k === 0 ? ubar : minTaskUtil; // the completed subset's ū is at least the smallest task's
    const penalty = W * (1 - c);
    for (let g = 1; g <= GRID; g++) {
      const U = g / GRID;
      const cost = refs.pricePerCoreSecond > 0 && !freeNode ? c / (1 + (minMultiplier * u) / U) : c;
      const energy = refs.peakPowerPerCore > 0 && !unpoweredNode ? c / (1 + (u * (idlePerCore / U + dynPerCore)) / refs.peakPowerPerCore) : c;
      const util = utilisationScore(U);
      const reward = w.latency * latency + w.cost * cost + w.energy * energy + w.qos * qos + w.utilisation * util - penalty;
      if (best === null || reward > best.reward) best = { reward, utilisation: U, scores: { latency, cost, energy, qos, utilisation: util }, dropped: k };
    }
  }
  return best ?? { reward: 0, utilisation: 0, scores: { latency: 0, cost: 0, energy: 0, qos: 0, utilisation: 0 }, dropped: 0 };
}
