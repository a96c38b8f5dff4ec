// `aurora simulate --scenario <file> --policy <name|file>[,…] [--json] [--trace out.json] [--explain taskId]`:
// run policies on one scenario and show the simulator's metrics, a schedule trace, or why one task
// went where it went.
import { parseArgs } from 'node:util';
import { compilePolicy } from '../../sim/policy/compile.js';
import { PolicyCompileError } from '../../sim/policy/compiled.js';
import { simulate, type Explanation, type SimResult } from '../../sim/simulate.js';
import type { Scenario } from '../../sim/scenario.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../cli.js';
import { readScenarioFile, writeFileAtomic } from '../scenario-file.js';
import { loadPolicies, type PolicyChoice } from './eval.js';

const USAGE = `usage: aurora simulate --scenario <file> [--policy <name|file>[,…]] [--json] [--trace out.json] [--explain taskId]

--scenario  a scenario JSON file (aurora scenario generate|import writes them; aurora schema scenario)
--policy    baseline names, 'baselines' (the default: every baseline), or policy JSON files
--trace     write every task's node, start, finish and outcome and every node's open intervals (one policy)
--explain   show the placement decision of one task: the node chosen, the runners-up with each score
            term, and every node filtered out with its reason (one policy)
--json      print JSON instead of a table`;

interface Row {
  policy: string;
  result: SimResult | null;
  error: string | null;
}

const fixed = (x: number, digits = 3) => x.toFixed(digits);

function table(rows: Row[]): string {
  const head = ['policy', 'reward', 'avg lat s', 'p95 lat s', 'SLA viol', 'util', 'cost', 'energy kJ', 'nodes', 'dropped', 'killed'];
  const body = rows.map((r) => {
    if (r.result === null) return [r.policy, `error: ${r.error}`];
    const m = r.result.metrics;
    const cells = [
      r.policy + (r.result.failure ? ' (failed)' : ''),
      fixed(r.result.reward.reward, 4),
      fixed(m.avgLatency),
      fixed(m.p95Latency),
      `${m.slaViolations} (${(m.slaViolationRate * 100).toFixed(1)} %)`,
      `${(m.utilisation * 100).toFixed(1)} %`,
      fixed(m.cost, 4),
      fixed(m.energy / 1000, 1),
      String(m.nodesUsed),
      String(m.dropped),
      String(m.killed),
    ];
    return cells;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b.length === head.length ? b[i]!.length : 0))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(head), ...body.map((b) => (b.length === head.length ? line(b) : b.join('  ')))];
  for (const r of rows) if (r.result?.failure) out.push(`${r.policy}: ${r.result.failure.message} (task ${r.result.failure.taskId} at t=${r.result.failure.time})`);
  return out.join('\n');
}

export function formatExplanation(e: Explanation, policy: string): string {
  const lines = [`task ${e.task} under ${policy}: decision at t=${e.time}${e.attempts > 0 ? ` after ${e.attempts} failed attempt(s)` : ''}`];
  lines.push(e.chosen === null ? 'no node passed: the task stayed queued' : `chosen: ${e.chosen}`);
  if (e.candidates.length > 0) {
    lines.push('candidates (best first):');
    for (const c of e.candidates) {
      const terms = c.terms.map((t) => `${t.label} = ${Number(t.value.toPrecision(6))}`).join(';  ');
      lines.push(`  ${c.node === e.chosen ? '*' : ' '} ${c.node.padEnd(12)} score ${Number(c.score.toPrecision(6))}${terms ? `   [${terms}]` : ''}`);
    }
  }
  if (e.excluded.length > 0) {
    lines.push('not candidates:');
    for (const x of e.excluded) lines.push(`    ${x.node.padEnd(12)} ${x.by}: ${x.reason}`);
  }
  return lines.join('\n');
}

function run(scenario: Scenario, choice: PolicyChoice, options: { trace: boolean; explain?: string }): Row {
  try {
    const compiled = compilePolicy(choice.document);
    return { policy: choice.label, result: simulate(scenario, compiled, { trace: options.trace, explainTask: options.explain }), error: null };
  } catch (err) {
    if (err instanceof PolicyCompileError) {
      if (choice.source === 'file') throw new CliError(`${choice.label}: ${err.message}`);
      return { policy: choice.label, result: null, error: err.message };
    }
    throw err;
  }
}

export const command: Command = {
  summary: 'simulate policies on one scenario (metrics, --trace, --explain)',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        policy: { type: 'string', default: 'baselines' },
        json: { type: 'boolean', default: false },
        trace: { type: 'string' },
        explain: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (values.scenario === undefined) throw new CliError('--scenario is required (aurora simulate --help)');
    const { scenario, warnings } = await readScenarioFile(values.scenario);
    const specs = values.policy.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const policies = await loadPolicies(specs);
    if ((values.trace !== undefined || values.explain !== undefined) && policies.length !== 1) {
      throw new CliError('--trace and --explain take exactly one --policy');
    }
    if (values.explain !== undefined && !scenario.tasks.some((t) => t.id === values.explain)) {
      throw new CliError(`--explain: no task '${values.explain}' in ${values.scenario}`);
    }
    const rows = policies.map((p) => run(scenario, p, { trace: values.trace !== undefined, explain: values.explain }));
    if (values.trace !== undefined) {
      const result = rows[0]!.result;
      if (result?.trace) await writeFileAtomic(values.trace, JSON.stringify(result.trace) + '\n');
    }
    if (values.json) {
      const out = rows.map((r) => ({
        policy: r.policy,
        error: r.error,
        metrics: r.result?.metrics ?? null,
        reward: r.result?.reward ?? null,
        infeasible: r.result?.infeasible ?? [],
        failure: r.result?.failure ?? null,
        explanation: r.result?.explanation ?? null,
      }));
      process.stdout.write(JSON.stringify({ scenario: scenario.id, warnings, results: out }, null, 2) + '\n');
    } else {
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      if (values.explain !== undefined) {
        const r = rows[0]!;
        if (r.result?.explanation) process.stdout.write(formatExplanation(r.result.explanation, r.policy) + '\n');
        else process.stdout.write(`task ${values.explain} was never placed under ${r.policy} (see --json for its outcome)\n`);
      } else {
        process.stdout.write(`scenario ${scenario.id}: ${scenario.domain}, ${scenario.nodes.length} nodes, ${scenario.tasks.length} tasks\n`);
        process.stdout.write(table(rows) + '\n');
        if (values.trace !== undefined) process.stdout.write(`trace written to ${values.trace}\n`);
      }
    }
    return rows.some((r) => r.result === null || r.result.failure) ? 1 : 0;
  },
};
