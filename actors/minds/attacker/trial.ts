// One run of one policy on a candidate scenario, reduced to what the attacker decides with: SLA
// violations, reward and whether the policy faulted. A policy that does not compile is a faulted
// trial, not a crash: the attacker never trusts its witnesses blindly.
import { compilePolicy } from '../../../sim/policy/compile.js';
import type { PolicyDocument } from '../../../sim/policy/document.js';
import type { Scenario } from '../../../sim/scenario.js';
import { simulate } from '../../../sim/simulate.js';

export interface Trial {
  policyId: string;
  slaViolationRate: number;
  reward: number;
  /** The fault that stopped the run, or the compile error; null when it ran to the end. */
  failure: string | null;
}

export function runTrial(scenario: Scenario, policyId: string, policy: PolicyDocument): Trial {
  let compiled;
  try {
    compiled = compilePolicy(policy);
  } catch (err) {
    return { policyId, slaViolationRate: 1, reward: 0, failure: `does not compile: ${(err as Error).message}` };
  }
  let result;
  try {
    result = simulate(scenario, compiled);
  } catch (err) {
    // Not a policy fault (those come back in result.failure): recorded, so the candidate is dropped
    // with the reason instead of failing the whole request.
    return { policyId, slaViolationRate: 1, reward: 0, failure: `simulation error: ${(err as Error).message}` };
  }
  return {
    policyId,
    slaViolationRate: result.metrics.slaViolationRate,
    reward: result.reward.reward,
    failure: result.failure === undefined ? null : result.failure.message,
  };
}

/** Solved, as the controller judges it (DESIGN §6): no fault, SLA violations ≤ τ, reward ≥ the best baseline's. */
export function solves(t: Trial, bestBaselineReward: number, tau: number): boolean {
  return t.failure === null && t.slaViolationRate <= tau && t.reward >= bestBaselineReward;
}
