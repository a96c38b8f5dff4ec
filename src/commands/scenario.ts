// `aurora scenario generate | import | validate | params`: make scenarios from the seeded generators or
// from traces and benchmark files, check scenario files, and show the generator's parameters.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Domain, type Scenario } from '../../sim/scenario.js';
import { defaultParams } from '../../sim/workload/defaults.js';
import { FLEET_NAMES } from '../../sim/workload/fleets.js';
import { generateFromParams } from '../../sim/workload/generate.js';
import { WorkloadImportError } from '../../sim/workload/import-error.js';
import { IMPORT_FORMATS, importScenario, isImportFormat, type ImportOptions } from '../../sim/workload/importers.js';
import { GeneratorParams, mergeParams, ParamsError, parseParams } from '../../sim/workload/params.js';
import { CliError } from '../cli-error.js';
import { dispatch } from '../sub-commands.js';
import type { Command } from '../cli.js';
import { parseJsonFile, readScenarioFile, readTextFile, scenarioJson, ScenarioFileError, writeScenarioFile } from '../scenario-file.js';

const USAGE = `usage:
  aurora scenario generate --domain <cloud|edge|network|hybrid> --level <1-10> [--seed n] [--params file] [--out file] [--json]
  aurora scenario import --format <${IMPORT_FORMATS.join('|')}> <file> [--start s] [--window s] [--max-tasks n]
         [--sample fraction] [--seed n] [--fleet <${FLEET_NAMES.join('|')}>] [--nodes n] [--out file] [--json]
         binpack:     [--instance id]
         alibaba2017: [--instance-mode expand|one] [--instance-cap n]
         azure2017:   [--arrival uniform|bin-end] [--duration uniform|midpoint]
  aurora scenario validate <file> [--json] [--verbose]
  aurora scenario params --domain <d> --level <1-10> [--schema]

generate writes the scenario JSON to stdout, or atomically to --out; --params is a JSON file with any
subset of the generator parameters (aurora scenario params shows them all), merged over the defaults for
the domain and level (which may come from the file; the flags win). validate exits 2 when the scenario
has errors; --verbose lists every error, --json prints them as JSON. See docs/workloads.md.`;

const help = { type: 'boolean', short: 'h' } as const;

/** Prints the usage when --help was given; true when it was. */
function helped(values: { help?: boolean }): boolean {
  if (values.help) process.stdout.write(USAGE + '\n');
  return values.help === true;
}

export const command: Command = {
  summary: 'generate, import, validate scenarios; show generator parameters',
  async run(argv) {
    return dispatch(argv, { generate, import: importCommand, validate, params }, USAGE);
  },
};

// ---------------------------------------------------------------------------------------------------

