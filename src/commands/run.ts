// `aurora run`: a self-play run on embedded defaults (in-process roles, SQLite, offline minds), or with
// the roles served by NATS workers (`--nats`). Shows live progress and ends with what the run found.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { openStore, DEFAULT_STORE_URL } from '../../events/open-store.js';
import { runSelfPlay, type Progress } from '../../actors/self-play.js';
import { RunConfig } from '../../actors/run-config.js';
import { hashName } from '../../sim/random.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../cli.js';
import { openTransport } from '../wiring/open-transport.js';
import { buildRunReport, formatRunReport } from '../run-report.js';
import { codeVersion } from '../version.js';
import { LlmConfigError, resolveLlmSection } from '../llm/config.js';
import { createOpenAiPort, type OpenAiPort } from '../llm/openai-port.js';
import { budgetStop, formatUsage, llmUsageOf, openLlmInProcess, storedRunConfig } from '../llm/wiring.js';

/** Simulator requests per scenario over NATS unless --evaluation-parts says otherwise. */
const NATS_EVALUATION_PARTS = 4;

const help = `usage: aurora run [--iterations N] [--seed S] [--store URL] [--nats URL [--evaluation-parts N]] [--config FILE]
                  [--domain D] [--json]
                  [--mind offline|llm] [--model M] [--base-url URL] [--budget-tokens N] [--budget-cost X]
       aurora run --resume <runId> [--store URL] [--nats URL] [--json] [--budget-tokens N] [--budget-cost X]

Runs self-play: the attacker proposes scenarios, the defender candidate policies, the simulator
evaluates them, and every outcome is appended to the event store (default ${DEFAULT_STORE_URL}).
Without --nats every role runs in this process; with it, start workers with
'aurora worker --role <attacker|defender|simulator> --nats URL'. --evaluation-parts N splits each
scenario's evaluations into N simulator requests (default 1 in-process, ${NATS_EVALUATION_PARTS} with --nats) so that
more workers than scenarios share an iteration; it never changes what is recorded.

--mind llm prompts a model on any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp's
server): OPENAI_BASE_URL or --base-url, AURORA_MODEL or --model, the key in OPENAI_API_KEY (never in a
file, never recorded). The config file's "llm" section sets per-role models, prices, the budget and
more (docs/llm.md). When the token or cost budget is reached the run stops after the iteration; resume
it with a larger --budget-tokens / --budget-cost.`;

/** An LLM iteration can take minutes: unless the config says otherwise, give role requests time. */
const LLM_TIMEOUTS = { requestMs: 30 * 60_000, retries: 1 };

function parseConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read config ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CliError(`config ${path} is not valid JSON: ${(err as Error).message}`);
  }
  // `null`, a list or a number would otherwise pass as "no settings" or as numbered keys.
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError(`config ${path} must be a JSON object`);
  return parsed;
}

