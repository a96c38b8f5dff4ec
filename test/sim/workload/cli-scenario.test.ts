// `aurora scenario …` end to end: spawns the CLI and checks exit codes, outputs and one-line errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateScenario } from '../../../sim/validate.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'aurora-scenario-'));

function aurora(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

test('given generate with --out, when run twice with one seed, then the files are identical valid scenarios and validate says OK', () => {
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  const r1 = aurora('scenario', 'generate', '--domain', 'hybrid', '--level', '4', '--seed', '7', '--out', a);
  const r2 = aurora('scenario', 'generate', '--domain', 'hybrid', '--level', '4', '--seed', '7', '--out', b);
  assert.is(r1.code, 0, r1.stderr);
  assert.is(r2.code, 0, r2.stderr);
  assert.match(r1.stdout, /^wrote .*a\.json: gen-hybrid-l4-[0-9a-f]{8}-s7: hybrid level 4, 32 tasks, 16 nodes/);
  assert.is(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
  assert.ok(validateScenario(JSON.parse(readFileSync(a, 'utf8'))).ok);
  // Nothing but the two files: the temp files were renamed into place.
  assert.equal(readdirSync(dir).sort(), ['a.json', 'b.json']);
  const v = aurora('scenario', 'validate', a);
  assert.is(v.code, 0);
  assert.match(v.stdout, /^OK .*a\.json: gen-hybrid-l4-/);
});

test('given generate with a params file, when run, then the file overrides the defaults', () => {
  const params = join(dir, 'params.json');
  writeFileSync(params, JSON.stringify({ tasks: 12, arrival: { pattern: 'sporadic' } }));
  const r = aurora('scenario', 'generate', '--domain', 'cloud', '--level', '2', '--params', params);
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { tasks: unknown[]; provenance: { params: { arrival: { pattern: string } } } };
  assert.is(s.tasks.length, 12);
  assert.is(s.provenance.params.arrival.pattern, 'sporadic');
  writeFileSync(params, JSON.stringify({ tasks: -1, loadFactor: 9 }));
  const bad = aurora('scenario', 'generate', '--domain', 'cloud', '--level', '2', '--params', params);
  assert.is(bad.code, 2);
  assert.equal(lines(bad.stderr), [`aurora scenario: ${params}: invalid generator parameters: tasks: must be at least 1 (and 1 more)`]);
});

test('given bad generate options, when run, then one line and exit 2', () => {
  const level = aurora('scenario', 'generate', '--domain', 'cloud', '--level', '0');
  assert.is(level.code, 2);
  assert.equal(lines(level.stderr), ["aurora scenario: --level must be a whole number from 1 to 10, got '0'"]);
  const domain = aurora('scenario', 'generate', '--domain', 'space', '--level', '1');
  assert.equal(lines(domain.stderr), ["aurora scenario: --domain must be one of cloud, edge, network, hybrid, got 'space'"]);
  const unknown = aurora('scenario', 'generate', '--domain', 'cloud', '--level', '1', '--colour', 'red');
  assert.is(unknown.code, 2);
  assert.is(lines(unknown.stderr).length, 1);
  const out = aurora('scenario', 'generate', '--domain', 'cloud', '--level', '1', '--out', join(dir, 'missing', 'x.json'));
  assert.is(out.code, 2);
  assert.match(out.stderr, /missing\/x\.json: directory does not exist/);
});

test('given an invalid scenario, when validated, then one line with the count, --verbose lists all, --json gives them all', () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(
    bad,
    JSON.stringify({ id: 'b', domain: 'cloud', nodes: [{ id: 'n', cores: 2, mips: 1000 }], tasks: [{ id: 't1', arrival: 0, cores: 0, duration: 1 }, { id: 't2', arrival: -1, cores: 1, duration: 1 }] }),
  );
  const r = aurora('scenario', 'validate', bad);
  assert.is(r.code, 2);
  assert.equal(lines(r.stderr), [`aurora scenario: ${bad}: tasks[0].cores: must be at least 1 (and 1 more)`]);
  const v = aurora('scenario', 'validate', bad, '--verbose');
  assert.is(v.code, 2);
  assert.equal(lines(v.stderr), [`${bad}: tasks[0].cores: must be at least 1`, `${bad}: tasks[1].arrival: must not be negative`]);
  const j = aurora('scenario', 'validate', bad, '--json');
  assert.is(j.code, 2);
  assert.equal(JSON.parse(j.stdout), { ok: false, file: bad, errors: ['tasks[0].cores: must be at least 1', 'tasks[1].arrival: must not be negative'] });
});

test('given a scenario with a cycle or broken JSON or no file, when validated, then the line says what and where', () => {
  const cyc = join(dir, 'cycle.json');
  writeFileSync(
    cyc,
    JSON.stringify({ id: 'c', domain: 'cloud', nodes: [{ id: 'n', cores: 2, mips: 1000 }], tasks: [{ id: 't1', arrival: 0, cores: 1, duration: 1, deps: ['t4'] }, { id: 't4', arrival: 0, cores: 1, duration: 1, deps: ['t1'] }] }),
  );
  assert.equal(lines(aurora('scenario', 'validate', cyc).stderr), [`aurora scenario: ${cyc}: dependency cycle: t1 → t4 → t1`]);
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{\n  "id": "x",\n  "domain": "cloud",,\n}');
  const r = aurora('scenario', 'validate', broken);
  assert.is(r.code, 2);
  assert.equal(lines(r.stderr), [`aurora scenario: ${broken}: line 3: invalid JSON: expected a property name in double quotes, found "," (column 21)`]);
  const none = aurora('scenario', 'validate', join(dir, 'nope.json'));
  assert.is(none.code, 2);
  assert.match(none.stderr, /nope\.json: no such file\n$/);
});

test('given a valid scenario with an infeasible task, when validated, then OK with a warning', () => {
  const f = join(dir, 'warn.json');
  writeFileSync(f, JSON.stringify({ id: 'w', domain: 'cloud', nodes: [{ id: 'n', cores: 2, mips: 1000 }], tasks: [{ id: 'big', arrival: 0, cores: 8, duration: 1 }] }));
  const r = aurora('scenario', 'validate', f);
  assert.is(r.code, 0);
  assert.match(r.stdout, /^OK /);
  assert.equal(lines(r.stderr), ['warning: 1 task no node can ever hold (the engine drops them): big (needs 8 cores, the largest node has 2)']);
});

test('given each import format, when run on the shared data, then a valid scenario is written', () => {
  const bp = join(dir, 'bp.json');
  const r = aurora('scenario', 'import', '--format', 'binpack', join(DATA, 'binpack/OR2.json'), '--instance', 'u250_04', '--out', bp, '--json');
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { out: bp, id: 'binpack-OR2-u250_04', domain: 'cloud', tasks: 250, nodes: 250, warnings: [] });
  const ali = aurora('scenario', 'import', '--format', 'alibaba2017', join(DATA, 'traces/alibaba_v2017_batch_task/batch_task.csv'), '--start', '3600', '--window', '600', '--instance-mode', 'one');
  assert.is(ali.code, 0, ali.stderr);
  assert.is((JSON.parse(ali.stdout) as { tasks: unknown[] }).tasks.length, 444);
  const az = aurora('scenario', 'import', '--format', 'azure2017', join(DATA, 'traces/azure_v1_vm_arrivals/vm_arrivals_day25.csv'), '--max-tasks', '50', '--fleet', 'cloud-mixed', '--nodes', '7');
  assert.is(az.code, 0, az.stderr);
  const s = JSON.parse(az.stdout) as { tasks: unknown[]; nodes: unknown[] };
  assert.equal([s.tasks.length, s.nodes.length], [50, 7]);
});

