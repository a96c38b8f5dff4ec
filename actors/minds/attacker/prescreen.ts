// The pre-screen: before choosing among solvable candidates, estimate how often the defender's
// incumbents solve each one (solved as the controller judges it), and prefer candidates they solve
// sometimes but not always. Cheap at high levels: fewer incumbents and fewer spare candidates there.
import type { Scenario } from '../../../sim/scenario.js';
import type { Witness } from './solvability.js';
import { learnability } from './reward.js';
import { runTrial, solves, type Trial } from './trial.js';

/** Incumbents simulated per candidate: all (up to 5) to level 5, 2 to level 8, 1 above. */
export function prescreenIncumbents(level: number): number {
  return level <= 5 ? 5 : level <= 8 ? 2 : 1;
}

/** Candidates generated per scenario asked for, when there are incumbents to pre-screen with. */
export function oversampling(level: number): number {
  return level <= 5 ? 2 : level <= 7 ? 1.5 : 1;
}

export interface Prescreen {
  /** Estimated solve rate (solved / incumbents), null with no incumbents. */
  p: number | null;
  solved: number;
  incumbents: number;
}

export function prescreen(scenario: Scenario, incumbents: readonly Witness[], baselineTrials: readonly Trial[], tau: number): Prescreen {
  if (incumbents.length === 0) return { p: null, solved: 0, incumbents: 0 };
  const ran = baselineTrials.filter((t) => t.failure === null);
  const bestBaseline = ran.length === 0 ? -Infinity : Math.max(...ran.map((t) => t.reward));
  let solved = 0;
  for (const w of incumbents) if (solves(runTrial(scenario, w.policyId, w.policy), bestBaseline, tau)) solved += 1;
  return { p: solved / incumbents.length, solved, incumbents: incumbents.length };
}

/** Orders candidates best first: estimated learnability, then p nearest ½, then the given order. */
export function prescreenRank(a: Prescreen, b: Prescreen): number {
  const la = a.p === null ? 0 : learnability(a.p);
  const lb = b.p === null ? 0 : learnability(b.p);
  if (la !== lb) return lb - la;
  const ma = a.p === null ? 0 : Math.abs(a.p - 0.5);
  const mb = b.p === null ? 0 : Math.abs(b.p - 0.5);
  return ma - mb;
}
