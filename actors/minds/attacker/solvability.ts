// "Hard but solvable": before a scenario is proposed, the attacker shows that it can be solved, or
// rejects it. Two checks, cheapest first:
// 1. A relaxed lower bound (sound, no simulation): give every task the whole fleet to itself, so it
//    starts as soon as it has arrived and its dependencies have finished, and runs on the fastest node
//    that can hold it, with no transfer, latency, queueing or failure. Its finish time then is a lower
//    bound on its finish under any policy, so a task whose bound already misses its SLA (or that no
//    node can hold, or that depends on such a task and has an SLA) violates under every policy. When
//    those certain violations exceed τ of the tasks, the scenario is unsolvable: rejected without a
//    single simulation.
// 2. Witnesses: the reference baselines (and then the incumbents) are simulated on it; the first one
//    with no fault and an SLA-violation rate ≤ τ proves it solvable. None: rejected.
import type { PolicyDocument } from '../../../sim/policy/document.js';
import type { Scenario } from '../../../sim/scenario.js';
import { nodeCanHold, reachOf } from '../../../sim/validate.js';
import { runTrial, type Trial } from './trial.js';

export interface SlaBound {
  /** Tasks that violate their SLA under every policy. */
  certain: number;
  /** certain / tasks (0 with no tasks). */
  rate: number;
}

/** The relaxed lower bound on SLA violations described above. */
export function slaLowerBound(scenario: Scenario): SlaBound {
  const reach = scenario.nodes.map((n) => reachOf(n, scenario.links));
  const index = new Map(scenario.tasks.map((t, i) => [t.id, i]));
  const finish = new Array<number>(scenario.tasks.length).fill(Number.NaN);
  // Dependencies may point forward in the list; resolve them by memoised recursion with a cycle guard.
  const visiting = new Set<number>();
  const earliestFinish = (i: number): number => {
    if (!Number.isNaN(finish[i]!)) return finish[i]!;
    if (visiting.has(i)) return Infinity;
    visiting.add(i);
    const t = scenario.tasks[i]!;
    let start = t.arrival;
    for (const d of t.deps) {
      const j = index.get(d);
      start = Math.max(start, j === undefined ? Infinity : earliestFinish(j));
    }
    let run = Infinity;
    scenario.nodes.forEach((n, k) => {
      if (!nodeCanHold(t, n, reach[k]!)) return;
      run = Math.min(run, t.duration ?? (t.length ?? 0) / (n.mips * t.utilisation));
    });
    visiting.delete(i);
    finish[i] = start + run;
    return finish[i]!;
  };
  let certain = 0;
  scenario.tasks.forEach((t, i) => {
    if (t.sla === undefined) return;
    const f = earliestFinish(i);
    // A relative tolerance, so rounding in the generator's SLAs never turns into a certain violation.
    if (f - t.arrival > t.sla * (1 + 1e-9) + 1e-9) certain += 1;
  });
  return { certain, rate: scenario.tasks.length === 0 ? 0 : certain / scenario.tasks.length };
}

export interface Witness {
  policyId: string;
  policy: PolicyDocument;
}

export interface Solvability {
  solvable: boolean;
  /** One line: why it is (not) solvable. */
  reason: string;
  bound: SlaBound;
  /** The first trial with no fault and SLA violations ≤ τ, if any. */
  witness: Trial | null;
  /** Every trial run, in witness order. */
  trials: Trial[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/**
 * Checks `scenario` against τ: the bound first, then each witness in order. With `allTrials`, every
 * witness is simulated even after one succeeded (the pre-screen needs every baseline's reward).
 */
export function checkSolvable(scenario: Scenario, witnesses: readonly Witness[], tau: number, allTrials = false): Solvability {
  const bound = slaLowerBound(scenario);
  if (bound.rate > tau) {
    return {
      solvable: false,
      reason: `unsolvable: ${bound.certain} of ${scenario.tasks.length} tasks (${pct(bound.rate)}) miss their SLA even alone on the fastest node, above τ = ${pct(tau)}`,
      bound,
      witness: null,
      trials: [],
    };
  }
  const trials: Trial[] = [];
  let witness: Trial | null = null;
  for (const w of witnesses) {
    const t = runTrial(scenario, w.policyId, w.policy);
    trials.push(t);
    if (witness === null && t.failure === null && t.slaViolationRate <= tau) {
      witness = t;
      if (!allTrials) break;
    }
  }
  if (witness !== null) {
    return { solvable: true, reason: `solvable: ${witness.policyId} keeps SLA violations at ${pct(witness.slaViolationRate)} ≤ τ = ${pct(tau)}`, bound, witness, trials };
  }
  const best = trials.filter((t) => t.failure === null).sort((a, b) => a.slaViolationRate - b.slaViolationRate || (a.policyId < b.policyId ? -1 : 1))[0];
  return {
    solvable: false,
    reason:
      trials.length === 0
        ? 'unsolvable as far as known: no witness policy to try'
        : `unsolvable as far as known: the best of ${trials.length} witnesses (${best?.policyId ?? 'none ran'}) violates ${best === undefined ? 'n/a' : pct(best.slaViolationRate)} of SLAs, above τ = ${pct(tau)}`,
    bound,
    witness: null,
    trials,
  };
}
