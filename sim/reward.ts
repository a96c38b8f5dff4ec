// The reward engine: one number per run of a policy on a scenario, from the simulator's own metrics,
// following the proposal's "Custom Reward Engine" and `defender_reward` (../shared/seed/).
//
// Per-objective scores, each in [0, 1], higher is better. c = min(completed / tasks, completed work /
// all work) (1 with no tasks; work = Σ cores × ideal run time, as below) scales the efficiency
// objectives, so a policy cannot look fast, cheap or frugal by not running the work — whether the work
// it leaves undone is many small tasks (the count share falls) or a few long ones (the work share falls):
//   latency     = c × 1 / (1 + avgLatency / target)
//                 target = mean SLA of the tasks that have one; if none does, 2 × the mean ideal run
//                 time (each task alone on the fastest node: length / (utilisation × mips), or duration).
//   cost        = c × 1 / (1 + cost / costRef)
//                 costRef = Σ over completed tasks of cores × ideal run time × the cheapest price per
//                 core-second (min over priced nodes of pricePerHour / 3600 / cores): the cost of the work
//                 done, packed perfectly onto the cheapest cores. No priced node: cost is always 0 and the
//                 score is c.
//   energy      = c × 1 / (1 + energy / energyRef)
//                 energyRef = Σ over completed tasks of cores × ideal run time × min over powered nodes of
//                 powerPeak / cores (the work done at peak power per core). No powered node: the score is c.
// Before version 2 the references were (completed / tasks) × all the work: a policy that left the few
// longest tasks unrun kept nearly the whole reference while its cost and energy fell by their (large)
// share of the work, and gained reward by not running them (+3 % on Alibaba windows for 1–2 % of the
// tasks). Callers that do not say which tasks completed get the old estimate (work share = count share).
//   qos         = 1 − slaViolationRate (dropped tasks with an SLA count as violations).
//   utilisation = the 0.7–0.9 sweet spot scores 1; below, utilisation / 0.7; above, falling linearly
//                 to 0.5 at 1 (no headroom left).
// reward = Σ weight × score − Σ weight × dropped / tasks. The penalty for dropped tasks (the proposal's
// heavy SLA penalty) makes dropping everything score at most 0; a run completing every task scores in
// [0, Σ weight]. Infeasible tasks are dropped under every policy, so they shift all policies equally.
import type { Metrics, Reward, Scores } from './metrics.js';
import type { Scenario } from './scenario.js';

export const UTILISATION_SWEET_SPOT: readonly [number, number] = [0.7, 0.9];

/** Which tasks (by index) completed: simulate() passes the engine's own record. */
export type CompletedTasks = (taskIndex: number) => boolean;

/** Scenario-derived normalisers, documented above. */
export interface RewardReferences {
  latencyTarget: number;
  /** Σ cores × ideal run time over all tasks, core-seconds. */
  coreSeconds: number;
  /** Cheapest price per core-second (0 when nothing is priced). */
  pricePerCoreSecond: number;
  /** Lowest peak power per core, W (0 when no node draws power). */
  peakPowerPerCore: number;
}

export function rewardReferences(scenario: Scenario): RewardReferences {
  // Loops, not Math.max(...): scenarios may have hundreds of thousands of nodes.
  let maxMips = 0;
  let pricePerCoreSecond = Infinity;
  let peakPowerPerCore = Infinity;
  for (const n of scenario.nodes) {
    if (n.mips > maxMips) maxMips = n.mips;
    if (n.pricePerHour > 0) pricePerCoreSecond = Math.min(pricePerCoreSecond, n.pricePerHour / 3600 / n.cores);
    if (n.powerPeak > 0) peakPowerPerCore = Math.min(peakPowerPerCore, n.powerPeak / n.cores);
  }
  let runSum = 0;
  let coreSeconds = 0;
  let slaSum = 0;
  let slaCount = 0;
  for (const t of scenario.tasks) {
    const run = idealRunTime(t, maxMips);
    runSum += run;
    coreSeconds += t.cores * run;
    if (t.sla !== undefined) {
      slaSum += t.sla;
      slaCount++;
    }
  }
  const T = scenario.tasks.length;
  let latencyTarget = slaCount > 0 ? slaSum / slaCount : T > 0 ? (2 * runSum) / T : 1;
  if (!(latencyTarget > 0)) latencyTarget = 1;
  return {
    latencyTarget,
    coreSeconds,
    pricePerCoreSecond: pricePerCoreSecond === Infinity ? 0 : pricePerCoreSecond,
    peakPowerPerCore: peakPowerPerCore === Infinity ? 0 : peakPowerPerCore,
  };
}

/** A task alone on the fastest node: length / (utilisation × mips), or its duration. */
export function idealRunTime(t: Scenario['tasks'][number], maxMips: number): number {
  return t.length !== undefined ? t.length / (t.utilisation * maxMips) : (t.duration ?? 0);
}

/** Share of the scenario's work (Σ cores × ideal run time) in the tasks that completed. */
export function completedWorkShare(scenario: Scenario, completed: CompletedTasks): number {
  let maxMips = 0;
  for (const n of scenario.nodes) if (n.mips > maxMips) maxMips = n.mips;
  let all = 0;
  let done = 0;
  scenario.tasks.forEach((t, i) => {
    const w = t.cores * idealRunTime(t, maxMips);
    all += w;
    if (completed(i)) done += w;
  });
  return all > 0 ? done / all : 1;
}

export function utilisationScore(u: number): number {
  const [lo, hi] = UTILISATION_SWEET_SPOT;
  if (u <= 0) return 0;
  if (u < lo) return u / lo;
  if (u <= hi) return 1;
  return Math.max(0.5, 1 - (0.5 * (u - hi)) / (1 - hi));
}

function efficiency(c: number, value: number, ref: number): number {
  if (c === 0) return 0;
  if (ref > 0) return c / (1 + value / ref);
  return value > 0 ? 0 : c;
}

export function computeReward(metrics: Metrics, scenario: Scenario, completed?: CompletedTasks): Reward {
  const refs = rewardReferences(scenario);
  const countShare = metrics.tasks > 0 ? metrics.completed / metrics.tasks : 1;
  // Without the completed set, assume the undone work is the undone count's share (the old estimate).
  const workShare = completed === undefined || metrics.tasks === 0 ? countShare : completedWorkShare(scenario, completed);
  const c = Math.min(countShare, workShare);
  const work = workShare * refs.coreSeconds;
  const scores: Scores = {
    latency: c === 0 ? 0 : c / (1 + metrics.avgLatency / refs.latencyTarget),
    cost: efficiency(c, metrics.cost, work * refs.pricePerCoreSecond),
    energy: efficiency(c, metrics.energy, work * refs.peakPowerPerCore),
    qos: Math.max(0, 1 - metrics.slaViolationRate),
    utilisation: utilisationScore(metrics.utilisation),
  };
  const w = scenario.objectives;
  const totalWeight = w.latency + w.cost + w.energy + w.qos + w.utilisation;
  const weighted =
    w.latency * scores.latency +
    w.cost * scores.cost +
    w.energy * scores.energy +
    w.qos * scores.qos +
    w.utilisation * scores.utilisation;
  const dropRate = metrics.tasks > 0 ? metrics.dropped / metrics.tasks : 0;
  return { scores, reward: weighted - totalWeight * dropRate };
}