function integer(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be an integer ≥ ${min}, got '${value}'`);
  return n;
}

function nonNegative(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`--${name} must be a number ≥ 0, got '${value}'`);
  return n;
}

function progressLine(p: Progress): string {
  const leader = p.leader === null ? '—' : `${p.leader} (${p.leaderRating?.toFixed(0)})`;
  const rate = p.seconds > 0 ? `${(p.evaluations / p.seconds).toFixed(0)} eval/s` : '';
  return `iteration ${String(p.iteration).padStart(3)}/${p.iterations}  level ${p.levelName.padEnd(12)} best reward ${p.bestReward.toFixed(4)}  leader ${leader}  ${rate}`;
}

export const command: Command = {
  summary: 'run self-play (embedded by default; --nats to use workers)',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        iterations: { type: 'string' },
        seed: { type: 'string' },
        store: { type: 'string' },
        nats: { type: 'string' },
        config: { type: 'string' },
        domain: { type: 'string' },
        resume: { type: 'string' },
        mind: { type: 'string' },
        model: { type: 'string' },
        'base-url': { type: 'string' },
        'budget-tokens': { type: 'string' },
        'budget-cost': { type: 'string' },
        'evaluation-parts': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(help + '\n');
      return 0;
    }
    const fileConfig = values.config === undefined ? {} : parseConfigFile(values.config);
    const overrides: Record<string, unknown> = { ...(fileConfig as object) };
    const iterations = integer(values.iterations, 'iterations', 1);
    if (iterations !== undefined) overrides.iterations = iterations;
    if (values.domain !== undefined) overrides.domain = values.domain;
    if (values.mind !== undefined) overrides.mind = values.mind;
    const budgetTokens = integer(values['budget-tokens'], 'budget-tokens', 1);
    const budgetCost = nonNegative(values['budget-cost'], 'budget-cost');
    const llmFlags = values.model !== undefined || values['base-url'] !== undefined || budgetTokens !== undefined || budgetCost !== undefined;
    if (llmFlags && values.resume === undefined && overrides.mind !== 'llm') {
      throw new CliError('--model, --base-url, --budget-tokens and --budget-cost need --mind llm');
    }
    if (overrides.mind === 'llm' && values.resume === undefined) {
      try {
        overrides.llm = resolveLlmSection(overrides.llm, process.env, { model: values.model, baseUrl: values['base-url'], budgetTokens, budgetCost });
      } catch (err) {
        if (err instanceof LlmConfigError) throw new CliError(err.message);
        throw err;
      }
      if (!Object.prototype.hasOwnProperty.call(fileConfig, 'timeouts')) overrides.timeouts = LLM_TIMEOUTS;
    }
    const parsed = RunConfig.safeParse(overrides);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CliError(`invalid configuration: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const seed = integer(values.seed, 'seed', 0) ?? 1;
    // Over NATS, split each scenario's evaluations so that every simulator worker gets a share.
    const evaluationParts = integer(values['evaluation-parts'], 'evaluation-parts', 1) ?? (values.nats === undefined ? 1 : NATS_EVALUATION_PARTS);
    if (seed > 2 ** 32 - 1) throw new CliError('--seed must be below 2^32');
    const runId = values.resume ?? `r${hashName(seed, JSON.stringify(parsed.data)).toString(36)}-${seed}`;

    const store = await openStore(values.store ?? DEFAULT_STORE_URL).catch((err: Error) => {
      throw new CliError(err.message);
    });
    // An LLM run (new, or resumed from its recorded configuration) gets a model port in this process.
    const recorded = values.resume === undefined ? null : await storedRunConfig(store, values.resume);
    const runConfig = recorded === null ? parsed.data : RunConfig.safeParse(recorded).data ?? parsed.data;
    const port: OpenAiPort | null = runConfig.mind === 'llm' ? createOpenAiPort({ concurrency: runConfig.llm?.concurrency ?? 4 }) : null;
    const transport = port !== null && values.nats === undefined ? await openLlmInProcess(port, runConfig.llm?.concurrency ?? 4) : await openTransport(values.nats);
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const began = performance.now();
    try {
      const result = await runSelfPlay({
        store,
        requester: transport,
        runId,
        seed,
        config: parsed.data,
        codeVersion: codeVersion(),
        resume: values.resume !== undefined,
        evaluationParts,
        signal: abort.signal,
        clock: () => performance.now(),
        onProgress: values.json ? undefined : (p) => process.stdout.write(progressLine(p) + '\n'),
        ...(port === null
          ? {}
          : {
              llm: {
                port,
                ...(values.resume !== undefined && (budgetTokens !== undefined || budgetCost !== undefined)
                  ? { budget: { ...(budgetTokens !== undefined ? { tokens: budgetTokens } : {}), ...(budgetCost !== undefined ? { cost: budgetCost } : {}) } }
                  : {}),
              },
            }),
      }).catch((err: Error) => {
        if (err.name === 'RunError') throw new CliError(err.message);
        throw err;
      });
      const report = await buildRunReport(store, result.runId, result.champion);
      const seconds = (performance.now() - began) / 1000;
      const usage = port === null ? null : await llmUsageOf(store, result.runId);
      const stopped = result.status === 'stopped' && port !== null ? await budgetStop(store, result.runId) : null;
      if (values.json) {
        process.stdout.write(JSON.stringify({ ...report, status: result.status, seconds, ...(usage ? { llm: usage } : {}), ...(stopped ? { budgetStop: stopped } : {}) }) + '\n');
      } else {
        process.stdout.write(formatRunReport(report, result.status, seconds) + '\n');
        if (usage) process.stdout.write(formatUsage(usage) + '\n');
        if (stopped !== null) process.stdout.write(`stopped: ${stopped} (aurora run --resume ${result.runId} --budget-tokens N)\n`);
      }
      return 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await transport.close();
      await store.close();
    }
  },
};
