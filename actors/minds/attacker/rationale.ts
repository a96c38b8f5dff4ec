// The rationale of a proposal, in words: where it came from, what the operators changed, what makes it
// harder than the level's default scenario, and the evidence that it is solvable.
import { round } from '../../../sim/workload/distributions.js';
import type { GeneratorParams } from '../../../sim/workload/params.js';
import { knobByPath, readKnob } from './knobs.js';
import type { Prescreen } from './prescreen.js';
import type { Solvability } from './solvability.js';

// Knobs where a larger value makes a scenario harder, with a word for each.
const HARDER_WHEN_HIGHER: readonly [string, string][] = [
  ['loadFactor', 'offered load'],
  ['sla.tightness', 'SLA tightness'],
  ['sla.fraction', 'share of tasks with an SLA'],
  ['failures.fraction', 'share of nodes failing'],
  ['failures.permanent', 'chance a failure is permanent'],
  ['failures.downtime', 'downtime'],
  ['congestion.windows', 'congestion windows'],
  ['congestion.severity', 'congestion severity'],
  ['prices.spikes', 'price spikes'],
  ['prices.multiplier', 'price spike height'],
  ['dependencies.density', 'dependency density'],
  ['heterogeneity', 'fleet heterogeneity'],
];

/** The knobs most above the level's defaults (relative to the knob's schema range), largest first. */
export function hardAspects(params: GeneratorParams, defaults: GeneratorParams, limit = 4): string[] {
  const out: { excess: number; text: string }[] = [];
  for (const [path, word] of HARDER_WHEN_HIGHER) {
    const k = knobByPath(path)!;
    const v = readKnob(params, path) ?? 0;
    const d = readKnob(defaults, path) ?? 0;
    const excess = (v - d) / Math.max(1e-9, Math.min(k.search.max - k.search.min, k.schema.max - k.schema.min));
    if (excess > 0.05) out.push({ excess, text: `${word} ${round(v, 3)} (level default ${round(d, 3)})` });
  }
  if (params.arrival.pattern !== defaults.arrival.pattern && (params.arrival.pattern === 'bursty' || params.arrival.pattern === 'sporadic')) {
    out.push({ excess: 0.5, text: `${params.arrival.pattern} arrivals (level default ${defaults.arrival.pattern})` });
  }
  return out
    .sort((a, b) => b.excess - a.excess || (a.text < b.text ? -1 : 1))
    .slice(0, limit)
    .map((x) => x.text);
}

export interface RationaleInput {
  parent: { scenarioId: string; reward: number } | null;
  operators: string[];
  changes: string[];
  params: GeneratorParams;
  defaults: GeneratorParams;
  solvability: Solvability;
  prescreen: Prescreen;
}

export function rationale(r: RationaleInput): string {
  const origin = r.parent === null ? 'from the level defaults' : `from elite ${r.parent.scenarioId} (attacker reward ${round(r.parent.reward, 3)})`;
  const how = r.operators.length === 0 ? '' : ` by ${r.operators.join(' + ')}${r.changes.length > 0 ? ` (${r.changes.join('; ')})` : ''}`;
  const hard = hardAspects(r.params, r.defaults);
  const what = hard.length === 0 ? 'close to the level defaults' : `hard because of ${hard.join(', ')}`;
  const screen = r.prescreen.p === null ? '' : `; incumbents solve ${r.prescreen.solved}/${r.prescreen.incumbents}`;
  return `${r.params.domain} level ${r.params.level} scenario ${origin}${how}: ${what}; ${r.solvability.reason}${screen}`;
}
