// Scenario files on disk: reading one (one clear line on bad JSON or schema errors, with their paths)
// and writing one atomically (a temp file renamed into place, so a reader never sees half a file).
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Scenario } from '../sim/scenario.js';
import { formatErrors, validateScenario } from '../sim/validate.js';
import { WorkloadImportError } from '../sim/workload/import-error.js';
import { parseJsonText } from '../sim/workload/json-text.js';
import { CliError } from './cli-error.js';

export interface LoadedScenario {
  scenario: Scenario;
  warnings: string[];
}

/** A scenario that failed validation: every error, for --json or --verbose, plus the one-line message. */
export class ScenarioFileError extends CliError {
  constructor(
    readonly path: string,
    readonly errors: string[],
  ) {
    super(`${path}: ${formatErrors(errors)}`);
    this.name = 'ScenarioFileError';
  }
}

/** Reads a file as UTF-8 text; a missing or unreadable file is a CliError naming it. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new CliError(`${path}: ${why}`);
  }
}

/** Parses JSON text; a syntax error becomes a CliError naming the file, line and column. */
export function parseJsonFile(path: string, text: string): unknown {
  try {
    return parseJsonText(text);
  } catch (err) {
    if (err instanceof WorkloadImportError) throw new CliError(`${path}: ${err.message}`);
    throw err;
  }
}

/** Text → validated scenario, or ScenarioFileError with every error. */
export function scenarioFromText(path: string, text: string): LoadedScenario {
  const result = validateScenario(parseJsonFile(path, text));
  if (!result.ok) throw new ScenarioFileError(path, result.errors);
  return { scenario: result.scenario, warnings: result.warnings };
}

export async function readScenarioFile(path: string): Promise<LoadedScenario> {
  return scenarioFromText(path, await readTextFile(path));
}

/** Writes `text` to `path` through a temp file in the same directory and a rename. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: directory does not exist`);
    if (code === 'EACCES' || code === 'EISDIR') throw new CliError(`${path}: cannot write (${code === 'EACCES' ? 'permission denied' : 'is a directory'})`);
    throw err;
  }
}

/** Pretty JSON with a final newline, the form scenario files are written in. */
export function scenarioJson(scenario: Scenario): string {
  return JSON.stringify(scenario, null, 2) + '\n';
}

export async function writeScenarioFile(path: string, scenario: Scenario): Promise<void> {
  await writeFileAtomic(path, scenarioJson(scenario));
}
