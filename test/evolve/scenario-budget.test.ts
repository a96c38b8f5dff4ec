// The evolution fitness of a scenario suite puts a candidate out when it needs more policy evaluations
// than its budget, and scores one that stays within it exactly as an unbudgeted run would.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compilePolicy } from '../../sim/policy/compile.js';
import { PolicyDocument } from '../../sim/policy/document.js';
import { Scenario } from '../../sim/scenario.js';
import { simulate } from '../../sim/simulate.js';
import { FAULTED } from '../../src/evolve/problem.js';
import { evaluationBudget, EVALUATIONS_PER_TASK_NODE, scenarioFitness } from '../../src/evolve/scenario-problem.js';

// 400 one-core tasks queue for the one core the filter allows.
const scenario = Scenario.parse({
  id: 'queue',
  domain: 'cloud',
  nodes: [
    { id: 'closed', cores: 1, mips: 1000, pricePerHour: 1 },
    { id: 'open', cores: 1, mips: 1000, pricePerHour: 1 },
  ],
  tasks: Array.from({ length: 400 }, (_, i) => ({ id: `t${i}`, arrival: 0, cores: 1, duration: 1 })),
});
const cases = [{ id: 'queue', scenario }];
const FILTER = 'node.free_cores_after >= 0 and node.index >= 1';

test('given a case, then its budget is the per task × node allowance times tasks × nodes', () => {
  assert.is(evaluationBudget(cases[0]), EVALUATIONS_PER_TASK_NODE * 400 * 2);
});

test('given a candidate that re-reads the time for every queued task at every pass, then it is out; the same placement without the time is scored', () => {
  const slow = scenarioFitness(PolicyDocument.parse({ name: 'slow', filter: `now >= 0 and ${FILTER}`, score: '0' }), cases);
  assert.equal(slow, FAULTED);
  const doc = PolicyDocument.parse({ name: 'fast', filter: FILTER, score: '0' });
  const fast = scenarioFitness(doc, cases);
  assert.is(fast.value, simulate(scenario, compilePolicy(doc)).reward.reward);
});

test.run();
