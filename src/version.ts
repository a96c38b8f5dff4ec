// The version recorded in RunStarted, reports and library provenance: the package version and, when run
// from a git checkout, the commit — marked `-dirty` when tracked files differ from it, because then the
// commit alone does not say which code produced the figures.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

let cached: string | null = null;

function packageRoot(): string {
  // src/version.ts and dist/src/version.js both sit below the package root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      readFileSync(join(dir, 'package.json'));
      return dir;
    } catch {
      dir = dirname(dir);
    }
  }
  return process.cwd();
}

export function codeVersion(): string {
  if (cached !== null) return cached;
  const root = packageRoot();
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    if (changed !== '') commit += '-dirty';
  } catch {
    // not a git checkout (an installed package): the version alone identifies the code
  }
  cached = `aurora ${version} (${commit})`;
  return cached;
}
