import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createOfflineDefender, proposePolicies, MAX_ATTEMPTS } from '../../../../actors/minds/defender/offline.js';
import { MIN_POPULATION } from '../../../../actors/minds/defender/seed-population.js';
import { PoliciesProposed, ProposePolicies, type RatedPolicy } from '../../../../actors/protocol.js';
import { baselines, baselineNames } from '../../../../sim/baselines/index.js';
import { compilePolicy } from '../../../../sim/policy/compile.js';
import { depthOf, num, sizeOf } from '../../../../sim/policy/ast.js';
import { LIMITS } from '../../../../actors/minds/defender/simplify.js';

function population(names: readonly string[]): RatedPolicy[] {
  return names.map((n, i) => ({ policyId: `b-${n}`, policy: baselines[n]!, rating: 1500 + 10 * i, evaluations: 3 }));
}

function request(overrides: Partial<ProposePolicies> = {}): ProposePolicies {
  return ProposePolicies.parse({
    runId: 'run-1',
    iteration: 2,
    scenarioId: 's-2-0',
    scenarioSummary: { domain: 'cloud' },
    population: population([...baselineNames]),
    count: 6,
    seed: 77,
    search: {},
    ...overrides,
  });
}

test('given the same request twice, when the defender answers, then the replies are identical byte for byte', async () => {
  const mind = createOfflineDefender();
  const a = await mind.proposePolicies(request());
  const b = await mind.proposePolicies(request());
  assert.is(JSON.stringify(a), JSON.stringify(b));
  assert.is(mind.name, 'defender:offline');
});

test('given a population, when the defender answers, then it returns count compiling children with unique ids, known parents and a rationale', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const req = request({ seed, count: 10 });
    const reply = PoliciesProposed.parse(proposePolicies(req));
    assert.is(reply.policies.length, 10);
    assert.equal(reply.rejected, []);
    const ids = reply.policies.map((p) => p.policyId);
    assert.equal(ids, Array.from({ length: 10 }, (_, k) => `p-2-s-2-0-${k}`));
    const known = new Set(req.population.map((p) => p.policyId));
    const programs = new Set<string>();
    for (const p of reply.policies) {
      compilePolicy(p.policy);
      assert.ok(p.parents.length >= 1 && p.parents.every((x) => known.has(x)));
      assert.is(p.parents.length, p.operator === 'crossover' ? 2 : 1);
      assert.is(p.author, 'defender:offline');
      assert.is(p.policy.author, 'defender:offline');
      assert.is(p.policy.name, p.policyId);
      assert.match(p.rationale, p.operator);
      assert.ok(p.rationale.includes('⟶'), p.rationale);
      programs.add(JSON.stringify([p.policy.order, p.policy.filter, p.policy.score]));
    }
    assert.is(programs.size, 10, 'children repeat each other');
  }
});

test('given an empty population, when the defender answers, then it breeds from the baselines under their run ids', () => {
  const reply = proposePolicies(request({ population: [] }));
  assert.is(reply.policies.length, 6);
  for (const p of reply.policies) for (const parent of p.parents) assert.ok(parent.startsWith('b-') && baselines[parent.slice(2)] !== undefined);
});

test('given a large population, when the defender answers, then no baseline is added as a parent', () => {
  const evolved = Array.from({ length: MIN_POPULATION }, (_, i) => ({ policyId: `p-1-s-1-0-${i}`, policy: { ...baselines['best-fit']!, name: `e${i}`, score: `-(node.cpu_free_frac_after + ${i + 1} * node.mem_free_frac_after)` }, rating: 1500, evaluations: 2 }));
  const reply = proposePolicies(request({ population: evolved }));
  for (const p of reply.policies) for (const parent of p.parents) assert.ok(parent.startsWith('p-1-'));
});

test('given rates that allow only constant mutation, when breeding, then every child is a constant mutation', () => {
  const rates = { crossover: 0, 'mutate:constant': 1, 'mutate:delete': 0, 'mutate:feature': 0, 'mutate:filter': 0, 'mutate:insert': 0, 'mutate:operator': 0, 'mutate:order': 0, 'mutate:wrap': 0 };
  const reply = proposePolicies(request({ search: { rates } as never, count: 8 }));
  // The floor keeps every operator alive, so a few others may appear; constants dominate.
  const constants = reply.policies.filter((p) => p.operator === 'mutate:constant').length;
  assert.ok(constants >= 6, `${constants} of 8`);
});

