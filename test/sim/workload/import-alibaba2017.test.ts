import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fleetMachineMemory } from '../../../sim/workload/fleets.js';
import { ALIBABA_2017_MAPPING, importAlibaba2017 } from '../../../sim/workload/import-alibaba2017.js';

const CSV = readFileSync(new URL('../../../../shared/data/traces/alibaba_v2017_batch_task/batch_task.csv', import.meta.url), 'utf8');
const HEADERLESS = CSV.slice(CSV.indexOf('\n') + 1);

test('given the default hour, when importing with one task per trace task, then all 4,105 filtered tasks are there in order', () => {
  // awk: status Terminated, plan_cpu and plan_mem present, 0 ≤ create < 3600 → 4105 rows.
  const s = importAlibaba2017(CSV, { instanceMode: 'one', maxTasks: 100_000 });
  assert.is(s.tasks.length, 4105);
  const counts = (s.provenance as { counts: Record<string, number> }).counts;
  assert.equal([counts.rows, counts.terminated, counts.passFilter, counts.inWindow], [80553, 67013, 67003, 4105]);
  s.tasks.forEach((t, i) => {
    assert.ok(t.arrival >= 0 && t.arrival < 3600);
    if (i > 0) assert.ok(t.arrival >= s.tasks[i - 1]!.arrival);
  });
});

test('given a window from 3600 s, when importing, then the mapping of the first rows follows the documented rules', () => {
  // The first three rows of [3600, 4200) in (create, job, task) order:
  //   3607,3607,5254,32579,1,Terminated,100,0.010705873
  //   3623,3629,2349,13458,3,Terminated,50,0.008117413
  //   3623,3624,2349,13459,1,Terminated,50,0.004079414
  const s = importAlibaba2017(CSV, { start: 3600, window: 600, maxTasks: 100_000 });
  const mem = fleetMachineMemory('alibaba2017');
  assert.is(mem, 128);
  const [a, b0, b1, b2, c] = s.tasks;
  assert.equal(
    { id: a!.id, arrival: a!.arrival, cores: a!.cores, memory: a!.memory, duration: a!.duration, tenant: a!.tenant },
    { id: 'j5254-t32579', arrival: 7, cores: 1, memory: Math.round(0.010705873 * mem * 1e4) / 1e4, duration: 1, tenant: 'job-5254' },
  );
  // Three instances expand to three tasks; a span of 6 s; plan_cpu 50 rounds up to one core.
  assert.equal([b0!.id, b1!.id, b2!.id], ['j2349-t13458-i0', 'j2349-t13458-i1', 'j2349-t13458-i2']);
  assert.equal([b0!.arrival, b0!.cores, b0!.duration], [23, 1, 6]);
  assert.equal([c!.id, c!.duration], ['j2349-t13459', 1]);
  assert.equal((s.provenance as { mapping: unknown }).mapping, ALIBABA_2017_MAPPING);
});

test('given instance expansion with a cap, when importing, then each trace task gives min(n, cap) tasks and the rest are counted', () => {
  // awk over [3600, 4200): 444 filtered tasks with 78,306 instances in all.
  const one = importAlibaba2017(CSV, { start: 3600, window: 600, instanceMode: 'one', maxTasks: 100_000 });
  assert.is(one.tasks.length, 444);
  const capped = importAlibaba2017(CSV, { start: 3600, window: 600, instanceCap: 3, maxTasks: 100_000 });
  const counts = (capped.provenance as { counts: Record<string, number> }).counts;
  assert.is(counts.tasks + counts.instancesBeyondCap, 78306);
  assert.ok(capped.tasks.length <= 3 * 444 && capped.tasks.length > 444);
});

test('given plan_cpu above 100, when importing, then cores are plan_cpu / 100 rounded up', () => {
  const csv = '100,160,1,1,1,Terminated,600,0.01\n101,102,1,2,1,Terminated,75,0.02\n';
  const s = importAlibaba2017(csv, { start: 0, window: 1000, nodes: 2 });
  assert.equal(s.tasks.map((t) => [t.cores, t.duration, t.arrival]), [[6, 60, 100], [1, 1, 101]]);
  assert.is(s.nodes.length, 2);
});

test('given the official headerless form, when importing, then the scenario is the same as with the header', () => {
  const opts = { start: 7200, window: 300, maxTasks: 500 };
  assert.equal(importAlibaba2017(HEADERLESS, opts), importAlibaba2017(CSV, opts));
});

test('given a cap and a sample, when importing, then the earliest tasks are kept and sampling is seeded', () => {
  const capped = importAlibaba2017(CSV, { maxTasks: 50 });
  assert.is(capped.tasks.length, 50);
  const a = importAlibaba2017(CSV, { instanceMode: 'one', sample: 0.25, seed: 3, maxTasks: 100_000 });
  const b = importAlibaba2017(CSV, { instanceMode: 'one', sample: 0.25, seed: 3, maxTasks: 100_000 });
  const c = importAlibaba2017(CSV, { instanceMode: 'one', sample: 0.25, seed: 4, maxTasks: 100_000 });
  assert.equal(a, b);
  assert.not.equal(a.tasks.map((t) => t.id), c.tasks.map((t) => t.id));
  assert.ok(Math.abs(a.tasks.length / 4105 - 0.25) < 0.03, `${a.tasks.length}`);
});

test('given no node count, when importing, then the fleet is sized to the peak of concurrent demand', () => {
  const s = importAlibaba2017(CSV, { instanceMode: 'one', maxTasks: 100_000 });
  const events = s.tasks.flatMap((t) => [[t.arrival, t.cores], [t.arrival + t.duration!, -t.cores]] as [number, number][]);
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let peak = 0;
  for (const [, c] of events) peak = Math.max(peak, (now += c));
  assert.is(s.nodes.length, Math.ceil(peak / (64 * 0.8)));
  assert.ok(s.nodes.every((n) => n.cores === 64 && n.memory === 128));
});

test('given malformed rows, when importing, then the error names the line', () => {
  assert.throws(() => importAlibaba2017('1,2,3,4,5,Terminated,50,0.1\n1,2,3\n'), /^line 2: expected 8 comma-separated fields, found 3$/);
  assert.throws(() => importAlibaba2017('h1,h2,h3,h4,h5,h6,h7,h8\n1,2,3,4,5,Terminated,50,0.1\n\nabc,2,3,4,5,Terminated,50,0.1\n'), /^line 4: task_create_time is 'abc', expected a number$/);
  assert.throws(() => importAlibaba2017('1,2,3,4.5,5,Terminated,50,0.1\n'), /^line 1: task_id is '4.5', expected a whole number$/);
  assert.throws(() => importAlibaba2017('1,2,3,4,5,Terminated,-50,0.1\n'), /^line 1: plan_cpu is -50/);
  assert.throws(() => importAlibaba2017('1,2,3,4,5,"Terminated,50,0.1\n'), /^line 1: unterminated quoted field$/);
  assert.throws(() => importAlibaba2017(''), /the file has no rows/);
});

test('given an empty window, when importing, then the error says where the tasks are', () => {
  assert.throws(() => importAlibaba2017(CSV, { start: 1e6 }), /no task in the window \[1000000, 1003600\) s \(67003 rows pass the filter; their create times span -\d+ … \d+ s\)/);
  assert.throws(() => importAlibaba2017(CSV, { window: 0 }), /window must be a positive number/);
  assert.throws(() => importAlibaba2017(CSV, { fleet: 'nope' }), /unknown fleet 'nope'/);
});

test.run();
