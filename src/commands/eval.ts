// `aurora eval --suite <name|file|folder>[,…] --policy <name|file|library:name|champion>[,…]`: evaluate
// policies on a benchmark suite.
// - Named suites (src/suites: binpack, trace-alibaba, trace-azure, cloud, edge, network, hybrid, and
//   `transfer`) print FunSearch's table (binpack), the proposal's table with 95 % intervals (scenario
//   suites) or the transfer table; --report <dir> writes each as Markdown, JSON and SVG.
// - Files and folders keep the original behaviour: bin-packing files (capacity + instances) give
//   FunSearch's table per file; scenario files are evaluated by src/eval/scenario-suite.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { BinpackDataError, looksLikeBinpack, parseBinpackDataset, type BinpackDataset } from '../../sim/binpack/dataset.js';
import { evaluateDataset, type DatasetResult } from '../../sim/binpack/evaluate.js';
import { compilePackingPolicy } from '../../sim/binpack/packing-policy.js';
import { baselineNames, baselines } from '../../sim/baselines/registry.js';
import { PolicyCompileError, PolicyRuntimeError } from '../../sim/policy/compiled.js';
import type { PolicyDocument } from '../../sim/policy/document.js';
import { CliError } from '../cli-error.js';
import { evaluateBinpackSuite as evaluateNamedBinpack } from '../eval/binpack-suite-eval.js';
import type { EvalPolicy } from '../eval/choices.js';
import { championName, findLibraryRecord, LibraryError } from '../eval/library.js';
import { looksLikeRecord, PolicyRecord, recordProblem } from '../eval/policy-record.js';
import { renderJson, renderMarkdown, renderSvg, renderText, reportName, type EvalReport as NamedReport } from '../eval/render.js';
import { evaluateScenarioSuite as evaluateNamedScenario } from '../eval/scenario-suite-eval.js';
import { evaluateScenarioSuite } from '../eval/scenario-suite.js';
import { evaluateTransfer, type TransferPair } from '../eval/transfer-eval.js';
import { resolveDataDir, SuiteDataError } from '../suites/data-dir.js';
import { BINPACK_TRACKS } from '../suites/binpack.js';
import { SUITE_NAMES, suiteByName, TRANSFER_PAIRS, type SuiteDef } from '../suites/registry.js';
import type { ScenarioSuiteDef } from '../suites/scenario-suite.js';
import type { Command } from '../cli.js';
import { parseJsonFile, readTextFile } from '../scenario-file.js';
import { codeVersion } from '../version.js';

const USAGE = `usage: aurora eval --suite <name|file|folder>[,…] [--policy <name|file|library:name|champion>[,…]]
                   [--report <dir>] [--data <dir>] [--seed n] [--json]

--suite    a named suite: ${SUITE_NAMES.join(', ')},
           or transfer (the zero-shot transfer table); or bin-packing JSON files (capacity +
           instances, as in ../shared/data/binpack), scenario JSON files (aurora scenario
           generate|import), or folders of either kind
--policy   baseline names (a bad name lists them), 'baselines' for all of them, policy or library-record
           JSON files, library:<name> (aurora policy list), or 'champion': the suite's library
           champion. Default for a named suite: first-fit,best-fit,champion (binpack); random, every
           baseline and the champion (the other suites)
--report   also write <dir>/<suite>.md, .json and .svg for each named suite
--data     the benchmark data folder (default: $AURORA_DATA, else ../shared/data)
--seed     seed of the stream behind the random feature (default 0)
--json     print JSON instead of tables

Bin packing follows FunSearch (Nature 2024): items arrive in file order, each goes into an open bin that
fits or a new one, ties to the lowest bin; excess = (mean bins − mean L1 bound) / mean L1 bound.
docs/evaluation.md describes the suites and the reports.
Exit status 1 when some policy could not be evaluated (the table says why), 2 on bad input.`;

/** One policy as asked for on the command line. */
export type PolicyChoice = EvalPolicy;

export interface SuiteFile {
  readonly path: string;
  readonly json: unknown;
}

export type SuiteKind = 'binpack' | 'scenario';

export interface Suite {
  readonly kind: SuiteKind;
  readonly files: readonly SuiteFile[];
}

export interface EvalOptions {
  readonly seed: number;
}

/** An evaluation of every policy on a suite: `json` for --json, `text` for people, `failed` for the exit status. */
export interface EvalReport {
  readonly json: unknown;
  readonly text: string;
  readonly failed: boolean;
}

type Evaluator = (suite: Suite, policies: readonly PolicyChoice[], options: EvalOptions) => EvalReport;

const EVALUATORS: Record<SuiteKind, Evaluator> = {
  binpack: evaluateBinpackSuite,
  scenario: evaluateScenarioSuite,
};

