// The policy library: records (src/eval/policy-record.ts) in two folders, the shipped one (library/ in the
// package, champions evolved by the project, each with its provenance) and a local one
// (.aurora/library/ in the working directory, or AURORA_LIBRARY) where `aurora policy import` puts
// policies when no run is named. `library:<name>` finds a name in either; names are unique across both
// (import refuses a taken name), so the order never matters.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compilePackingPolicy } from '../../sim/binpack/packing-policy.js';
import { compilePolicy } from '../../sim/policy/compile.js';
import { PolicyCompileError } from '../../sim/policy/compiled.js';
import type { PolicyDocument } from '../../sim/policy/document.js';
import { packageRoot } from '../suites/data-dir.js';
import { PolicyRecord, recordProblem } from './policy-record.js';

export type LibraryWhere = 'shipped' | 'local';

export interface LibraryEntry {
  readonly name: string;
  readonly where: LibraryWhere;
  readonly path: string;
  /** Null when the file does not validate; then `problem` says why. */
  readonly record: PolicyRecord | null;
  readonly problem: string | null;
}

export class LibraryError extends Error {
  override name = 'LibraryError';
}

export function shippedLibraryDir(): string {
  return join(packageRoot(), 'library');
}

export function localLibraryDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.AURORA_LIBRARY ?? join('.aurora', 'library'));
}

function readFolder(dir: string, where: LibraryWhere): LibraryEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      const name = f.slice(0, -'.json'.length);
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(path, 'utf8'));
      } catch (err) {
        return { name, where, path, record: null, problem: `not valid JSON: ${(err as Error).message}` };
      }
      const problem = recordProblem(json);
      if (problem !== null) return { name, where, path, record: null, problem };
      const record = PolicyRecord.parse(json);
      if (record.name !== name) return { name, where, path, record: null, problem: `the file is ${f} but the record is named '${record.name}'` };
      return { name, where, path, record, problem: null };
    });
}

/** Every library entry: shipped first, then local, each sorted by name. */
export function listLibrary(env: NodeJS.ProcessEnv = process.env): LibraryEntry[] {
  return [...readFolder(shippedLibraryDir(), 'shipped'), ...readFolder(localLibraryDir(env), 'local')];
}

/** The record named `name`, or a LibraryError naming what there is. */
export function findLibraryRecord(name: string, env: NodeJS.ProcessEnv = process.env): LibraryEntry & { record: PolicyRecord } {
  const all = listLibrary(env);
  const hit = all.find((e) => e.name === name);
  if (hit === undefined) {
    const known = all.filter((e) => e.record !== null).map((e) => e.name);
    throw new LibraryError(`no library policy '${name}' (known: ${known.length === 0 ? 'none' : known.join(', ')}; aurora policy list)`);
  }
  if (hit.record === null) throw new LibraryError(`library policy '${name}' (${hit.path}) is invalid: ${hit.problem}`);
  return hit as LibraryEntry & { record: PolicyRecord };
}

/**
 * Why the policy does not compile for its domain (bin packing or scheduling), or null. Bin-packing
 * policies are compiled by the packer's compiler, which also refuses features bins do not have.
 */
export function compileProblem(policy: PolicyDocument | unknown, domain: string): string | null {
  try {
    if (domain === 'binpack') compilePackingPolicy(policy);
    else compilePolicy(policy);
    return null;
  } catch (err) {
    if (err instanceof PolicyCompileError) return err.message;
    throw err;
  }
}

/** The library name of the champion for a suite (and bin-packing track): a naming convention. */
export function championName(suite: string, track: string | null = null): string {
  return track === null ? suite : `${suite}-${track}`;
}
