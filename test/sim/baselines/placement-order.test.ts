// ../shared/data/cloudsim/VECTORS.md, "Placement order": CloudSim Plus 8.5.7's VM allocation policies,
// measured. Three nodes with 4, 8 and 2 cores; tasks arrive together and never finish within the
// window that matters (they are very long), so each placement sees the previous ones.
// CloudSim Plus's VmAllocationPolicyFirstFit resumes at the host that took the previous VM (it keeps
// lastHostIndex), which is next fit; its row is checked against AURORA's next-fit baseline. AURORA's
// first-fit is the textbook one (lowest index), the one FunSearch's bin-packing numbers use.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { simulate } from '../../../sim/simulate.js';
import { Scenario } from '../../../sim/scenario.js';
import { compilePolicy } from '../../../sim/policy/compile.js';
import { baselines } from '../../../sim/baselines/registry.js';

const EXPECTED: Record<string, [string, string]> = {
  'worst-fit': ['n1 n1 n0 n1 n0 n1 n2', 'n1 n1 n0 n0 —'],
  'best-fit': ['n2 n0 n0 n1 n1 n1 n1', 'n0 n1 n0 n2 —'],
  'next-fit': ['n0 n0 n1 n1 n1 n1 n2', 'n0 n1 n1 n1 —'],
  'round-robin': ['n0 n1 n2 n0 n1 n1 n1', 'n0 n1 n2 n1 —'],
};

function scenario(cores: number[]): Scenario {
  return Scenario.parse({
    id: 'placement-order',
    domain: 'cloud',
    nodes: [4, 8, 2].map((c, i) => ({ id: `n${i}`, cores: c, mips: 1000 })),
    tasks: cores.map((c, i) => ({ id: `t${i}`, arrival: 0, cores: c, length: 1e12 })),
  });
}

/** The node each task went to at time 0, or — when none took it then. */
function placements(policy: string, cores: number[]): string {
  const result = simulate(scenario(cores), compilePolicy(baselines[policy]), { trace: true });
  assert.is(result.failure, undefined);
  return result.trace!.tasks
    .map((t) => {
      const first = t.history[0];
      return first !== undefined && first.placedAt === 0 ? first.node : '—';
    })
    .join(' ');
}

for (const [policy, [twos, mixed]] of Object.entries(EXPECTED)) {
  const label = policy === 'next-fit' ? 'next-fit (CloudSim Plus "first-fit")' : policy;
  test(`given nodes of 4, 8 and 2 cores, when ${label} places tasks of 2,2,2,2,2,2,2 and of 3,4,1,2,5 cores, then it matches CloudSim Plus`, () => {
    assert.is(placements(policy, [2, 2, 2, 2, 2, 2, 2]), twos);
    assert.is(placements(policy, [3, 4, 1, 2, 5]), mixed);
  });
}

test('given the same nodes, when textbook first-fit places 3,4,1,2,5 cores, then it fills the lowest node first', () => {
  assert.is(placements('first-fit', [2, 2, 2, 2, 2, 2, 2]), 'n0 n0 n1 n1 n1 n1 n2');
  assert.is(placements('first-fit', [3, 4, 1, 2, 5]), 'n0 n1 n0 n1 —');
});

test.run();
