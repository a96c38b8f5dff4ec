// `aurora eval` end to end on the released bin-packing sets: FunSearch's published numbers come out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BINPACK_DATA_DIR } from './support/data.js';
import { main } from '../../../src/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'aurora-eval-'));
const FUNSEARCH = ['OR1', 'OR2', 'OR3', 'OR4', 'Weibull5k'].map((n) => join(BINPACK_DATA_DIR, `${n}.json`)).join(',');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real CLI in a child process, end to end. */
function aurora(...args: string[]): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same entry point in this process (fast), with its output captured. */
async function auroraHere(...args: string[]): Promise<Run> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test("given OR1–OR4 and Weibull 5k, when eval runs first-fit and best-fit, then the table shows FunSearch's published excess and mean bins", () => {
  const r = aurora('eval', '--suite', FUNSEARCH, '--policy', 'first-fit,best-fit');
  assert.is(r.code, 0, r.stderr);
  const rows = r.stdout.split('\n').map((l) => l.trim().split(/\s{2,}/));
  const row = (first: string, nth = 0) => rows.filter((cells) => cells[0] === first)[nth];
  assert.equal(row('policy'), ['policy', 'OR1', 'OR2', 'OR3', 'OR4', 'Weibull5k']);
  assert.equal(row('first-fit', 0), ['first-fit', '6.42%', '6.45%', '5.74%', '5.23%', '4.23%']);
  assert.equal(row('best-fit', 0), ['best-fit', '5.81%', '6.06%', '5.37%', '4.94%', '3.98%']);
  assert.equal(row('L1 bound'), ['L1 bound', '49.05', '101.55', '201.20', '400.55', '1987.80']);
  assert.equal(row('first-fit', 1), ['first-fit', '52.20', '108.10', '212.75', '421.50', '2071.80']);
  assert.equal(row('best-fit', 1), ['best-fit', '51.90', '107.70', '212.00', '420.35', '2067.00']);
});

test('given --json, when eval runs, then one object carries every dataset and result', async () => {
  const r = await auroraHere('eval', '--suite', FUNSEARCH, '--policy', 'best-fit', '--json');
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    kind: string;
    datasets: { name: string; meanL1: number; instances: number }[];
    policies: { policy: string; results: { dataset: string; meanBins: number; excessPercent: number; bins: number[] }[] }[];
  };
  assert.is(out.kind, 'binpack');
  assert.equal(out.datasets.map((d) => d.name), ['OR1', 'OR2', 'OR3', 'OR4', 'Weibull5k']);
  assert.equal(out.policies[0]!.results.map((x) => x.excessPercent), [5.81, 6.06, 5.37, 4.94, 3.98]);
  assert.is(out.policies[0]!.results[4]!.meanBins, 2067);
  assert.is(out.policies[0]!.results[0]!.bins.length, 20);
});

test('given a folder suite and a policy file, when eval runs, then every JSON file is a column and the file policy a row', async () => {
  const policy = join(dir, 'tight.json');
  writeFileSync(policy, JSON.stringify({ name: 'tight', score: '-(node.free_cores_after ^ 2)' }));
  const r = await auroraHere('eval', '--suite', BINPACK_DATA_DIR, '--policy', `${policy},first-fit`, '--json');
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { datasets: { name: string }[]; policies: { policy: string; source: string }[] };
  assert.is(out.datasets.length, 9);
  assert.equal(out.policies.map((p) => p.source), ['file', 'baseline']);
});

test('given policies that do not apply or fail, when eval runs, then the table says why and the exit status is 1', async () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ name: 'bad', score: '1 / (node.free_cores - 150)' }));
  const r = await auroraHere('eval', '--suite', join(BINPACK_DATA_DIR, 'OR1.json'), '--policy', `sjf,${bad}`);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /\[1\] sjf: order: 'sjf' orders by task\.work, which has no meaning in bin packing/);
  assert.match(r.stdout, /\[2\] .*bad\.json on OR1: score: division by zero in '1 \/ \(node\.free_cores - 150\)'/);
  const all = await auroraHere('eval', '--suite', join(BINPACK_DATA_DIR, 'OR1.json'), '--policy', 'baselines');
  assert.is(all.code, 0, all.stderr);
  assert.match(all.stdout, /Baselines that do not apply to bin packing: sjf, edf, priority, drf, cost-greedy, latency-greedy\./);
});

test('given bad input, when eval runs, then one line on stderr and exit status 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--policy', 'first-fit'], /--suite is required/],
    [['--suite', FUNSEARCH], /--policy is required/],
    [['--suite', FUNSEARCH, '--policy', 'frist-fit'], /unknown policy 'frist-fit'/],
    [['--suite', join(dir, 'missing.json'), '--policy', 'first-fit'], /missing\.json: no such file or folder/],
    [['--suite', FUNSEARCH, '--policy', 'first-fit', '--seed', '1.5'], /--seed must be a whole number/],
    [['--suite', FUNSEARCH, '--policy', 'first-fit', '--bogus'], /Unknown option '--bogus'/],
  ];
  const malformed = join(dir, 'malformed.json');
  writeFileSync(malformed, JSON.stringify({ name: 'm', capacity: 10, instances: [{ id: 'a', items: [4, 12] }] }));
  cases.push([['--suite', malformed, '--policy', 'first-fit'], /malformed\.json: instances\[0\] \(a\)\.items\[1\]: size 12 is larger than the capacity 10/]);
  for (const [args, message] of cases) {
    const r = await auroraHere('eval', ...args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, message);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test.run();
