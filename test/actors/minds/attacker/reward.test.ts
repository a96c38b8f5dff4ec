import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { attackerReward, attackerRewardOf, closeness, learnability, levelCloseness, noveltyScore } from '../../../../actors/minds/attacker/reward.js';
import { complexityOf, levelCurve, levelEquivalent } from '../../../../actors/minds/attacker/complexity.js';
import { scenarioFeatures } from '../../../../projections/scenario-features.js';
import { defaultParams } from '../../../../sim/workload/defaults.js';
import { generateFromParams } from '../../../../sim/workload/generate.js';

const near = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) < eps, `${a} ≠ ${b}`);

test('given solve rates, when computing learnability, then it is 1 − p strictly inside (0, 1) and 0 at the ends', () => {
  assert.is(learnability(0), 0);
  assert.is(learnability(1), 0);
  near(learnability(0.25), 0.75);
  near(learnability(0.9), 0.1);
});

test('given the proposal weights, when combining the parts, then the reward is 0.5 L + 0.3 N + 0.2 C', () => {
  near(attackerReward({ learnability: 0.6, novelty: 0.5, closeness: 1 }), 0.5 * 0.6 + 0.3 * 0.5 + 0.2);
  near(attackerReward({ learnability: 1, novelty: 0, closeness: 0 }, { learnabilityWeight: 2, noveltyWeight: 0, closenessWeight: 0 }), 2);
});

test('given any archive, when measuring novelty, then it lies in [0, 1], is 1 for an empty archive and 0 for a copy', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }), { maxLength: 8 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }), (archive, v) => {
      const n = noveltyScore(v, archive, 5);
      assert.ok(n >= 0 && n <= 1);
    }),
  );
  const v = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  assert.is(noveltyScore(v, [], 5), 1);
  assert.is(noveltyScore(v, [v], 5), 0);
  near(noveltyScore(new Array(10).fill(0), [new Array(10).fill(1)], 5), 1);
});

test('given the default scenarios, when measuring complexity, then it grows with the level and each default sits at its own level', () => {
  const curve = levelCurve('cloud');
  for (let i = 1; i < curve.length; i++) assert.ok(curve[i]! >= curve[i - 1]!);
  assert.ok(curve[9]! > curve[0]!);
  for (const level of [1, 4, 7, 10]) {
    const features = scenarioFeatures(generateFromParams(defaultParams('cloud', level), 0));
    near(levelEquivalent(complexityOf(features), 'cloud'), level, 1e-9);
    near(closeness(features, level, 'cloud'), 1, 1e-9);
  }
});

test('given a scenario far below the target level, when measuring closeness, then it is lower the further away', () => {
  const easy = scenarioFeatures(generateFromParams(defaultParams('cloud', 1), 0));
  assert.ok(closeness(easy, 10, 'cloud') < closeness(easy, 5, 'cloud'));
  near(levelCloseness(1, 10), 0);
  near(levelCloseness(4, 7), 1 - 3 / 9);
});

test('given a scenario, when computing the full reward, then the parts match the helpers and the weights are those given', () => {
  const features = scenarioFeatures(generateFromParams(defaultParams('edge', 3), 0));
  const archive = [scenarioFeatures(generateFromParams(defaultParams('edge', 5), 0))];
  const weights = { learnabilityWeight: 0.5, noveltyWeight: 0.3, closenessWeight: 0.2, noveltyNeighbours: 5 };
  const r = attackerRewardOf({ solveRate: 0.4, features, archive, targetLevel: 3, domain: 'edge', weights });
  near(r.learnability, 0.6);
  near(r.novelty, noveltyScore(features, archive, 5));
  near(r.closeness, 1, 1e-9);
  near(r.reward, 0.5 * 0.6 + 0.3 * r.novelty + 0.2 * r.closeness);
  assert.is(r.solveRate, 0.4);
  const declared = attackerRewardOf({ solveRate: 1, features: [], archive: [], targetLevel: 5, scenarioLevel: 2, weights });
  near(declared.closeness, 1 - 3 / 9);
  assert.is(declared.learnability, 0);
});

test.run();
