// The validator, the generators and the engine agree: what validation calls infeasible is exactly what
// the engine drops as infeasible, and generated or imported scenarios run with nothing infeasible.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { baselines } from '../../../sim/baselines/index.js';
import { compilePolicy } from '../../../sim/policy/compile.js';
import type { ScenarioInput } from '../../../sim/scenario.js';
import { simulate } from '../../../sim/simulate.js';
import { infeasibleTasks, validateScenario } from '../../../sim/validate.js';
import { generateScenario } from '../../../sim/workload/generate.js';

const policy = compilePolicy(baselines['first-fit']!);

test('property: the validator names exactly the tasks the engine finds infeasible', () => {
  const sources = ['a', 'b', 'c'];
  const zones = ['z0', 'z1', 'z2'];
  const node = fc.record({
    cores: fc.integer({ min: 1, max: 8 }),
    memory: fc.constantFrom(0, 4, 16),
    zone: fc.constantFrom(...zones),
    latency: fc.subarray(sources).map((ss) => Object.fromEntries(ss.map((s) => [s, 0.001]))),
  });
  const link = fc.record({ source: fc.constantFrom(...sources), zone: fc.constantFrom(...zones) });
  const task = fc.record({
    cores: fc.integer({ min: 1, max: 10 }),
    memory: fc.constantFrom(0, 2, 10, 20),
    source: fc.option(fc.constantFrom(...sources, 'd'), { nil: undefined }),
    dataSize: fc.constantFrom(0, 5),
  });
  fc.assert(
    fc.property(fc.array(node, { minLength: 1, maxLength: 5 }), fc.array(link, { maxLength: 4 }), fc.array(task, { minLength: 1, maxLength: 8 }), (nodes, links, tasks) => {
      const input: ScenarioInput = {
        id: 'p',
        domain: 'hybrid',
        nodes: nodes.map((n, i) => ({ id: `n${i}`, mips: 1000, ...n })),
        links: links.map((l, i) => ({ id: `l${i}`, bandwidth: 100, ...l })),
        tasks: tasks.map((t, i) => ({ id: `t${i}`, arrival: i, duration: 1, ...t })),
      };
      const checked = validateScenario(input);
      if (!checked.ok) return false;
      const ours = infeasibleTasks(checked.scenario).map((t) => t.id);
      const engine = simulate(checked.scenario, policy).infeasible;
      return JSON.stringify(ours) === JSON.stringify(engine);
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('given generated scenarios of every domain, when simulated, then nothing is infeasible and every task is accounted for', () => {
  for (const domain of ['cloud', 'edge', 'network', 'hybrid'] as const) {
    for (const level of [2, 6, 10]) {
      const s = generateScenario({ domain, level, seed: level });
      const r = simulate(s, policy);
      assert.equal(r.infeasible, [], `${domain} ${level}`);
      assert.is(r.failure, undefined);
      assert.is(r.metrics.completed + r.metrics.dropped, s.tasks.length);
    }
  }
});

test.run();
