// `aurora audit <runId> [--store URL] [--json]` with one of --policy, --scenario, --evaluation (with
// --task) or --iteration: a run's decisions, explained from its events. Unknown ids: one line, exit 2.
import { parseArgs } from 'node:util';
import { DEFAULT_STORE_URL, openStore } from '../../events/open-store.js';
import { auditEvaluation } from '../audit/evaluation-audit.js';
import { formatEvaluationAudit, formatIterationAudit, formatPolicyAudit, formatScenarioAudit } from '../audit/format.js';
import { auditIteration } from '../audit/iteration-audit.js';
import { auditPolicy } from '../audit/policy-audit.js';
import { AuditInputError, RunLog } from '../audit/run-log.js';
import { auditScenario } from '../audit/scenario-audit.js';
import { isUnreadableEventError } from '../replay/recorded-log.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../cli.js';

const help = `usage: aurora audit <runId> [--store URL] [--json] <query>

queries (one):
  --policy ID                     its lineage (parents, operator or prompt, author, rationale), every
                                  evaluation, its rating history
  --scenario ID                   how it was generated (parameters, seed, rationale, attacker reward),
                                  every policy's result on it, its Pareto-optimal policies
  --evaluation ID --task TASK     the placement decision for one task, re-derived from the recorded
                                  scenario and policy: nodes compared, score terms, nodes filtered, outcome
  --iteration N                   what happened in iteration N, in order (0: the run's start)
Default store: ${DEFAULT_STORE_URL}.`;

/** The report of the one query asked for, and how to show it to people. */
function query(
  log: RunLog,
  values: { policy?: string; scenario?: string; evaluation?: string; task?: string },
  iteration: number | undefined,
): [unknown, () => string] {
  if (values.policy !== undefined) {
    const a = auditPolicy(log, values.policy);
    return [a, () => formatPolicyAudit(a)];
  }
  if (values.scenario !== undefined) {
    const a = auditScenario(log, values.scenario);
    return [a, () => formatScenarioAudit(a)];
  }
  if (values.evaluation !== undefined) {
    const a = auditEvaluation(log, values.evaluation, values.task);
    return [a, () => formatEvaluationAudit(a)];
  }
  const a = auditIteration(log, iteration!);
  return [a, () => formatIterationAudit(a)];
}

export const command: Command = {
  summary: "explain a run's policies, scenarios, placements and iterations from its events",
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        store: { type: 'string' },
        json: { type: 'boolean', default: false },
        policy: { type: 'string' },
        scenario: { type: 'string' },
        evaluation: { type: 'string' },
        task: { type: 'string' },
        iteration: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(help + '\n');
      return 0;
    }
    if (positionals.length !== 1) throw new CliError(positionals.length === 0 ? 'which run? (aurora audit <runId> --help)' : `one run id, got ${positionals.length}`);
    const queries = (['policy', 'scenario', 'evaluation', 'iteration'] as const).filter((q) => values[q] !== undefined);
    if (queries.length !== 1) {
      throw new CliError(queries.length === 0 ? 'say what to audit: --policy, --scenario, --evaluation (with --task) or --iteration' : `one query at a time, got --${queries.join(', --')}`);
    }
    if (values.task !== undefined && values.evaluation === undefined) throw new CliError('--task goes with --evaluation');
    let iteration: number | undefined;
    if (values.iteration !== undefined) {
      iteration = Number(values.iteration);
      if (!Number.isSafeInteger(iteration) || iteration < 0) throw new CliError(`--iteration must be an integer ≥ 0, got '${values.iteration}'`);
    }
    const store = await openStore(values.store ?? DEFAULT_STORE_URL).catch((err: Error) => {
      throw new CliError(err.message);
    });
    try {
      const log = await RunLog.read(store, positionals[0]!);
      const [report, format] = query(log, values, iteration);
      process.stdout.write((values.json ? JSON.stringify(report) : format()) + '\n');
      return 0;
    } catch (err) {
      if (err instanceof AuditInputError) throw new CliError(err.message);
      if (isUnreadableEventError(err)) throw new CliError(`the store refused an event of the run: ${err.message} (aurora replay shows where)`, 1);
      throw err;
    } finally {
      await store.close();
    }
  },
};
