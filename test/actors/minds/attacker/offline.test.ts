import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createOfflineAttacker, proposeScenarios } from '../../../../actors/minds/attacker/offline.js';
import { checkSolvable } from '../../../../actors/minds/attacker/solvability.js';
import { ProposeScenarios, ScenariosProposed } from '../../../../actors/protocol.js';
import { baselines } from '../../../../sim/baselines/index.js';
import { validateScenario } from '../../../../sim/validate.js';
import { defaultParams } from '../../../../sim/workload/defaults.js';
import { generateFromParams } from '../../../../sim/workload/generate.js';
import { levelSize } from '../../../../sim/workload/levels.js';
import { parseParams } from '../../../../sim/workload/params.js';

const references = ['best-fit', 'cost-greedy', 'first-fit', 'kubernetes-balanced-allocation'];
const witnesses = references.map((n) => ({ policyId: `b-${n}`, policy: baselines[n]! }));

function request(overrides: Partial<ProposeScenarios> = {}): ProposeScenarios {
  return ProposeScenarios.parse({
    runId: 'run-1',
    iteration: 4,
    level: 3,
    domain: 'cloud',
    count: 4,
    seed: 1234,
    search: {},
    context: { referenceBaselines: references, slaTolerance: 0.05 },
    ...overrides,
  });
}

test('given the same request twice, when the attacker answers, then the replies are identical byte for byte', async () => {
  const mind = createOfflineAttacker();
  const a = await mind.proposeScenarios(request());
  const b = await mind.proposeScenarios(request());
  assert.is(JSON.stringify(a), JSON.stringify(b));
  assert.is(mind.name, 'attacker:offline');
});

test('given a request, when the attacker answers, then it returns count valid, solvable scenarios at the level with deterministic ids', () => {
  const reply = ScenariosProposed.parse(proposeScenarios(request()));
  assert.is(reply.scenarios.length, 4);
  assert.equal(
    reply.scenarios.map((s) => s.scenarioId),
    ['s-4-0', 's-4-1', 's-4-2', 's-4-3'],
  );
  const size = levelSize(3);
  for (const s of reply.scenarios) {
    assert.ok(validateScenario(s.scenario).ok);
    assert.is(s.scenario.id, s.scenarioId);
    assert.is(s.scenario.tasks.length, size.tasks);
    assert.is(s.scenario.nodes.length, size.nodes);
    assert.is(s.scenario.level, 3);
    assert.is(s.author, 'attacker:offline');
    assert.ok(checkSolvable(s.scenario, witnesses, 0.05).solvable, `${s.scenarioId} is not solvable`);
    assert.match(s.rationale, /cloud level 3 scenario/);
  }
});

test('given a proposal, when regenerating it from its generator field, then the same scenario comes out', () => {
  const [s] = proposeScenarios(request({ count: 1 })).scenarios;
  const g = s!.generator as { params: unknown; seed: number; operators: string[] };
  const again = generateFromParams(parseParams(g.params), g.seed);
  assert.equal({ ...again, id: s!.scenarioId }, s!.scenario);
  assert.ok(g.operators.length >= 1);
});

test('given an elite whose dependency chains miss their SLAs under any policy, when proposing from it, then such proposals are rejected with the reason and replaced by solvable ones', () => {
  const hopeless = parseParams({
    ...defaultParams('cloud', 3),
    loadFactor: 3,
    sla: { fraction: 1, tightness: 1 },
    dependencies: { density: 1, maxDeps: 8, window: 5 },
  });
  const elite = { scenarioId: 's-1-0', domain: 'cloud', level: 3, params: hopeless, seed: 1, operators: ['perturb'], reward: 0.9, solveRate: 0.5 };
  const reply = proposeScenarios(request({ count: 3, search: { elites: [elite] } as never }));
  assert.ok(reply.rejected.length >= 1, 'nothing rejected');
  for (const r of reply.rejected) {
    assert.is(r.author, 'attacker:offline');
    assert.match(r.reason, /unsolvable/);
    assert.ok(r.raw !== null);
  }
  assert.is(reply.scenarios.length, 3);
  for (const s of reply.scenarios) assert.ok(checkSolvable(s.scenario, witnesses, 0.05).solvable);
});

test('given incumbents in the context, when proposing, then the rationale reports their pre-screened solve rate', () => {
  const incumbents = ['worst-fit', 'round-robin'].map((n, i) => ({ policyId: `p-1-s-${i}`, policy: baselines[n]! }));
  const reply = proposeScenarios(request({ count: 2, context: { referenceBaselines: references, slaTolerance: 0.05, incumbents } as never }));
  assert.is(reply.scenarios.length, 2);
  for (const s of reply.scenarios) assert.match(s.rationale, /incumbents solve \d\/2/);
});

test('given the curriculum sizes in the context, when proposing, then those sizes are used', () => {
  const reply = proposeScenarios(request({ count: 1, level: 1, context: { tasks: 7, nodes: 2 } as never }));
  assert.is(reply.scenarios[0]!.scenario.tasks.length, 7);
  assert.is(reply.scenarios[0]!.scenario.nodes.length, 2);
});

test('given every domain, when proposing, then the scenarios are valid scenarios of that domain', () => {
  for (const domain of ['edge', 'network', 'hybrid'] as const) {
    const reply = proposeScenarios(request({ domain, count: 2, level: 2 }));
    assert.is(reply.scenarios.length, 2, domain);
    for (const s of reply.scenarios) {
      assert.is(s.scenario.domain, domain);
      assert.ok(validateScenario(s.scenario).ok);
    }
  }
});

test.run();
