// Evaluating policies on a suite of scenario files: one row per policy with the simulator's metrics
// averaged over the suite (and per scenario in --json). A policy that does not compile or faults on a
// scenario is reported, not hidden, and makes the command exit 1.
import { basename } from 'node:path';
import { compilePolicy } from '../../sim/policy/compile.js';
import { PolicyCompileError } from '../../sim/policy/compiled.js';
import { simulate } from '../../sim/simulate.js';
import { formatErrors, validateScenario } from '../../sim/validate.js';
import type { Scenario } from '../../sim/scenario.js';
import type { Metrics } from '../../sim/metrics.js';
import { CliError } from '../cli-error.js';
import type { EvalOptions, EvalReport, PolicyChoice, Suite } from '../commands/eval.js';

interface Cell {
  scenario: string;
  reward: number;
  metrics: Metrics;
  failure: string | null;
}

interface Row {
  policy: string;
  source: PolicyChoice['source'];
  error: string | null;
  cells: Cell[];
}

const columns: { head: string; of: (c: Cell) => number; format: (x: number) => string }[] = [
  { head: 'reward', of: (c) => c.reward, format: (x) => x.toFixed(4) },
  { head: 'avg lat s', of: (c) => c.metrics.avgLatency, format: (x) => x.toFixed(3) },
  { head: 'p95 lat s', of: (c) => c.metrics.p95Latency, format: (x) => x.toFixed(3) },
  { head: 'SLA viol', of: (c) => c.metrics.slaViolationRate, format: (x) => `${(100 * x).toFixed(1)}%` },
  { head: 'util', of: (c) => c.metrics.utilisation, format: (x) => `${(100 * x).toFixed(1)}%` },
  { head: 'cost', of: (c) => c.metrics.cost, format: (x) => x.toFixed(4) },
  { head: 'energy kJ', of: (c) => c.metrics.energy / 1000, format: (x) => x.toFixed(1) },
  { head: 'dropped', of: (c) => c.metrics.dropped, format: (x) => x.toFixed(1) },
];

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function evaluateScenarioSuite(suite: Suite, policies: readonly PolicyChoice[], _options: EvalOptions): EvalReport {
  const scenarios: { file: string; scenario: Scenario }[] = suite.files.map((f) => {
    const checked = validateScenario(f.json);
    if (!checked.ok) throw new CliError(`${f.path}: ${formatErrors(checked.errors)}`);
    return { file: f.path, scenario: checked.scenario };
  });
  const rows: Row[] = [];
  for (const choice of policies) {
    let compiled;
    try {
      compiled = compilePolicy(choice.document);
    } catch (err) {
      if (!(err instanceof PolicyCompileError)) throw err;
      rows.push({ policy: choice.label, source: choice.source, error: err.message, cells: [] });
      continue;
    }
    const cells = scenarios.map(({ scenario }): Cell => {
      const r = simulate(scenario, compiled);
      return { scenario: scenario.id, reward: r.reward.reward, metrics: r.metrics, failure: r.failure ? r.failure.message : null };
    });
    rows.push({ policy: choice.label, source: choice.source, error: null, cells });
  }
  const failed = rows.some((r) => r.error !== null || r.cells.some((c) => c.failure !== null));
  const json = {
    kind: 'scenario',
    scenarios: scenarios.map((s) => ({ id: s.scenario.id, file: s.file, domain: s.scenario.domain, tasks: s.scenario.tasks.length, nodes: s.scenario.nodes.length })),
    policies: rows.map((r) => ({
      policy: r.policy,
      source: r.source,
      error: r.error,
      mean: Object.fromEntries(columns.map((c) => [c.head, mean(r.cells.map(c.of))])),
      results: r.cells,
    })),
  };
  const head = ['policy', ...columns.map((c) => c.head), 'faults'];
  const body = rows.map((r) =>
    r.error !== null
      ? [r.policy, `does not compile: ${r.error}`]
      : [r.policy, ...columns.map((c) => c.format(mean(r.cells.map(c.of)))), String(r.cells.filter((c) => c.failure !== null).length)],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.filter((b) => b.length === head.length).map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells.length === head.length ? cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ') : cells.join('  ');
  const text = [
    `mean over ${scenarios.length} scenario(s): ${scenarios.map((s) => basename(s.file)).join(', ')}`,
    '',
    line(head),
    ...body.map(line),
    ...rows.flatMap((r) => r.cells.filter((c) => c.failure !== null).map((c) => `${r.policy} on ${c.scenario}: ${c.failure}`)),
  ].join('\n');
  return { json, text: text + '\n', failed };
}