test('given malformed trace input or bad import options, when importing, then one line names the problem and exit 2', () => {
  const csv = join(dir, 'bad.csv');
  writeFileSync(csv, '1,2,3,4,5,Terminated,50,0.1\n1,2,3,4,5,Terminated,fifty,0.1\n');
  const r = aurora('scenario', 'import', '--format', 'alibaba2017', csv);
  assert.is(r.code, 2);
  assert.equal(lines(r.stderr), [`aurora scenario: ${csv}: line 2: plan_cpu is 'fifty', expected a number`]);
  const fmt = aurora('scenario', 'import', '--format', 'google', csv);
  assert.equal(lines(fmt.stderr), ["aurora scenario: --format must be one of binpack, alibaba2017, azure2017, got 'google'"]);
  const fleet = aurora('scenario', 'import', '--format', 'alibaba2017', csv, '--fleet', 'moon');
  assert.is(fleet.code, 2);
  assert.match(fleet.stderr, /--fleet must be one of alibaba2017, cloud-standard, cloud-mixed, got 'moon'/);
});

test('given params, when asked, then the defaults and the JSON schema print', () => {
  const r = aurora('scenario', 'params', '--domain', 'edge', '--level', '3');
  assert.is(r.code, 0);
  assert.is((JSON.parse(r.stdout) as { tasks: number }).tasks, 20);
  const schema = aurora('scenario', 'params', '--schema');
  assert.is(schema.code, 0);
  assert.ok('properties' in (JSON.parse(schema.stdout) as object));
  assert.is(aurora('scenario', 'frobnicate').code, 2);
});

test.run();
