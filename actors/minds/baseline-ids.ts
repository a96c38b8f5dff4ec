// The id under which a shipped baseline is recorded in a run (actors/self-play.ts records them so):
// minds use it when they bring baselines in as witnesses or as the defender's seed population.
export const baselinePolicyId = (name: string): string => `b-${name}`;

export const isBaselinePolicyId = (policyId: string): boolean => policyId.startsWith('b-');
