import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { AZURE_2017_MAPPING, importAzure2017 } from '../../../sim/workload/import-azure2017.js';

const CSV = readFileSync(new URL('../../../../shared/data/traces/azure_v1_vm_arrivals/vm_arrivals_day25.csv', import.meta.url), 'utf8');
const HEADER = 'arrival_s,batch_id,vm_seq,flavor,vcpu,mem_gb,duration_bin,duration_min_s,duration_max_s,censored';

test('given bin-end arrivals and an hour from the first bin end, when importing, then the count matches the file', () => {
  // awk: 2100000 ≤ arrival_s < 2103600 → 2487 VMs, 24 of them censored.
  const s = importAzure2017(CSV, { arrival: 'bin-end', start: 2_100_000, maxTasks: 100_000 });
  assert.is(s.tasks.length, 2487);
  const p = s.provenance as { censored: string[]; counts: Record<string, number>; mapping: unknown };
  assert.is(p.censored.length, 24);
  assert.is(p.counts.rows, 74576);
  assert.equal(p.mapping, AZURE_2017_MAPPING);
  assert.ok(s.tasks.every((t) => t.arrival % 300 === 0));
});

test('given uniform arrivals, when importing, then each VM lands inside its own bin and the order is by arrival', () => {
  const s = importAzure2017(CSV, { start: 2_100_000, window: 3600, maxTasks: 100_000, seed: 5 });
  s.tasks.forEach((t, i) => {
    if (i > 0) assert.ok(t.arrival >= s.tasks[i - 1]!.arrival);
    const binEnd = Number(t.tenant.replace('batch-', '').split('-')[0]) - 2_100_000;
    assert.ok(t.arrival > binEnd - 300 && t.arrival <= binEnd, `${t.id} at ${t.arrival} not in (${binEnd - 300}, ${binEnd}]`);
  });
  // The window keeps VMs whose drawn time is inside it: about the rows with bin end in (start, start + 3600].
  assert.ok(Math.abs(s.tasks.length - 2529) < 100, `${s.tasks.length}`);
});

test('given the first rows, when importing, then vcpu, memory, tenant and exact durations map as documented', () => {
  const s = importAzure2017(CSV, { arrival: 'bin-end', duration: 'midpoint', start: 2_100_000, window: 1, maxTasks: 100_000 });
  const first = s.tasks.find((t) => t.id === 'vm-2100000-0-0')!;
  assert.equal([first.cores, first.memory, first.duration, first.tenant, first.arrival], [8, 14, 900, 'batch-2100000-0', 0]);
  const ranged = s.tasks.find((t) => t.id === 'vm-2100000-1-3')!; // bin 31: 68,700–72,000 s
  assert.equal([ranged.cores, ranged.memory, ranged.duration], [1, 1.75, (68_700 + 72_000) / 2]);
});

test('given uniform durations, when importing twice with one seed, then durations repeat and stay inside their bins', () => {
  const a = importAzure2017(CSV, { maxTasks: 300, seed: 9 });
  const b = importAzure2017(CSV, { maxTasks: 300, seed: 9 });
  const c = importAzure2017(CSV, { maxTasks: 300, seed: 10 });
  assert.equal(a, b);
  assert.not.equal(a.tasks.map((t) => t.duration), c.tasks.map((t) => t.duration));
  const ranged = a.tasks.find((t) => t.id === 'vm-2100000-1-3');
  if (ranged) assert.ok(ranged.duration! >= 68_700 && ranged.duration! <= 72_000);
});

test('given a lifetime of 0 (below the 5-minute resolution), when importing, then the duration is in (0, 300] and positive', () => {
  const csv = `${HEADER}\n600,600-0,0,b,1,1.75,0,0,0,0\n600,600-0,1,b,1,1.75,0,0,0,1\n`;
  const uniform = importAzure2017(csv, { nodes: 1 });
  for (const t of uniform.tasks) assert.ok(t.duration! >= 1 && t.duration! <= 300);
  const mid = importAzure2017(csv, { duration: 'midpoint', nodes: 1 });
  assert.equal(mid.tasks.map((t) => t.duration), [150, 150]);
  assert.equal((mid.provenance as { censored: string[] }).censored, ['vm-600-0-1']);
  assert.is(mid.tasks[0]!.arrival >= 0, true);
});

test('given a headerless file in the documented column order, when importing, then it equals the headed one', () => {
  const headless = CSV.slice(CSV.indexOf('\n') + 1);
  assert.equal(importAzure2017(headless, { maxTasks: 200 }), importAzure2017(CSV, { maxTasks: 200 }));
});

test('given a sample fraction, when importing, then about that share of the window is kept, deterministically', () => {
  const all = importAzure2017(CSV, { maxTasks: 100_000, seed: 1 });
  const part = importAzure2017(CSV, { maxTasks: 100_000, sample: 0.1, seed: 1 });
  assert.ok(Math.abs(part.tasks.length / all.tasks.length - 0.1) < 0.02);
  assert.ok(part.tasks.every((t) => all.tasks.some((u) => u.id === t.id && u.arrival === t.arrival)));
});

test('given malformed rows, when importing, then the error names the line', () => {
  assert.throws(() => importAzure2017(`${HEADER}\n600,600-0,0,b,1,1.75,0,0,0,0\n600,600-0,1,b,x,1.75,0,0,0,0\n`), /^line 3: vcpu is 'x', expected a number$/);
  assert.throws(() => importAzure2017(`${HEADER}\n600,600-0,0,b,1,1.75,0,0\n`), /^line 2: expected 10 comma-separated fields, found 8$/);
  assert.throws(() => importAzure2017(`${HEADER}\n600,600-0,0,b,1,1.75,3,900,800,0\n`), /^line 2: duration range \[900, 800\]/);
  assert.throws(() => importAzure2017('arrival_s,batch_id\n1,2\n'), /^line 1: header lacks columns vm_seq, vcpu/);
  assert.throws(() => importAzure2017(`${HEADER}\n`), /the file has no VM rows/);
  assert.throws(() => importAzure2017(CSV, { start: 0 }), /no VM arrives in the window \[0, 3600\) s; the file's bins span 2099700 … 2186100 s/);
});

test.run();