test('given a breeder that always writes an invalid tree, when breeding, then each child is retried and finally rejected with the compile errors', () => {
  const broken = () => ({ score: num(Number.NaN), filter: { op: 'bool', value: true } as const, order: 'fifo' as const, details: ['broken on purpose'] });
  const reply = proposePolicies(request({ count: 2 }), { breeder: broken });
  assert.is(reply.policies.length, 0);
  assert.is(reply.rejected.length, 2);
  for (const r of reply.rejected) {
    assert.is(r.author, 'defender:offline');
    assert.match(r.reason, /no valid child/);
    assert.is(r.errors.length, MAX_ATTEMPTS);
    assert.ok(r.errors.some((e) => /finite|score/.test(e)), r.errors.join(' | '));
  }
});

test('given a breeder that fails once then works, when breeding, then the retry yields the child and nothing is rejected', () => {
  let calls = 0;
  const flaky = (_op: unknown, a: { score: never; filter: never; order: never }) => {
    calls += 1;
    return calls === 1 ? null : { ...a, score: num(calls), details: [`constant score ${calls}`] };
  };
  const reply = proposePolicies(request({ count: 1 }), { breeder: flaky as never });
  assert.is(reply.policies.length, 1);
  assert.equal(reply.rejected, []);
});

test('given a search state that records lineages, when not migrating, then crossover pairs parents of one island', () => {
  const pop = population([...baselineNames]);
  const islands: Record<string, string> = {};
  pop.forEach((p, i) => (islands[p.policyId] = i % 2 === 0 ? 'even' : 'odd'));
  const rates = { crossover: 1, 'mutate:constant': 0, 'mutate:delete': 0, 'mutate:feature': 0, 'mutate:filter': 0, 'mutate:insert': 0, 'mutate:operator': 0, 'mutate:order': 0, 'mutate:wrap': 0 };
  const same = proposePolicies(request({ iteration: 4, count: 8, search: { rates, islands } as never }));
  for (const p of same.policies.filter((x) => x.operator === 'crossover')) assert.is(islands[p.parents[0]!], islands[p.parents[1]!]);
  const migrating = proposePolicies(request({ iteration: 6, count: 8, search: { rates, islands } as never }));
  const crossed = migrating.policies.filter((x) => x.operator === 'crossover');
  assert.ok(crossed.length > 0);
  for (const p of crossed) assert.is.not(islands[p.parents[0]!], islands[p.parents[1]!]);
});

test('given rates that favour growing moves, when breeding from the children for many generations, then trees stay within the size and depth limits', () => {
  const rates = { crossover: 1, 'mutate:constant': 0, 'mutate:delete': 0, 'mutate:feature': 0, 'mutate:filter': 1, 'mutate:insert': 3, 'mutate:operator': 0, 'mutate:order': 1, 'mutate:wrap': 3 };
  let pop: RatedPolicy[] = population(['best-fit', 'first-fit', 'cost-greedy']);
  for (let generation = 1; generation <= 25; generation++) {
    const reply = proposePolicies(request({ iteration: generation, population: pop, count: 6, seed: generation, search: { rates } as never }));
    for (const p of reply.policies) {
      const program = compilePolicy(p.policy);
      assert.ok(sizeOf(program.expressions.score.expr) <= LIMITS.score, p.policy.score);
      assert.ok(depthOf(program.expressions.score.expr) <= LIMITS.depth, p.policy.score);
      assert.ok(sizeOf(program.expressions.filter.expr) <= LIMITS.filter, p.policy.filter);
      assert.ok(sizeOf(program.expressions.order.expr) <= LIMITS.order, JSON.stringify(p.policy.order));
    }
    // The children replace the population (with the first baselines kept as a floor of diversity).
    pop = [...pop.slice(0, 3), ...reply.policies.map((p, i) => ({ policyId: p.policyId, policy: p.policy, rating: 1500 + i, evaluations: 1 }))].slice(-12);
  }
});

test.run();
