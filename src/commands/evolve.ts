// `aurora evolve --suite <name> [--minutes N] [--generations G] [--seed S] [--out file]`: evolve a policy
// for a named suite on freshly generated training instances only (src/suites/seeds.ts keeps them apart
// from every test case), with the offline defender's operators (src/evolve), then evaluate the
// champion on the suite's held-out test cases and write it as a library record with its provenance.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { baselineNames, baselines } from '../../sim/baselines/index.js';
import { CliError } from '../cli-error.js';
import type { Command } from '../cli.js';
import { evaluateBinpackSuite } from '../eval/binpack-suite-eval.js';
import type { EvalPolicy } from '../eval/choices.js';
import { championName } from '../eval/library.js';
import type { PolicyRecord } from '../eval/policy-record.js';
import { renderText } from '../eval/render.js';
import { evaluateScenarioSuite } from '../eval/scenario-suite-eval.js';
import { binpackProblem, binpackTrainingDescription } from '../evolve/binpack-problem.js';
import { DEFAULT_SETTINGS, evolve, type EvolveSettings } from '../evolve/evolve.js';
import type { EvolutionProblem } from '../evolve/problem.js';
import { championRecord } from '../evolve/record.js';
import { scenarioProblem } from '../evolve/scenario-problem.js';
import { BINPACK_TRACKS, type BinpackTrackName } from '../suites/binpack.js';
import { resolveDataDir, SuiteDataError } from '../suites/data-dir.js';
import { BINPACK_SUITE, parseSuiteRef, SUITE_NAMES, type BinpackSuiteDef } from '../suites/registry.js';
import { ROBUST_FAMILIES, robustFamilyByName, type RobustFamily } from '../suites/robust.js';
import type { ScenarioSuiteDef } from '../suites/scenario-suite.js';
import { codeVersion } from '../version.js';

const USAGE = `usage: aurora evolve --suite <name>[:track] [--minutes N | --cpu-minutes N] [--generations G] [--seed S] [--out file|dir]
                     [--name n] [--train N] [--validate N] [--islands N] [--island-size N] [--data dir]
                     [--robust family] [--no-test] [--json] [--quiet]

--suite        ${SUITE_NAMES.join(', ')}; binpack:weibull or binpack:or for one bin-packing track
               (binpack alone evolves both, one after the other, each with the whole budget)
--minutes      wall-clock budget per track (default 10); the generations it ran are recorded
--cpu-minutes  the budget in this process's CPU time instead: the same search on a busy machine as on an idle one
--generations  stop after G generations (deterministic: the same seed and G give the same champion)
--seed         seed of the evolution: its training and validation instances and every draw (default 1)
--out          write the champion's library record here (a folder when binpack evolves both tracks)
--name         library name (default: the suite's champion name, e.g. binpack-weibull, trace-azure)
--train, --validate   how many fresh training and validation instances (default per suite)
--robust       also train and validate on a perturbed family of the suite's domain (${Object.keys(ROBUST_FAMILIES).join(', ')}):
               as many of its cases again; the champion is the best mean over both validation sets
--no-test      skip evaluating the champion on the suite's held-out test cases

Training uses freshly generated instances only (binpack: FunSearch's Weibull recipe or U[20, 100];
traces: the training windows re-sampled; generated suites: seeds ≥ 2^31), never a test case. Progress
goes to stderr; the champion, its test figures and the record path to stdout. docs/evaluation.md.`;

