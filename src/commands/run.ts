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

const help = `usage: aurora run [--iterations N] [--seed S] [--store URL] [--nats URL] [--config FILE] [--domain D] [--json]
       aurora run --resume <runId> [--store URL] [--nats URL] [--json]

Runs self-play: the attacker proposes scenarios, the defender candidate policies, the simulator
evaluates them, and every outcome is appended to the event store (default ${DEFAULT_STORE_URL}).
Without --nats every role runs in this process; with it, start workers with
'aurora worker --role <attacker|defender|simulator> --nats URL'.`;

function parseConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read config ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`config ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

function integer(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be an integer ≥ ${min}, got '${value}'`);
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
    const parsed = RunConfig.safeParse(overrides);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CliError(`invalid configuration: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const seed = integer(values.seed, 'seed', 0) ?? 1;
    if (seed > 2 ** 32 - 1) throw new CliError('--seed must be below 2^32');
    const runId = values.resume ?? `r${hashName(seed, JSON.stringify(parsed.data)).toString(36)}-${seed}`;

    const store = await openStore(values.store ?? DEFAULT_STORE_URL).catch((err: Error) => {
      throw new CliError(err.message);
    });
    const transport = await openTransport(values.nats);
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
        signal: abort.signal,
        clock: () => performance.now(),
        onProgress: values.json ? undefined : (p) => process.stdout.write(progressLine(p) + '\n'),
      }).catch((err: Error) => {
        if (err.name === 'RunError') throw new CliError(err.message);
        throw err;
      });
      const report = await buildRunReport(store, result.runId);
      const seconds = (performance.now() - began) / 1000;
      if (values.json) process.stdout.write(JSON.stringify({ ...report, status: result.status, seconds }) + '\n');
      else process.stdout.write(formatRunReport(report, result.status, seconds) + '\n');
      return 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await transport.close();
      await store.close();
    }
  },
};