export const command: Command = {
  summary: 'evaluate policies on a benchmark suite: FunSearch\'s table, the proposal\'s table, transfer',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        suite: { type: 'string' },
        policy: { type: 'string' },
        seed: { type: 'string' },
        report: { type: 'string' },
        data: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (values.suite === undefined) throw new CliError('--suite is required (aurora eval --help)');
    const seed = values.seed === undefined ? 0 : Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new CliError(`--seed must be a whole number from 0 to 2^32 − 1, got '${values.seed}'`);
    const suites = splitList(values.suite, '--suite');
    const named = suites.filter(isNamedSuite);
    if (named.length > 0) {
      if (named.length < suites.length) throw new CliError('--suite mixes named suites and files: evaluate them separately');
      const reports = await evaluateNamed(named, values.policy, { seed, data: values.data });
      if (values.report !== undefined) writeReports(values.report, reports, argv);
      if (values.json) process.stdout.write(JSON.stringify(reports.length === 1 ? reports[0] : reports, jsonNumbers, 2) + '\n');
      else process.stdout.write(reports.map(renderText).join('\n'));
      return reports.some((r) => r.failed) ? 1 : 0;
    }
    if (values.report !== undefined) throw new CliError('--report needs a named suite (aurora eval --help)');
    if (values.policy === undefined) throw new CliError('--policy is required (aurora eval --help)');
    const suite = await loadSuite(suites);
    const policies = await loadPolicies(splitList(values.policy, '--policy'));
    const report = EVALUATORS[suite.kind](suite, policies, { seed });
    process.stdout.write(values.json ? JSON.stringify(report.json, null, 2) + '\n' : report.text);
    return report.failed ? 1 : 0;
  },
};

const jsonNumbers = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);

/** A suite name rather than a path: a registered name or `transfer`, never something with a slash or .json. */
function isNamedSuite(spec: string): boolean {
  return spec === 'transfer' || suiteByName(spec) !== undefined;
}

// ---- named suites -------------------------------------------------------------------------------------

interface NamedOptions {
  readonly seed: number;
  readonly data: string | undefined;
}

function dataDir(explicit: string | undefined): string {
  try {
    return resolveDataDir(explicit);
  } catch (err) {
    if (err instanceof SuiteDataError) throw new CliError(err.message);
    throw err;
  }
}

/** The library champion of `suite` (and track) as a policy, or null when the library has none. */
function libraryChampion(suite: string, track: string | null, required: boolean): EvalPolicy | null {
  const name = championName(suite, track);
  try {
    const entry = findLibraryRecord(name);
    return { label: `library:${name}`, source: 'library', document: entry.record.policy, champion: { suite, track } };
  } catch (err) {
    if (!(err instanceof LibraryError)) throw err;
    if (required) throw new CliError(`champion: ${err.message}`);
    return null;
  }
}

function championsFor(suite: SuiteDef, required: boolean): EvalPolicy[] {
  const tracks = suite.kind === 'binpack' ? BINPACK_TRACKS.map((t) => t as string) : [null];
  return tracks.map((t) => libraryChampion(suite.name, t, required)).filter((p): p is EvalPolicy => p !== null);
}

async function policiesFor(suite: SuiteDef, spec: string | undefined): Promise<EvalPolicy[]> {
  const given = spec === undefined ? null : splitList(spec, '--policy');
  const specs = given ?? (suite.kind === 'binpack' ? ['first-fit', 'best-fit', 'champion'] : ['random', 'baselines', 'champion']);
  const out: EvalPolicy[] = [];
  for (const s of specs) {
    if (s === 'champion') out.push(...championsFor(suite, given !== null));
    else if (s === 'baselines') out.push(...(await loadPolicies(['baselines'])).filter((p) => !out.some((q) => q.label === p.label)));
    else out.push(...(await loadPolicies([s])));
  }
  return out;
}

async function evaluateNamed(names: readonly string[], policySpec: string | undefined, options: NamedOptions): Promise<NamedReport[]> {
  const reports: NamedReport[] = [];
  for (const name of names) {
    if (name === 'transfer') {
      reports.push(transferReport(options));
      continue;
    }
    const suite = suiteByName(name)!;
    const policies = await policiesFor(suite, policySpec);
    if (policies.length === 0) throw new CliError(`${name}: no policy to evaluate`);
    try {
      if (suite.kind === 'binpack') reports.push(evaluateNamedBinpack(suite, dataDir(options.data), policies, options.seed));
      else reports.push(evaluateNamedScenario(suite, suite.test(suite.needsData ? dataDir(options.data) : ''), policies));
    } catch (err) {
      if (err instanceof SuiteDataError) throw new CliError(err.message);
      throw err;
    }
  }
  return reports;
}

