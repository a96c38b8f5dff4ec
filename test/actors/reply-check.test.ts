// The check a role machine runs on its mind's answer (actors/machines/reply-check.ts): the answer as zod
// would parse it, without zod when the answer already is its own parsed form; zod's error otherwise.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { replyCheck } from '../../actors/machines/reply-check.js';
import { createOfflineDefender } from '../../actors/minds/defender/offline.js';
import { PoliciesProposed, ScenariosProposed, type RequestOf } from '../../actors/protocol.js';
import { summarizeScenario } from '../../actors/scenario-summary.js';
import { baselines } from '../../sim/baselines/index.js';
import { proposedScenario } from './self-play-fixtures.js';

const scenario = proposedScenario('s-1-0', 1, 21);
const defenderRequest: RequestOf<'defender'> = {
  runId: 'r',
  iteration: 1,
  scenarioId: 's-1-0',
  scenarioSummary: summarizeScenario(scenario.scenario) as never,
  population: ['best-fit', 'first-fit'].map((name, i) => ({ policyId: `b-${name}`, policy: baselines[name]!, rating: 1500 + 10 * i, evaluations: 3 })),
  count: 3,
  seed: 9,
  search: null,
};

const checkPolicies = replyCheck(PoliciesProposed);
const checkScenarios = replyCheck(ScenariosProposed);

test('given an offline mind answer, when checked, then it is accepted as the very same answer, equal to what zod parses', async () => {
  const answer = await createOfflineDefender().proposePolicies(defenderRequest);
  assert.ok(answer.policies.length > 0);
  assert.is(checkPolicies(answer), answer, 'no copy made: it already is its parsed form');
  assert.equal(checkPolicies(answer), PoliciesProposed.parse(answer));
});

test('given an answer that leaves out fields with defaults, when checked, then zod fills them in', () => {
  const answer = { scenarios: [{ ...scenario, scenario: { ...scenario.scenario, description: undefined } }], rejected: [] };
  delete (answer.scenarios[0]!.scenario as { description?: string }).description;
  const checked = checkScenarios(answer as never);
  assert.is.not(checked, answer);
  assert.is(checked.scenarios[0]!.scenario.description, '');
});

test('given an answer that does not validate, when checked, then it throws zod\'s error naming the field', () => {
  assert.throws(() => checkScenarios({ scenarios: 'none', rejected: [] } as never), /scenarios/);
  assert.throws(() => checkPolicies({ policies: [], rejected: [{ author: 'a', reason: 'r', errors: [], raw: new Map() }] } as never), /raw/);
});

test.run();
