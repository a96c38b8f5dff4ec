import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { binpackHoldTime, binpackScenario } from '../../../sim/workload/binpack-scenario.js';
import { importBinpack } from '../../../sim/workload/import-binpack.js';
import { WorkloadImportError } from '../../../sim/workload/import-error.js';
import { generateWeibullBinpack } from '../../../sim/workload/weibull-binpack.js';

const read = (name: string) => readFileSync(new URL(`../../../../shared/data/binpack/${name}`, import.meta.url), 'utf8');
const OR1 = read('OR1.json');

test('given OR1 and an instance id, when importing, then each item is a task and each potential bin a node', () => {
  const file = JSON.parse(OR1) as { capacity: number; instances: { id: string; items: number[]; l1_lower_bound: number }[] };
  const inst = file.instances.find((i) => i.id === 'u120_07')!;
  const s = importBinpack(OR1, { instance: 'u120_07', name: 'OR1.json' });
  assert.is(s.tasks.length, 120);
  assert.is(s.nodes.length, 120);
  assert.equal(s.tasks.map((t) => t.cores), inst.items);
  assert.equal(s.tasks.map((t) => t.arrival), inst.items.map((_, i) => i));
  assert.ok(s.nodes.every((n) => n.cores === 150 && n.mode === 'space-shared' && n.memory === 0));
  // Items never leave while others arrive.
  assert.ok(s.tasks.every((t) => t.duration! > s.tasks.length && t.duration === binpackHoldTime(120)));
  const p = s.provenance as Record<string, unknown>;
  assert.is(p.instance, 'u120_07');
  assert.is(p.l1LowerBound, inst.l1_lower_bound);
  assert.is(p.fileL1LowerBound, inst.l1_lower_bound);
  assert.is(s.id, 'binpack-OR1-u120_07');
});

test('given no instance id, when importing, then the first instance is used', () => {
  const s = importBinpack(read('OR5.json'));
  assert.is((s.provenance as { instance: string }).instance, 't60_00');
  assert.ok(s.nodes.every((n) => n.cores === 1000));
});

test('given an unknown instance, when importing, then the error lists the ones there are', () => {
  assert.throws(() => importBinpack(OR1, { instance: 'u999' }), (e: unknown) => e instanceof WorkloadImportError && /no instance 'u999' in this file; it has u120_00, u120_01/.test((e as Error).message));
});

test('given malformed JSON, when importing, then the error names the line', () => {
  const broken = OR1.slice(0, 400).replace(/,\s*$/, '') + '\n  ]]';
  assert.throws(() => importBinpack('{\n  "capacity": 10,\n  "instances": [}\n'), /^line 3: invalid JSON: .*\(column 17\)$/);
  assert.throws(() => importBinpack(broken), /^line \d+: invalid JSON/);
});

test('given JSON that is not a bin packing file, when importing, then the first schema problem is named', () => {
  assert.throws(() => importBinpack('{"capacity": 0, "instances": []}'), /^not a bin packing file: capacity: must be at least 1 \(and 1 more\)$/);
  assert.throws(
    () => importBinpack('{"capacity": 10, "instances": [{"id": "a", "items": [3, 11]}]}'),
    /instance a: item 1 has size 11, more than the capacity 10/,
  );
});

test('given a generated Weibull instance, when made a scenario, then the scenario is valid with its L1 bound', () => {
  const inst = generateWeibullBinpack(500, 5);
  const s = binpackScenario(inst, { id: 'weibull-500' });
  assert.is(s.tasks.length, 500);
  assert.is((s.provenance as { l1LowerBound: number }).l1LowerBound, Math.ceil(inst.items.reduce((a, b) => a + b, 0) / 100));
  assert.throws(() => binpackScenario({ capacity: 10, items: [2.5] }, { id: 'x' }), /item 0 has size 2.5/);
});

test.run();
