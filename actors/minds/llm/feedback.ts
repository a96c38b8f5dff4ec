// What the attacker's prompt says about the defender: its solved share of recent scenarios (the
// curriculum's decision window) and its weak areas — the scenario features on which the scenarios it
// failed stand out most from those it solved (projections/scenario-features.ts).
import type { RunProjections } from '../../run-projections.js';
import { shouldAdvance } from '../../../projections/curriculum.js';
import { archivedScenarios, solveRate } from '../../../projections/scenario-archive.js';
import { featureNames } from '../../../projections/scenario-features.js';
import type { AttackerFeedback } from './settings.js';

const AREA: Record<(typeof featureNames)[number], string> = {
  tasks: 'many tasks',
  nodes: 'many nodes',
  load: 'high offered load',
  burstiness: 'bursty arrivals',
  failures: 'node failures',
  congestion: 'network congestion',
  priceVolatility: 'price spikes',
  slaTightness: 'tight SLAs',
  dependencies: 'task dependencies',
  memoryPressure: 'memory pressure',
};

/** Scenarios looked at, most recent first. */
export const RECENT_SCENARIOS = 40;
/** Areas named at most. */
export const WEAK_AREAS = 3;
/** A feature counts as a weak area when failed scenarios exceed solved ones on it by this much. */
export const MIN_GAP = 0.05;

export function attackerFeedback(projections: RunProjections, runId: string): AttackerFeedback {
  const decision = shouldAdvance(projections.curriculum, runId);
  const measured = archivedScenarios(projections.archive, runId)
    .filter((s) => s.evaluations > 0)
    .sort((a, b) => b.iteration - a.iteration || (a.scenarioId < b.scenarioId ? -1 : 1))
    .slice(0, RECENT_SCENARIOS);
  const failed = measured.filter((s) => (solveRate(s) ?? 0) < 0.5);
  const solved = measured.filter((s) => (solveRate(s) ?? 0) >= 0.5);
  const weakAreas: string[] = [];
  if (failed.length > 0 && solved.length > 0) {
    const mean = (xs: typeof measured, i: number) => xs.reduce((sum, s) => sum + (s.features[i] ?? 0), 0) / xs.length;
    const gaps = featureNames
      .map((name, i) => ({ name, gap: mean(failed, i) - mean(solved, i) }))
      .filter((g) => g.gap > MIN_GAP)
      .sort((a, b) => b.gap - a.gap || (a.name < b.name ? -1 : 1))
      .slice(0, WEAK_AREAS);
    for (const g of gaps) weakAreas.push(`${AREA[g.name]} (failed scenarios +${g.gap.toFixed(2)} on ${g.name})`);
  } else if (failed.length > 0) {
    weakAreas.push('the defender failed every recent scenario: make them easier');
  }
  return { successRate: decision.window === 0 ? null : decision.successRate, window: decision.window, weakAreas };
}
