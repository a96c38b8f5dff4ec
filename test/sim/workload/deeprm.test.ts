import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rngFor } from '../../../sim/random.js';
import { DEEPRM, deeprmJob } from '../../../sim/workload/deeprm.js';
import { generateScenario } from '../../../sim/workload/generate.js';

const jobs = (() => {
  const rng = rngFor(2016, 'deeprm');
  return Array.from({ length: 20_000 }, () => deeprmJob(rng));
})();

test('given DeepRM jobs, when looking at durations, then they are bimodal: 80 % in 1–3 units, 20 % in 10–15, none between', () => {
  const short = jobs.filter((j) => !j.long);
  assert.ok(Math.abs(short.length / jobs.length - 0.8) < 0.01, `short share ${short.length / jobs.length}`);
  assert.ok(short.every((j) => j.units >= 1 && j.units <= 3 && Number.isInteger(j.units)));
  assert.ok(jobs.filter((j) => j.long).every((j) => j.units >= 10 && j.units <= 15));
  assert.not.ok(jobs.some((j) => j.units > 3 && j.units < 10));
  for (const u of [1, 2, 3, 10, 15]) assert.ok(jobs.some((j) => j.units === u), `unit ${u} never drawn`);
});

test('given DeepRM jobs, when looking at demands, then one resource dominates at 0.25–0.5 and the other is 0.05–0.1', () => {
  const cpuDominant = jobs.filter((j) => j.dominant === 'cpu').length / jobs.length;
  assert.ok(Math.abs(cpuDominant - 0.5) < 0.015, `cpu-dominant share ${cpuDominant}`);
  for (const j of jobs) {
    const [major, minor] = j.dominant === 'cpu' ? [j.cpu, j.memory] : [j.memory, j.cpu];
    assert.ok(major >= DEEPRM.dominantShare[0] && major < DEEPRM.dominantShare[1]);
    assert.ok(minor >= DEEPRM.otherShare[0] && minor < DEEPRM.otherShare[1]);
  }
  const meanMajor = jobs.reduce((a, j) => a + Math.max(j.cpu, j.memory), 0) / jobs.length;
  assert.ok(Math.abs(meanMajor - 0.375) < 0.005, `mean dominant share ${meanMajor}`);
});

test('given a DeepRM-only mix on identical hosts, when generating, then tasks carry the shares of one host and fixed durations', () => {
  const s = generateScenario({
    domain: 'cloud',
    level: 8,
    seed: 1,
    overrides: { mix: { deeprm: 1, batch: 0, interactive: 0, hpc: 0, sensor: 0, stream: 0 }, heterogeneity: 0, deeprmTimeUnit: 10 },
  });
  const host = s.nodes[0]!; // 16 cores, 64 GB
  assert.ok(s.nodes.every((n) => n.cores === host.cores && n.memory === host.memory));
  for (const t of s.tasks) {
    assert.is(t.length, undefined);
    const units = t.duration! / 10;
    assert.ok((units >= 1 && units <= 3) || (units >= 10 && units <= 15), `duration ${t.duration}`);
    const cpu = t.cores / host.cores;
    const mem = t.memory / host.memory;
    const cpuDominant = cpu >= 0.25 - 1 / 32; // cores are rounded to whole numbers
    assert.ok(cpuDominant ? mem <= 0.1 : cpu <= 0.1 + 1 / 32 && mem >= 0.25, `cpu ${cpu} mem ${mem}`);
  }
});

test.run();
