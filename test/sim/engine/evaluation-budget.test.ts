// maxEvaluations: a run stops with a `budget` failure exactly when the policy needs more evaluations
// than allowed, and a budget it stays within changes nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Engine } from '../../../sim/engine/engine.js';
import { compilePolicy } from '../../../sim/policy/compile.js';
import { Scenario } from '../../../sim/scenario.js';
import { simulate } from '../../../sim/simulate.js';
import { arbPolicyName, arbScenario, policyMakers } from './arbitrary.js';

const RUNS = Number(process.env.AURORA_PROPERTY_RUNS ?? 150);

function evaluationsOf(s: Scenario, name: string): number {
  const e = new Engine(s, policyMakers[name]());
  e.run();
  return e.evaluations;
}

test('given a budget equal to what the run needs, then the result equals the unbudgeted run; one less, then it stops with a budget failure', () => {
  let stopped = 0;
  fc.assert(
    fc.property(arbScenario(), arbPolicyName, (s, name) => {
      const free = simulate(s, policyMakers[name](), { trace: true });
      const needed = evaluationsOf(s, name);
      assert.equal(simulate(s, policyMakers[name](), { trace: true, maxEvaluations: needed }), free, name);
      if (needed === 0 || free.failure) return;
      const cut = simulate(s, policyMakers[name](), { maxEvaluations: needed - 1 });
      assert.is(cut.failure?.kind, 'budget', name);
      assert.is(cut.failure?.message, `more than ${needed - 1} policy evaluations`);
      stopped++;
    }),
    { numRuns: RUNS },
  );
  assert.ok(stopped > RUNS / 2, `only ${stopped} runs were cut`);
});

// 300 one-core tasks queue for one free core: every completion is followed by a pass over the queue.
const queued = Scenario.parse({
  id: 'queue',
  domain: 'cloud',
  nodes: [
    { id: 'closed', cores: 1, mips: 1000 },
    { id: 'open', cores: 1, mips: 1000 },
  ],
  tasks: Array.from({ length: 300 }, (_, i) => ({ id: `t${i}`, arrival: 0, cores: 1, duration: 1 })),
});
const FILTER = 'node.free_cores_after >= 0 and node.index >= 1';

test('given a filter that reads the time, then every queued task is re-evaluated at every pass; without it, failed decisions are skipped', () => {
  const count = (filter: string) => {
    const e = new Engine(queued, compilePolicy({ name: 'p', filter, score: '0' }));
    e.run();
    return e.evaluations;
  };
  const skipping = count(FILTER);
  const timeReading = count(`now >= 0 and ${FILTER}`);
  assert.ok(skipping < 3 * 300 * 2, `without the time: ${skipping}`);
  assert.ok(timeReading > 100 * skipping, `reading the time: ${timeReading} against ${skipping}`);
});

test.run();
