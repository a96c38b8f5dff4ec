// Where the benchmark data lives (../shared/data, outside the repository): `--data <dir>` first, then the
// AURORA_DATA environment variable, then ../shared/data next to the package root, then next to the
// working directory. The first folder that exists wins; none is one clear line naming where we looked.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export class SuiteDataError extends Error {
  override name = 'SuiteDataError';
}

/** The package root: the first folder above this file with a package.json (src/ or dist/src/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** Candidate data folders, in the order they are tried. */
export function dataDirCandidates(explicit?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  if (explicit !== undefined && explicit !== '') out.push(resolve(explicit));
  if (env.AURORA_DATA) out.push(resolve(env.AURORA_DATA));
  out.push(resolve(packageRoot(), '..', 'shared', 'data'));
  out.push(resolve(process.cwd(), '..', 'shared', 'data'));
  return [...new Set(out)];
}

/**
 * The data folder. An explicit folder (--data) must exist: falling back silently from a folder the
 * user named would evaluate on data they did not ask for.
 */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined && explicit !== '') {
    const dir = resolve(explicit);
    if (!existsSync(dir)) throw new SuiteDataError(`--data ${explicit}: no such folder`);
    return dir;
  }
  const candidates = dataDirCandidates(undefined, env);
  const found = candidates.find((d) => existsSync(d));
  if (found === undefined) {
    throw new SuiteDataError(`benchmark data not found (looked in ${candidates.join(', ')}): give --data <dir> or set AURORA_DATA`);
  }
  return found;
}

const textCache = new Map<string, string>();

/** A data file's text (cached: suites read the same trace for every window). */
export function readDataFile(dataDir: string, relative: string): string {
  const path = join(dataDir, relative);
  const hit = textCache.get(path);
  if (hit !== undefined) return hit;
  if (!existsSync(path)) throw new SuiteDataError(`${path}: missing (see ${join(dataDir, dirname(relative), 'SOURCE.md')})`);
  const text = readFileSync(path, 'utf8');
  textCache.set(path, text);
  return text;
}