function transferReport(options: NamedOptions): NamedReport {
  const pairs: TransferPair[] = TRANSFER_PAIRS.map(([from, to]) => {
    const source = suiteByName(from) as ScenarioSuiteDef;
    const target = suiteByName(to) as ScenarioSuiteDef;
    return {
      from: source,
      to: target,
      toCases: target.test(target.needsData ? dataDir(options.data) : ''),
      transferred: libraryChampion(from, null, true)!,
      inDomain: libraryChampion(to, null, true)!,
      baselines: baselineNames.map((n) => ({ label: n, source: 'baseline' as const, document: baselines[n] })),
    };
  });
  return evaluateTransfer(pairs);
}

function writeReports(dir: string, reports: readonly NamedReport[], argv: readonly string[]): void {
  const command = ['aurora eval', ...argv.filter((a, i) => a !== '--report' && argv[i - 1] !== '--report')].join(' ');
  try {
    mkdirSync(dir, { recursive: true });
    for (const r of reports) {
      const name = reportName(r);
      writeFileSync(join(dir, `${name}.md`), renderMarkdown(r, command));
      writeFileSync(join(dir, `${name}.json`), renderJson(r, { command, codeVersion: codeVersion() }));
      writeFileSync(join(dir, `${name}.svg`), renderSvg(r));
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new CliError(`--report ${dir}: ${code}`);
    throw err;
  }
}

function splitList(raw: string, option: string): string[] {
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new CliError(`${option} is empty`);
  return parts;
}

// ---- loading ----------------------------------------------------------------------------------------

/** Files of the suite (folders expand to their *.json files, sorted), all of one kind. */
export async function loadSuite(paths: readonly string[]): Promise<Suite> {
  const files: SuiteFile[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch {
      throw new CliError(`${path}: no such file or folder`);
    }
    const names = isDirectory ? (await readdir(path)).filter((n) => n.endsWith('.json')).sort().map((n) => join(path, n)) : [path];
    if (isDirectory && names.length === 0) throw new CliError(`${path}: the folder has no .json files`);
    for (const file of names) files.push({ path: file, json: parseJsonFile(file, await readTextFile(file)) });
  }
  const kinds = new Set(files.map((f): SuiteKind => (looksLikeBinpack(f.json) ? 'binpack' : 'scenario')));
  if (kinds.size > 1) throw new CliError('the suite mixes bin-packing files and scenario files: evaluate them separately');
  return { kind: [...kinds][0] as SuiteKind, files };
}

/**
 * Baseline names, 'baselines' (all of them), `library:<name>`, or paths of JSON files holding a policy
 * document or a library record (aurora policy export), whose policy is used.
 */
export async function loadPolicies(specs: readonly string[]): Promise<PolicyChoice[]> {
  const out: PolicyChoice[] = [];
  for (const spec of specs) {
    if (spec === 'baselines') {
      for (const name of baselineNames) out.push({ label: name, source: 'baseline', document: baselines[name], optional: true });
      continue;
    }
    const baseline: PolicyDocument | undefined = Object.prototype.hasOwnProperty.call(baselines, spec) ? baselines[spec] : undefined;
    if (baseline !== undefined) {
      out.push({ label: spec, source: 'baseline', document: baseline });
      continue;
    }
    if (spec.startsWith('library:')) {
      try {
        out.push({ label: spec, source: 'library', document: findLibraryRecord(spec.slice('library:'.length)).record.policy });
      } catch (err) {
        if (err instanceof LibraryError) throw new CliError(err.message);
        throw err;
      }
      continue;
    }
    if (!spec.endsWith('.json') && !spec.includes('/') && !spec.includes('\\')) {
      throw new CliError(`unknown policy '${spec}': give a baseline (${baselineNames.join(', ')}), library:<name> or a policy JSON file`);
    }
    const json = parseJsonFile(spec, await readTextFile(spec));
    if (looksLikeRecord(json)) {
      const problem = recordProblem(json);
      if (problem !== null) throw new CliError(`${spec}: ${problem}`);
      out.push({ label: spec, source: 'file', document: PolicyRecord.parse(json).policy });
    } else {
      out.push({ label: spec, source: 'file', document: json });
    }
  }
  return out;
}

// ---- bin packing ------------------------------------------------------------------------------------

interface BinpackCell {
  readonly dataset: string;
  readonly result?: DatasetResult;
  readonly error?: string;
}

interface BinpackRow {
  readonly policy: string;
  readonly source: PolicyChoice['source'];
  /** Set when the policy does not compile for bin packing; then there are no cells. */
  readonly error?: string;
  readonly cells: readonly BinpackCell[];
}

export function evaluateBinpackSuite(suite: Suite, policies: readonly PolicyChoice[], options: EvalOptions): EvalReport {
  const datasets = suite.files.map((f): { file: string; data: BinpackDataset } => {
    try {
      return { file: f.path, data: parseBinpackDataset(f.json, basename(f.path)) };
    } catch (err) {
      if (err instanceof BinpackDataError) throw new CliError(err.message);
      throw err;
    }
  });
  const skipped: string[] = [];
  const rows: BinpackRow[] = [];
  for (const choice of policies) {
    let policy;
    try {
      policy = compilePackingPolicy(choice.document);
    } catch (err) {
      if (!(err instanceof PolicyCompileError)) throw err;
      if (choice.optional) skipped.push(choice.label);
      else rows.push({ policy: choice.label, source: choice.source, error: err.message, cells: [] });
      continue;
    }
    const cells = datasets.map(({ data }): BinpackCell => {
      try {
        return { dataset: data.name, result: evaluateDataset(policy, data, { seed: options.seed }) };
      } catch (err) {
        if (err instanceof PolicyRuntimeError) return { dataset: data.name, error: err.message };
        throw err;
      }
    });
    rows.push({ policy: choice.label, source: choice.source, cells });
  }
  const failed = rows.some((r) => r.error !== undefined || r.cells.some((c) => c.error !== undefined));
  return { json: binpackJson(datasets, rows, skipped), text: binpackText(datasets.map((d) => d.data), rows, skipped), failed };
}

function binpackJson(datasets: readonly { file: string; data: BinpackDataset }[], rows: readonly BinpackRow[], skipped: readonly string[]): unknown {
  return {
    kind: 'binpack',
    protocol: 'FunSearch (Nature 2024): online, file order, ties to the lowest bin; excess = (mean bins - mean L1) / mean L1',
    datasets: datasets.map(({ file, data }) => ({
      name: data.name,
      file,
      capacity: data.capacity,
      instances: data.instances.length,
      meanL1: mean(data.instances.map((i) => i.l1)),
    })),
    policies: rows.map((r) => ({
      policy: r.policy,
      source: r.source,
      ...(r.error !== undefined ? { error: r.error } : {}),
      results: r.cells.map((c) =>
        c.result === undefined
          ? { dataset: c.dataset, error: c.error }
          : {
              dataset: c.dataset,
              meanBins: c.result.meanBins,
              excess: c.result.excess,
              excessPercent: Number((100 * c.result.excess).toFixed(2)),
              reordered: c.result.reordered,
              method: c.result.method,
              bins: c.result.instances.map((i) => i.bins),
            },
      ),
    })),
    notApplicable: skipped,
  };
}

function binpackText(datasets: readonly BinpackDataset[], rows: readonly BinpackRow[], skipped: readonly string[]): string {
  const head = ['policy', ...datasets.map((d) => d.name)];
  const notes: string[] = [];
  const noteFor = (message: string): string => {
    let i = notes.indexOf(message);
    if (i < 0) i = notes.push(message) - 1;
    return `n/a [${i + 1}]`;
  };
  const cellText = (row: BinpackRow, format: (r: DatasetResult) => string): string[] =>
    row.error !== undefined
      ? datasets.map(() => noteFor(`${row.policy}: ${row.error}`))
      : row.cells.map((c) => (c.result === undefined ? noteFor(`${row.policy} on ${c.dataset}: ${c.error}`) : format(c.result) + (c.result.reordered ? '*' : '')));
  const excess = rows.map((r) => [r.policy, ...cellText(r, (res) => `${(100 * res.excess).toFixed(2)}%`)]);
  const bins = [
    ['L1 bound', ...datasets.map((d) => mean(d.instances.map((i) => i.l1)).toFixed(2))],
    ...rows.map((r) => [r.policy, ...cellText(r, (res) => res.meanBins.toFixed(2))]),
  ];
  const lines = [
    'excess bins over the L1 lower bound: (mean bins − mean L1) / mean L1',
    '',
    ...table([head, ...excess]),
    '',
    'mean bins per instance',
    '',
    ...table([head, ...bins]),
    '',
    'Items arrive in file order, each into an open bin that fits or a new one; ties go to the lowest bin (FunSearch, Nature 2024).',
  ];
  if (rows.some((r) => r.cells.some((c) => c.result?.reordered))) lines.push('* offline: the policy reorders the items before packing them.');
  notes.forEach((n, i) => lines.push(`[${i + 1}] ${n}`));
  if (skipped.length > 0) lines.push(`Baselines that do not apply to bin packing: ${skipped.join(', ')}.`);
  return lines.join('\n') + '\n';
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd());
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
