// A named scenario suite evaluated: every policy on every held-out case, and the proposal's table
// (../shared/seed, §6.1): average latency, utilisation, cost per hour and SLA violations, plus the
// reward, each as a mean with a 95 % Student t interval over the cases (independent seeds or windows).
// Then the champion against the best baseline: reward gain, SLA violations, cost.
import { compilePolicy } from '../../sim/policy/compile.js';
import { PolicyCompileError } from '../../sim/policy/compiled.js';
import { simulate } from '../../sim/simulate.js';
import type { ScenarioCase, ScenarioSuiteDef } from '../suites/scenario-suite.js';
import type { EvalPolicy, PolicySource } from './choices.js';
import { interval95, type Interval } from './stats.js';

export const METRICS = ['avgLatency', 'utilisation', 'costPerHour', 'slaViolationRate', 'dropRate', 'reward'] as const;
export type MetricName = (typeof METRICS)[number];

export const METRIC_INFO: Readonly<Record<MetricName, { head: string; unit: string; better: 'lower' | 'higher'; scale: number; digits: number }>> = {
  avgLatency: { head: 'avg latency', unit: 's', better: 'lower', scale: 1, digits: 2 },
  utilisation: { head: 'utilisation', unit: '%', better: 'higher', scale: 100, digits: 1 },
  costPerHour: { head: 'cost per hour', unit: 'price/h', better: 'lower', scale: 1, digits: 3 },
  slaViolationRate: { head: 'SLA violations', unit: '%', better: 'lower', scale: 100, digits: 1 },
  dropRate: { head: 'dropped', unit: '%', better: 'lower', scale: 100, digits: 2 },
  reward: { head: 'reward', unit: '', better: 'higher', scale: 1, digits: 4 },
};

export interface CaseResult {
  readonly case: string;
  readonly avgLatency: number;
  readonly utilisation: number;
  /** Cost ÷ makespan, per hour (price units per hour of the run). */
  readonly costPerHour: number;
  readonly slaViolationRate: number;
  /** Dropped ÷ tasks: infeasible, rejected, killed too often, or never placed before the run ended. */
  readonly dropRate: number;
  readonly reward: number;
  readonly failure: string | null;
}

export type Role = 'random' | 'baseline' | 'champion' | 'policy';

export interface ScenarioRow {
  readonly label: string;
  readonly source: PolicySource;
  readonly role: Role;
  readonly error: string | null;
  readonly cases: readonly CaseResult[];
  /** Per metric, over the cases. */
  readonly summary: Readonly<Record<MetricName, Interval>> | null;
}

export interface Comparison {
  readonly champion: string;
  readonly bestBaseline: string;
  /** (champion − best baseline) ÷ |best baseline|, mean rewards. */
  readonly rewardGain: number;
  readonly slaChampion: number;
  readonly slaBaseline: number;
  readonly costChampion: number;
  readonly costBaseline: number;
  readonly dropChampion: number;
  readonly dropBaseline: number;
  /** Cases where the champion's reward is at least the best baseline's. */
  readonly wins: number;
  readonly cases: number;
  /** The target: ≥ 10 % more reward, fewer SLA violations, no higher cost. */
  readonly meetsTarget: boolean;
}

export interface ScenarioSuiteReport {
  readonly kind: 'scenario-suite';
  readonly suite: { readonly name: string; readonly version: number; readonly domain: string; readonly description: string; readonly split: string; readonly parameters: unknown };
  readonly cases: readonly { readonly id: string; readonly tasks: number; readonly nodes: number }[];
  readonly policies: readonly ScenarioRow[];
  readonly comparison: Comparison | null;
  readonly failed: boolean;
}

export const TARGET_GAIN = 0.1;

export function caseResult(c: ScenarioCase, policy: ReturnType<typeof compilePolicy>): CaseResult {
  const r = simulate(c.scenario, policy);
  const m = r.metrics;
  return {
    case: c.id,
    avgLatency: m.avgLatency,
    utilisation: m.utilisation,
    costPerHour: m.makespan > 0 ? (m.cost * 3600) / m.makespan : 0,
    slaViolationRate: m.slaViolationRate,
    dropRate: m.tasks > 0 ? m.dropped / m.tasks : 0,
    reward: r.reward.reward,
    failure: r.failure ? r.failure.message : null,
  };
}

function roleOf(p: EvalPolicy): Role {
  if (p.champion) return 'champion';
  if (p.source === 'baseline') return p.label === 'random' ? 'random' : 'baseline';
  return 'policy';
}

export function summarise(cases: readonly CaseResult[]): Record<MetricName, Interval> {
  return Object.fromEntries(METRICS.map((m) => [m, interval95(cases.map((c) => c[m]))])) as Record<MetricName, Interval>;
}

export function evaluateScenarioSuite(suite: ScenarioSuiteDef, cases: readonly ScenarioCase[], policies: readonly EvalPolicy[]): ScenarioSuiteReport {
  const rows: ScenarioRow[] = policies.map((p) => {
    let compiled;
    try {
      compiled = compilePolicy(p.document);
    } catch (err) {
      if (!(err instanceof PolicyCompileError)) throw err;
      return { label: p.label, source: p.source, role: roleOf(p), error: err.message, cases: [], summary: null };
    }
    const results = cases.map((c) => caseResult(c, compiled));
    return { label: p.label, source: p.source, role: roleOf(p), error: null, cases: results, summary: summarise(results) };
  });
  const failed = rows.some((r) => r.error !== null || r.cases.some((c) => c.failure !== null));
  return {
    kind: 'scenario-suite',
    suite: { name: suite.name, version: suite.version, domain: suite.domain, description: suite.description, split: suite.split, parameters: suite.parameters },
    cases: cases.map((c) => ({ id: c.id, tasks: c.scenario.tasks.length, nodes: c.scenario.nodes.length })),
    policies: rows,
    comparison: compare(rows),
    failed,
  };
}

/** The champion against the baseline with the best mean reward (random included: it is a baseline too). */
export function compare(rows: readonly ScenarioRow[]): Comparison | null {
  const champion = rows.find((r) => r.role === 'champion' && r.summary !== null);
  const base = rows.filter((r) => (r.role === 'baseline' || r.role === 'random') && r.summary !== null);
  if (champion === undefined || base.length === 0) return null;
  const best = base.reduce((a, b) => (b.summary!.reward.mean > a.summary!.reward.mean ? b : a));
  const c = champion.summary!;
  const b = best.summary!;
  const rewardGain = (c.reward.mean - b.reward.mean) / Math.abs(b.reward.mean);
  let wins = 0;
  champion.cases.forEach((x, i) => {
    if (x.reward >= best.cases[i]!.reward) wins++;
  });
  return {
    champion: champion.label,
    bestBaseline: best.label,
    rewardGain,
    slaChampion: c.slaViolationRate.mean,
    slaBaseline: b.slaViolationRate.mean,
    costChampion: c.costPerHour.mean,
    costBaseline: b.costPerHour.mean,
    dropChampion: c.dropRate.mean,
    dropBaseline: b.dropRate.mean,
    wins,
    cases: champion.cases.length,
    meetsTarget: rewardGain >= TARGET_GAIN && c.slaViolationRate.mean < b.slaViolationRate.mean && c.costPerHour.mean <= b.costPerHour.mean,
  };
}