function integer(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be a whole number ≥ ${min}, got '${value}'`);
  return n;
}

interface Target {
  readonly label: string;
  readonly name: string;
  readonly build: () => EvolutionProblem;
  readonly test: (record: PolicyRecord) => { text: string; json: unknown };
}

export const command: Command = {
  summary: 'evolve a policy for a named suite on fresh training instances, then test it',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        suite: { type: 'string' },
        minutes: { type: 'string' },
        'cpu-minutes': { type: 'string' },
        generations: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        name: { type: 'string' },
        train: { type: 'string' },
        validate: { type: 'string' },
        islands: { type: 'string' },
        'island-size': { type: 'string' },
        data: { type: 'string' },
        robust: { type: 'string' },
        'no-test': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (values.suite === undefined) throw new CliError('--suite is required (aurora evolve --help)');
    const ref = parseSuiteRef(values.suite);
    if (ref === undefined) throw new CliError(`unknown suite '${values.suite}' (known: ${SUITE_NAMES.join(', ')}, binpack:weibull, binpack:or)`);
    const seed = integer(values.seed, 'seed', 0) ?? 1;
    if (seed > 2 ** 32 - 1) throw new CliError('--seed must be below 2^32');
    const generations = integer(values.generations, 'generations', 0) ?? null;
    if (values.minutes !== undefined && values['cpu-minutes'] !== undefined) throw new CliError('give --minutes or --cpu-minutes, not both');
    const budgetClock = values['cpu-minutes'] !== undefined ? 'cpu' : 'wall';
    const minutes = values['cpu-minutes'] ?? values.minutes;
    let maxMillis: number | null = null;
    if (minutes !== undefined) {
      const m = Number(minutes);
      if (!Number.isFinite(m) || m <= 0) throw new CliError(`--${budgetClock === 'cpu' ? 'cpu-minutes' : 'minutes'} must be a positive number, got '${minutes}'`);
      maxMillis = m * 60_000;
    } else if (generations === null) maxMillis = 10 * 60_000;
    const settings: EvolveSettings = {
      ...DEFAULT_SETTINGS,
      islands: integer(values.islands, 'islands', 1) ?? DEFAULT_SETTINGS.islands,
      islandSize: integer(values['island-size'], 'island-size', 2) ?? DEFAULT_SETTINGS.islandSize,
      generations,
      maxMillis,
      budgetClock,
    };
    const train = integer(values.train, 'train', 1);
    let robust: RobustFamily | undefined;
    if (values.robust !== undefined) {
      robust = robustFamilyByName(values.robust);
      if (robust === undefined) throw new CliError(`unknown --robust family '${values.robust}' (known: ${Object.keys(ROBUST_FAMILIES).join(', ')})`);
      if (ref.suite.kind !== 'scenario' || ref.suite.domain !== robust.domain) throw new CliError(`--robust ${robust.name} is for ${robust.domain} scenario suites, not ${values.suite}`);
    }
    const validate = integer(values.validate, 'validate', 1);
    const needsData = ref.suite.kind === 'binpack' ? !values['no-test'] : ref.suite.needsData;
    let dataDir = '';
    if (needsData) {
      try {
        dataDir = resolveDataDir(values.data);
      } catch (err) {
        if (err instanceof SuiteDataError) throw new CliError(err.message);
        throw err;
      }
    }
    const targets: Target[] =
      ref.suite.kind === 'binpack'
        ? (ref.track === null ? [...BINPACK_TRACKS] : [ref.track]).map((track) => binpackTarget(BINPACK_SUITE, track, { seed, train, validate, dataDir }))
        : [scenarioTarget(ref.suite, { seed, train, validate, dataDir, robust })];
    if (values.name !== undefined && targets.length > 1) throw new CliError('--name names one policy: give --suite binpack:weibull or binpack:or');
    const outDir = values.out !== undefined && targets.length > 1 ? values.out : null;
    if (outDir !== null && existsSync(outDir) && !statSync(outDir).isDirectory()) throw new CliError(`--out ${outDir}: binpack evolves two tracks, so --out must be a folder`);

    // The code that runs is the code loaded now: read the commit before evolving, not when the record is
    // written (a commit made during a long run would otherwise be named though the run never loaded it).
    const version = codeVersion();
    const records: PolicyRecord[] = [];
    const outputs: unknown[] = [];
    for (const target of targets) {
      const name = values.name ?? target.name;
      const log = (line: string) => {
        if (!values.quiet) process.stderr.write(line + '\n');
      };
      log(`evolving ${target.label} (seed ${seed}, ${generations !== null ? `${generations} generations` : ''}${generations !== null && maxMillis !== null ? ', ' : ''}${maxMillis !== null ? `${maxMillis / 60_000} min${budgetClock === 'cpu' ? ' of CPU' : ''}` : ''})`);
      const problem = target.build();
      const result = evolve(problem, seed, settings, {
        onGeneration: (g) => {
          if (g.generation % 10 === 0) log(`generation ${String(g.generation).padStart(4)}  best ${g.best.summary}  evaluations ${g.evaluations}  ${(g.millis / 1000).toFixed(0)} s`);
        },
      });
      log(`done: ${result.generations} generations, ${result.evaluations} evaluations in ${(result.millis / 1000).toFixed(0)} s`);
      let record = championRecord({
        name,
        problem,
        result,
        seed,
        settings,
        codeVersion: version,
        command: ['aurora evolve', ...argv].join(' '),
        createdAt: new Date().toISOString(),
        test: null,
      });
      let testText = '';
      if (!values['no-test']) {
        const t = target.test(record);
        testText = t.text;
        record = { ...record, provenance: { ...record.provenance, results: { ...(record.provenance.results as object), test: t.json } as never } };
      }
      records.push(record);
      const path = values.out === undefined ? null : outDir !== null ? join(outDir, `${name}.json`) : values.out;
      if (path !== null) {
        if (outDir !== null) mkdirSync(outDir, { recursive: true });
        writeFileSync(path, JSON.stringify(record, null, 2) + '\n');
      }
      outputs.push({ record, path });
      if (!values.json) {
        const c = result.champion;
        process.stdout.write(
          [
            `champion of ${problem.trainingSuite}: ${name}`,
            `  score   ${c.doc.score}`,
            ...(problem.evolveFilter ? [`  filter  ${c.doc.filter}`] : []),
            ...(problem.evolveOrder ? [`  order   ${typeof c.doc.order === 'string' ? c.doc.order : `${c.doc.order.key} ${c.doc.order.direction}`}`] : []),
            `  seed policy ${result.bestSeed.doc.name}: training ${result.bestSeed.fitness.summary}`,
            `  training ${c.fitness.summary}; validation ${c.validation.summary}`,
            `  ${result.generations} generations, ${result.evaluations} evaluations, ${(result.millis / 1000).toFixed(0)} s`,
            '',
            testText,
            path === null ? '(no --out: the record was not written)' : `record written to ${path}`,
            '',
          ].join('\n'),
        );
      }
    }
    if (values.json) process.stdout.write(JSON.stringify(outputs.length === 1 ? outputs[0] : outputs, null, 2) + '\n');
    return 0;
  },
};

interface ProblemOptions {
  readonly seed: number;
  readonly train: number | undefined;
  readonly validate: number | undefined;
  readonly dataDir: string;
  readonly robust?: RobustFamily | undefined;
}

function binpackTarget(suite: BinpackSuiteDef, track: BinpackTrackName, o: ProblemOptions): Target {
  return {
    label: `binpack:${track} (${binpackTrainingDescription(track)})`,
    name: championName('binpack', track),
    build: () => binpackProblem(track, { seed: o.seed, train: o.train, validate: o.validate }),
    test: (record) => {
      const policies: EvalPolicy[] = [
        { label: 'first-fit', source: 'baseline', document: baselines['first-fit'] },
        { label: 'best-fit', source: 'baseline', document: baselines['best-fit'] },
        { label: record.name, source: 'library', document: record.policy, champion: { suite: 'binpack', track } },
      ];
      const only = { ...suite, testSets: suite.testSets.filter((s) => s.track === track) };
      const report = evaluateBinpackSuite(only, o.dataDir, policies);
      const mine = report.policies.find((p) => p.label === record.name)!;
      return {
        text: renderText(report),
        json: Object.fromEntries(mine.cells.map((c) => [c.set, { excessPercent: c.excessPercent, meanBins: c.meanBins }])),
      };
    },
  };
}

function scenarioTarget(suite: ScenarioSuiteDef, o: ProblemOptions): Target {
  return {
    label: `${suite.name} (${suite.split})`,
    name: championName(suite.name),
    build: () => scenarioProblem(suite, { seed: o.seed, train: o.train, validate: o.validate, dataDir: o.dataDir, ...(o.robust !== undefined ? { robust: o.robust } : {}) }),
    test: (record) => {
      const policies: EvalPolicy[] = [
        ...baselineNames.map((n): EvalPolicy => ({ label: n, source: 'baseline', document: baselines[n] })),
        { label: record.name, source: 'library', document: record.policy, champion: { suite: suite.name, track: null } },
      ];
      const report = evaluateScenarioSuite(suite, suite.test(o.dataDir), policies);
      const mine = report.policies.find((p) => p.role === 'champion')!;
      return {
        text: renderText(report),
        json: {
          champion: mine.summary === null ? null : Object.fromEntries(Object.entries(mine.summary).map(([k, v]) => [k, { mean: v.mean, halfWidth: v.halfWidth }])),
          comparison: report.comparison,
        },
      };
    },
  };
}
