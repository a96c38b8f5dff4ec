// What the controller tells the attacker besides its search state (ProposeScenarios.context): the
// reference baselines and τ that define "solvable", the curriculum level's sizes, and the incumbents
// (the defender's best policies) for the pre-screen. Read leniently: a missing or malformed field
// takes its default, so an empty context still gives a working attacker.
import { z } from 'zod';
import { PolicyDocument } from '../../../sim/policy/document.js';

export const DEFAULT_REFERENCE_BASELINES = ['best-fit', 'cost-greedy', 'first-fit', 'kubernetes-balanced-allocation'];

const Incumbent = z.object({ policyId: z.string().min(1), policy: PolicyDocument });

export const AttackerContext = z.object({
  referenceBaselines: z.array(z.string()).catch(DEFAULT_REFERENCE_BASELINES).default(DEFAULT_REFERENCE_BASELINES),
  slaTolerance: z.number().min(0).max(1).catch(0.05).default(0.05),
  /** Sizes of the curriculum level; absent: sim/workload's level table for the request's level. */
  tasks: z.number().int().min(1).max(5000).optional().catch(undefined),
  nodes: z.number().int().min(1).max(1000).optional().catch(undefined),
  incumbents: z.array(z.unknown()).catch([]).default([]),
});

export interface AttackerContext {
  referenceBaselines: string[];
  slaTolerance: number;
  tasks: number | undefined;
  nodes: number | undefined;
  incumbents: { policyId: string; policy: PolicyDocument }[];
}

export function readAttackerContext(json: unknown): AttackerContext {
  const obj = typeof json === 'object' && json !== null && !Array.isArray(json) ? json : {};
  const c = AttackerContext.parse(obj);
  const incumbents = c.incumbents
    .flatMap((i) => {
      const parsed = Incumbent.safeParse(i);
      return parsed.success ? [{ policyId: parsed.data.policyId, policy: parsed.data.policy }] : [];
    })
    .sort((a, b) => (a.policyId < b.policyId ? -1 : a.policyId > b.policyId ? 1 : 0));
  return {
    referenceBaselines: [...new Set(c.referenceBaselines)].sort(),
    slaTolerance: c.slaTolerance,
    tasks: c.tasks,
    nodes: c.nodes,
    incumbents,
  };
}
