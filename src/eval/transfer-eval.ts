// Zero-shot transfer (the proposal's §6.1 transfer table): the champion evolved on one domain's suite,
// evaluated unchanged on another domain's held-out cases, as a percentage of the mean reward of the
// champion evolved on that domain itself. The best hand-written baseline on the target is shown the
// same way, for scale.
import { compilePolicy } from '../../sim/policy/compile.js';
import { PolicyCompileError } from '../../sim/policy/compiled.js';
import type { ScenarioCase, ScenarioSuiteDef } from '../suites/scenario-suite.js';
import type { EvalPolicy } from './choices.js';
import { caseResult } from './scenario-suite-eval.js';
import { interval95, type Interval } from './stats.js';

export interface TransferRow {
  readonly from: string;
  readonly to: string;
  readonly transferred: string;
  readonly inDomain: string;
  readonly bestBaseline: string | null;
  /** Mean reward on the target's held-out cases, with 95 % intervals. */
  readonly transferReward: Interval | null;
  readonly inDomainReward: Interval | null;
  readonly baselineReward: Interval | null;
  /** transferReward ÷ inDomainReward × 100. */
  readonly percent: number | null;
  readonly baselinePercent: number | null;
  readonly error: string | null;
}

export interface TransferReport {
  readonly kind: 'transfer';
  readonly rows: readonly TransferRow[];
  readonly target: number;
  readonly failed: boolean;
}

/** The target the issue sets for cloud → edge, in percent. */
export const TRANSFER_TARGET = 90;

function rewards(doc: unknown, cases: readonly ScenarioCase[]): { interval: Interval; error: string | null } | { interval: null; error: string } {
  let policy;
  try {
    policy = compilePolicy(doc);
  } catch (err) {
    if (err instanceof PolicyCompileError) return { interval: null, error: err.message };
    throw err;
  }
  const results = cases.map((c) => caseResult(c, policy));
  const fault = results.find((r) => r.failure !== null);
  return { interval: interval95(results.map((r) => r.reward)), error: fault ? `${fault.case}: ${fault.failure}` : null };
}

export interface TransferPair {
  readonly from: ScenarioSuiteDef;
  readonly to: ScenarioSuiteDef;
  readonly toCases: readonly ScenarioCase[];
  readonly transferred: EvalPolicy;
  readonly inDomain: EvalPolicy;
  readonly baselines: readonly EvalPolicy[];
}

export function evaluateTransfer(pairs: readonly TransferPair[]): TransferReport {
  const rows = pairs.map((p): TransferRow => {
    const t = rewards(p.transferred.document, p.toCases);
    const d = rewards(p.inDomain.document, p.toCases);
    let best: { label: string; interval: Interval } | null = null;
    for (const b of p.baselines) {
      const r = rewards(b.document, p.toCases);
      if (r.interval !== null && r.error === null && (best === null || r.interval.mean > best.interval.mean)) best = { label: b.label, interval: r.interval };
    }
    const pct = (x: Interval | null) => (x !== null && d.interval !== null && d.interval.mean !== 0 ? (100 * x.mean) / d.interval.mean : null);
    return {
      from: p.from.name,
      to: p.to.name,
      transferred: p.transferred.label,
      inDomain: p.inDomain.label,
      bestBaseline: best?.label ?? null,
      transferReward: t.interval,
      inDomainReward: d.interval,
      baselineReward: best?.interval ?? null,
      percent: pct(t.interval),
      baselinePercent: pct(best?.interval ?? null),
      error: t.error ?? d.error,
    };
  });
  return { kind: 'transfer', rows, target: TRANSFER_TARGET, failed: rows.some((r) => r.error !== null) };
}
