import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { evolveOperators, evolveRanges, evolveRates, evolveSettings } from '../../../actors/minds/evolver.js';
import { ATTACKER_RATE_FLOOR, defaultAttackerRates, defaultRanges } from '../../../actors/minds/attacker/search.js';
import { DEFENDER_OPERATORS, DEFENDER_RATE_FLOOR, defaultDefenderRates } from '../../../actors/minds/defender/search.js';
import { KNOBS } from '../../../actors/minds/attacker/knobs.js';
import { fold } from '../../../projections/fold.js';
import { evolverEvidence, searchStateProjection, type DefenderEvidence } from '../../../projections/search-state.js';
import { defaultParams } from '../../../sim/workload/defaults.js';
import { eventsOf, proposal, scenarioProposal } from '../../projections/support/events.js';

const sum = (r: Record<string, number>) => Object.values(r).reduce((s, x) => s + x, 0);

function defenderEvidence(points: Record<string, [number, number]>): DefenderEvidence {
  const operators: DefenderEvidence['operators'] = {};
  for (const [op, [matches, won]] of Object.entries(points)) operators[op] = { children: matches, matches, points: won, gainSum: 0, rated: 0 };
  return { role: 'defender', epoch: 0, operators };
}

test('given children of one operator that win and of another that lose, when evolving, then rates move towards the winner and stay normalised', () => {
  const before = defaultDefenderRates();
  const change = evolveSettings('defender', { rates: before }, defenderEvidence({ crossover: [20, 18], 'mutate:constant': [20, 2] }))!;
  const after = (change.after as { rates: Record<string, number> }).rates;
  assert.ok(after.crossover! > before.crossover!);
  assert.ok(after['mutate:constant']! < before['mutate:constant']!);
  assert.ok(Math.abs(sum(after) - 1) < 1e-6);
  assert.equal(Object.keys(after), [...DEFENDER_OPERATORS]);
  assert.equal((change.before as { rates: object }).rates, before);
  assert.ok((change.evidence as { credit: Record<string, number> }).credit.crossover! > 0.5);
});

test('given any evidence, when evolving, then no rate falls below the floor and no rate more than doubles before renormalising', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(50), fc.nat(50)), { minLength: 9, maxLength: 9 }), (pairs) => {
      const credits = Object.fromEntries(DEFENDER_OPERATORS.map((op, i) => [op, { n: pairs[i]![0] + pairs[i]![1], sum: pairs[i]![1] }]));
      let rates = defaultDefenderRates();
      for (let round = 0; round < 20; round++) {
        const next = evolveRates(rates, credits, DEFENDER_OPERATORS, DEFENDER_RATE_FLOOR).rates;
        for (const op of DEFENDER_OPERATORS) {
          assert.ok(next[op]! >= DEFENDER_RATE_FLOOR - 1e-8, `${op} fell to ${next[op]}`);
          assert.ok(next[op]! <= Math.max(DEFENDER_RATE_FLOOR, 2 * rates[op]!) / (1 - 0.5) + 1e-9);
        }
        assert.ok(Math.abs(sum(next) - 1) < 1e-6);
        rates = next;
      }
    }),
  );
});

test('given the same evidence every epoch, when evolving repeatedly, then the losing operator sinks to the floor but never below', () => {
  let rates = defaultDefenderRates();
  const evidence = defenderEvidence(Object.fromEntries(DEFENDER_OPERATORS.map((op) => [op, op === 'mutate:wrap' ? [30, 0] : [30, 20]])));
  for (let i = 0; i < 40; i++) rates = (evolveSettings('defender', { rates }, evidence)!.after as { rates: Record<string, number> }).rates;
  assert.ok(Math.abs(rates['mutate:wrap']! - DEFENDER_RATE_FLOOR) < 1e-6, String(rates['mutate:wrap']));
});

test('given no evidence, when evolving, then nothing changes (null)', () => {
  assert.is(evolveSettings('defender', { rates: defaultDefenderRates() }, { role: 'defender', epoch: 0, operators: {} }), null);
  const s = fold(searchStateProjection, []);
  assert.is(evolveOperators('attacker', s, 'r1', evolverEvidence(s, 'r1', 'attacker')), null);
});

test('given operators credited for evidence the same each time, when evolving twice from the same state, then the result is identical', () => {
  const e = defenderEvidence({ crossover: [5, 3], 'mutate:feature': [4, 1] });
  assert.is(JSON.stringify(evolveSettings('defender', { rates: defaultDefenderRates() }, e)), JSON.stringify(evolveSettings('defender', { rates: defaultDefenderRates() }, e)));
});

test('given well-rewarded scenarios with high load, when evolving the attacker, then the load range moves towards them and stays within the schema', () => {
  const samples = [0.9, 0.8, 0.7, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1].map((reward, i) => ({
    scenarioId: `s-${String(i).padStart(2, '0')}`,
    reward,
    params: { ...defaultParams('cloud', 3), loadFactor: reward > 0.5 ? 2.5 : 0.3 },
  }));
  const ranges = defaultRanges();
  const r = evolveRanges(ranges, samples)!;
  assert.equal(r.top, ['s-00', 's-01', 's-02']);
  assert.ok(r.ranges.loadFactor!.max > ranges.loadFactor!.max);
  assert.ok(r.ranges.loadFactor!.min > ranges.loadFactor!.min);
  for (const k of KNOBS) {
    const x = r.ranges[k.path]!;
    assert.ok(x.min >= k.schema.min && x.max <= k.schema.max && x.min <= x.max, k.path);
    assert.ok(x.max - x.min >= 0.25 * (k.search.max - k.search.min) - 1e-9, `${k.path} collapsed`);
  }
  assert.is(evolveRanges(ranges, samples.slice(0, 2)), null);
});

test('given a run whose perturbed scenarios earned more than its failure scenarios, when the controller evolves the attacker, then perturb gains rate and the change is recorded with its evidence', () => {
  const e = eventsOf('r1').at(1);
  const events = [];
  for (let i = 0; i < 8; i++) {
    const op = i % 2 === 0 ? 'perturb' : 'failures';
    const id = `s-1-${i}`;
    events.push(e('ScenarioProposed', { ...scenarioProposal(id, { level: 3 }), generator: { params: defaultParams('cloud', 3), seed: i, operators: [op], parent: null } as never }));
    events.push(e('AttackerRewarded', { scenarioId: id, solveRate: 0.5, learnability: 0.5, novelty: 0.5, closeness: 1, reward: op === 'perturb' ? 0.8 : 0.2 }));
  }
  events.push(e('PolicyProposed', proposal('p', { parents: [] })));
  const s = fold(searchStateProjection, events);
  const change = evolveOperators('attacker', s, 'r1')!;
  const before = (change.before as { rates: Record<string, number> }).rates;
  const after = (change.after as { rates: Record<string, number> }).rates;
  assert.equal(before, defaultAttackerRates());
  assert.ok(after.perturb! > before.perturb!);
  assert.ok(after.failures! < before.failures!);
  assert.ok(after.failures! >= ATTACKER_RATE_FLOOR);
  assert.ok('ranges' in (change.after as object));
  // Folding the recorded change makes it the state the next requests carry.
  const next = fold(searchStateProjection, [eventsOf('r1').at(2)('OperatorsEvolved', { role: 'attacker', ...change })], s);
  const e2 = evolverEvidence(next, 'r1', 'attacker');
  assert.equal(e2.operators, {});
});

test.run();
