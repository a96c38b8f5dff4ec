// The reward upper bound (src/eval/reward-bounds.ts) holds for every baseline and for policies that
// leave work undone, on generated scenarios of every domain; and it is the documented formula on a
// scenario small enough to work by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baselineNames, baselines } from '../../sim/baselines/index.js';
import { compilePolicy } from '../../sim/policy/compile.js';
import { Scenario } from '../../sim/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { generateScenario } from '../../sim/workload/generate.js';
import { rewardUpperBound } from '../../src/eval/reward-bounds.js';

const skipLong = compilePolicy({
  name: 'skip-long',
  order: 'fifo',
  filter: 'node.free_cores_after >= 0 and node.free_memory_after >= 0 and node.exec_time < 20',
  score: '-node.cost_est',
});

test('given generated scenarios of every domain, then no baseline and no policy that drops work beats the bound', () => {
  for (const domain of ['cloud', 'edge', 'network', 'hybrid'] as const) {
    for (const seed of [1, 2]) {
      const s = generateScenario({ domain, level: 4, seed });
      const bound = rewardUpperBound(s).reward;
      for (const policy of [...baselineNames.map((n) => compilePolicy(baselines[n]!)), skipLong]) {
        const r = simulate(s, policy);
        assert.ok(r.reward.reward <= bound + 1e-12, `${domain} seed ${seed}, ${policy.document.name}: ${r.reward.reward} > bound ${bound}`);
      }
    }
  }
});

test('given one host and tasks that fill it exactly, then the bound is the formula at utilisation 0.9', () => {
  // 4 cores, price 3.6/h, power 100–200 W; two 2-core tasks of 10 s with SLA 20 s (latency target 20).
  const s = Scenario.parse({
    id: 'bound',
    domain: 'cloud',
    nodes: [{ id: 'n0', cores: 4, mips: 1000, pricePerHour: 3.6, powerIdle: 100, powerPeak: 200 }],
    tasks: [
      { id: 'a', arrival: 0, cores: 2, duration: 10, sla: 20 },
      { id: 'b', arrival: 0, cores: 2, duration: 10, sla: 20 },
    ],
  });
  const b = rewardUpperBound(s);
  const w = s.objectives;
  const U = 0.9;
  const expected = w.latency / (1 + 10 / 20) + w.cost / (1 + 1 / U) + w.energy / (1 + (25 / U + 25) / 50) + w.qos + w.utilisation;
  assert.is(b.dropped, 0);
  assert.ok(Math.abs(b.utilisation - U) < 1e-9, `peak at ${b.utilisation}`);
  assert.ok(Math.abs(b.reward - expected) < 1e-12, `${b.reward} vs ${expected}`);
  // The best real schedule (both at once, node busy and then closed) stays below.
  const r = simulate(s, compilePolicy(baselines['first-fit']!));
  assert.ok(r.reward.reward <= b.reward);
});

test.run();