function wholeNumber(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function decimal(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new CliError(`--${name} must be a number, got '${raw}'`);
  return value;
}

function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) throw new CliError(`--${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
  return raw as T;
}

const SEED_MAX = 2 ** 32 - 1;

/** One line about a scenario: what it holds. */
export function summarize(s: Scenario): string {
  const first = s.tasks.reduce((m, t) => Math.min(m, t.arrival), Infinity);
  const last = s.tasks.reduce((m, t) => Math.max(m, t.arrival), -Infinity);
  const span = s.tasks.length > 0 ? `, arrivals ${first}–${last} s` : '';
  const env = s.environment;
  return (
    `${s.id}: ${s.domain}${s.level === undefined ? '' : ` level ${s.level}`}, ${s.tasks.length} tasks, ${s.nodes.length} nodes, ` +
    `${s.links.length} links, ${env.failures.length} failures, ${env.congestion.length} congestion windows, ` +
    `${env.prices.length} price changes${span}`
  );
}

async function emit(scenario: Scenario, out: string | undefined, json: boolean | undefined, warnings: string[] = []): Promise<number> {
  if (out === undefined) {
    process.stdout.write(scenarioJson(scenario));
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    return 0;
  }
  await writeScenarioFile(out, scenario);
  if (json) {
    process.stdout.write(
      JSON.stringify({ out, id: scenario.id, domain: scenario.domain, tasks: scenario.tasks.length, nodes: scenario.nodes.length, warnings }) + '\n',
    );
  } else {
    process.stdout.write(`wrote ${out}: ${summarize(scenario)}\n`);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------------

async function generate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      domain: { type: 'string' },
      level: { type: 'string' },
      seed: { type: 'string' },
      params: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      help,
    },
    strict: true,
  });
  if (helped(values)) return 0;
  let fromFile: Record<string, unknown> = {};
  if (values.params !== undefined) {
    const parsed = parseJsonFile(values.params, await readTextFile(values.params));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new CliError(`${values.params}: expected a JSON object of generator parameters`);
    }
    fromFile = parsed as Record<string, unknown>;
  }
  const domain = oneOf('domain', values.domain, Domain.options) ?? (fromFile.domain as string | undefined);
  const level = wholeNumber('level', values.level, 1, 10) ?? (fromFile.level as number | undefined);
  if (domain === undefined) throw new CliError('--domain is required (cloud, edge, network or hybrid)');
  if (level === undefined) throw new CliError('--level is required (1 to 10)');
  const checkedDomain = Domain.safeParse(domain);
  if (!checkedDomain.success) throw new CliError(`${values.params}: domain must be one of ${Domain.options.join(', ')}`);
  if (!Number.isInteger(level) || level < 1 || level > 10) throw new CliError(`${values.params}: level must be a whole number from 1 to 10`);
  const seed = wholeNumber('seed', values.seed, 0, SEED_MAX) ?? 0;
  let p: GeneratorParams;
  try {
    p = parseParams(mergeParams(defaultParams(checkedDomain.data, level), { ...fromFile, domain: checkedDomain.data, level }));
  } catch (err) {
    if (err instanceof ParamsError) throw new CliError(`${values.params ?? 'params'}: ${err.message}`);
    throw err;
  }
  return emit(generateFromParams(p, seed), values.out, values.json);
}

async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string' },
      start: { type: 'string' },
      window: { type: 'string' },
      'max-tasks': { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string' },
      fleet: { type: 'string' },
      nodes: { type: 'string' },
      instance: { type: 'string' },
      'instance-mode': { type: 'string' },
      'instance-cap': { type: 'string' },
      arrival: { type: 'string' },
      duration: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      help,
    },
    allowPositionals: true,
    strict: true,
  });
  if (helped(values)) return 0;
  if (values.format === undefined) throw new CliError(`--format is required (${IMPORT_FORMATS.join(', ')})`);
  if (!isImportFormat(values.format)) throw new CliError(`--format must be one of ${IMPORT_FORMATS.join(', ')}, got '${values.format}'`);
  if (positionals.length !== 1) throw new CliError(`expected one input file, got ${positionals.length}`);
  const file = positionals[0]!;
  const options: ImportOptions = { name: file.split(/[\\/]/).pop() ?? file };
  const set = <K extends keyof ImportOptions>(key: K, value: ImportOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('start', decimal('start', values.start));
  set('window', decimal('window', values.window));
  set('maxTasks', wholeNumber('max-tasks', values['max-tasks'], 1, Number.MAX_SAFE_INTEGER));
  set('sample', decimal('sample', values.sample));
  set('seed', wholeNumber('seed', values.seed, 0, SEED_MAX));
  set('fleet', oneOf('fleet', values.fleet, FLEET_NAMES));
  set('nodes', wholeNumber('nodes', values.nodes, 1, 1_000_000));
  set('instance', values.instance);
  set('instanceMode', oneOf('instance-mode', values['instance-mode'], ['expand', 'one'] as const));
  set('instanceCap', wholeNumber('instance-cap', values['instance-cap'], 1, 1_000_000));
  set('arrival', oneOf('arrival', values.arrival, ['uniform', 'bin-end'] as const));
  set('duration', oneOf('duration', values.duration, ['uniform', 'midpoint'] as const));
  const text = await readTextFile(file);
  let scenario: Scenario;
  try {
    scenario = importScenario(values.format, text, options);
  } catch (err) {
    if (err instanceof WorkloadImportError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
  return emit(scenario, values.out, values.json);
}

async function validate(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, verbose: { type: 'boolean' }, help },
    allowPositionals: true,
    strict: true,
  });
  if (helped(values)) return 0;
  if (positionals.length !== 1) throw new CliError(`expected one scenario file, got ${positionals.length}`);
  const file = positionals[0]!;
  try {
    const { scenario, warnings } = await readScenarioFile(file);
    if (values.json) {
      process.stdout.write(JSON.stringify({ ok: true, file, id: scenario.id, summary: summarize(scenario), warnings }) + '\n');
    } else {
      process.stdout.write(`OK ${file}: ${summarize(scenario)}\n`);
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ScenarioFileError && values.json) {
      process.stdout.write(JSON.stringify({ ok: false, file, errors: err.errors }) + '\n');
      return 2;
    }
    if (err instanceof ScenarioFileError && values.verbose) {
      for (const e of err.errors) process.stderr.write(`${file}: ${e}\n`);
      return 2;
    }
    if (err instanceof CliError && values.json) {
      process.stdout.write(JSON.stringify({ ok: false, file, errors: [err.message] }) + '\n');
      return 2;
    }
    throw err;
  }
}

async function params(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { domain: { type: 'string' }, level: { type: 'string' }, schema: { type: 'boolean' }, help },
    strict: true,
  });
  if (helped(values)) return 0;
  if (values.schema) {
    process.stdout.write(JSON.stringify(z.toJSONSchema(GeneratorParams, { io: 'input' }), null, 2) + '\n');
    return 0;
  }
  const domain = oneOf('domain', values.domain, Domain.options);
  const level = wholeNumber('level', values.level, 1, 10);
  if (domain === undefined) throw new CliError('--domain is required (cloud, edge, network or hybrid)');
  if (level === undefined) throw new CliError('--level is required (1 to 10)');
  process.stdout.write(JSON.stringify(defaultParams(domain, level), null, 2) + '\n');
  return 0;
}
