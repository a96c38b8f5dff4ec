import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { fold } from '../../projections/fold.js';
import {
  archivedScenarios,
  empiricalDifficulty,
  noveltyOf,
  scenarioArchiveProjection,
  solveRate,
} from '../../projections/scenario-archive.js';
import { featureNames, novelty, scenarioFeatures, type ScenarioData } from '../../projections/scenario-features.js';
import { baseline, evaluation, eventsOf, given, proposal, scenarioDoc, scenarioProposal } from './support/events.js';

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

test('given a plain scenario, when computing its features, then size, load and the rest are as defined', () => {
  // 4 tasks of 1 core × 2 s arriving each second on 2 nodes of 4 cores: 8 core-s over 8 cores × 5 s.
  const f = scenarioFeatures(scenarioDoc('s', { tasks: 4, nodes: 2 }));
  assert.is(f.length, featureNames.length);
  near(f[0]!, Math.log(5) / Math.log(1001));
  near(f[1]!, Math.log(3) / Math.log(201));
  near(f[2]!, 0.2 / 1.2);
  assert.equal(f.slice(3), [0, 0, 0, 0, 0, 0, 0]);
});

test('given failures, congestion, prices, SLAs, dependencies and memory, when computing features, then each is measured', () => {
  const base = scenarioDoc('s', { tasks: 4, nodes: 2 }) as unknown as Record<string, any>;
  const scenario = {
    ...base,
    nodes: base.nodes.map((n: object) => ({ ...n, memory: 8 })),
    tasks: [
      { id: 't0', arrival: 0, cores: 1, duration: 2, memory: 2, sla: 4 },
      { id: 't1', arrival: 1, cores: 1, length: 2000, memory: 2, deps: ['t0'] },
      { id: 't2', arrival: 2, cores: 1, duration: 2, memory: 2, deps: ['t1'] },
      { id: 't3', arrival: 3, cores: 1, duration: 2, memory: 2 },
    ],
    environment: {
      failures: [{ node: 'n0', at: 1 }],
      // Two overlapping windows cover [0, 2.5] of the horizon [0, 5].
      congestion: [
        { target: 'default', from: 0, until: 2, factor: 0.5 },
        { target: 'default', from: 1, until: 2.5, factor: 0.5 },
      ],
      prices: [{ at: 1, multiplier: 2 }],
    },
  } as unknown as ScenarioData;
  const f = scenarioFeatures(scenario);
  near(f[4]!, 0.5); // one failure over two nodes
  near(f[5]!, 0.5); // congestion fraction
  near(f[6]!, 0.25); // multipliers [1, 2]: CV 1/3, squashed
  near(f[7]!, 0.125); // one task at run time / SLA = 0.5, three without SLA
  near(f[8]!, 1 / 3); // 2 dependencies over 4 tasks = 0.5, squashed
  near(f[9]!, 1 / 6); // 16 GB·s over 16 GB × 5 s = 0.2, squashed
});

test('given tasks arriving at once, when computing burstiness, then it is maximal', () => {
  const s = scenarioDoc('s', { tasks: 3 }) as unknown as Record<string, any>;
  const f = scenarioFeatures({ ...s, tasks: s.tasks.map((t: object) => ({ ...t, arrival: 0 })) } as unknown as ScenarioData);
  assert.is(f[3], 1);
});

test('given random scenarios, when computing features, then every feature lies in [0, 1]', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 30 }), (tasks, nodes) => {
      const f = scenarioFeatures(scenarioDoc('s', { tasks, nodes }));
      assert.ok(f.every((v) => v >= 0 && v <= 1 && Number.isFinite(v)));
    }),
  );
});

test('given an archive, when measuring novelty, then it is the mean distance to the k nearest over √d', () => {
  const archive = [
    [0, 0],
    [1, 0],
    [0, 3],
  ];
  near(novelty([0, 1], archive, 2), (1 + Math.SQRT2) / 2 / Math.SQRT2);
  near(novelty([0, 0], archive, 1), 0);
  // Fewer vectors than k: all are used.
  near(novelty([0, 0], archive, 10), (0 + 1 + 3) / 3 / Math.SQRT2);
  assert.is(novelty([0.5, 0.5], [], 3), 1);
});

test('given an archive in any order, when measuring novelty, then the result is the same to the last bit', () => {
  const vec = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 });
  fc.assert(
    fc.property(vec, fc.array(vec, { maxLength: 12 }), fc.integer({ min: 1, max: 5 }), (v, archive, k) => {
      const reversed = [...archive].reverse();
      assert.is(novelty(v, reversed, k), novelty(v, archive, k));
    }),
  );
});

test('given scenarios, defender evaluations and attacker rewards, when folded, then the archive has solve rates and rewards', () => {
  const e = eventsOf('r1').at(2);
  const state = fold(
    scenarioArchiveProjection,
    given(
      e('PolicyProposed', baseline('ff')),
      e('PolicyProposed', proposal('p')),
      e('ScenarioProposed', scenarioProposal('a', { domain: 'edge', level: 3, tasks: 2 })),
      e('ScenarioProposed', scenarioProposal('b', { tasks: 40, nodes: 9 })),
      e('EvaluationCompleted', evaluation('ff', 'a', 0.9, true)),
      e('EvaluationCompleted', evaluation('p', 'a', 0.5, true)),
      e('EvaluationCompleted', evaluation('q', 'a', 0.4, false)),
      e('EvaluationCompleted', evaluation('q', 'a', 0.4, false)),
      e('AttackerRewarded', { scenarioId: 'a', solveRate: 1 / 3, learnability: 2 / 3, novelty: 0.4, closeness: 1, reward: 0.75 }),
    ),
  );
  const [a, b] = archivedScenarios(state, 'r1');
  assert.equal([a!.scenarioId, a!.domain, a!.level, a!.iteration, a!.evaluations, a!.solved], ['a', 'edge', 3, 2, 3, 1]);
  near(solveRate(a!)!, 1 / 3);
  near(empiricalDifficulty(a!)!, 2 / 3);
  assert.equal([a!.attackerReward, a!.recordedNovelty, a!.learnability], [0.75, 0.4, 2 / 3]);
  assert.is(solveRate(b!), null);
  // Against an archive of one other scenario, novelty is the distance to it.
  const expected = Math.hypot(...a!.features.map((x, i) => x - b!.features[i]!)) / Math.sqrt(featureNames.length);
  near(noveltyOf(state, 'r1', 'a', 5)!, expected);
  assert.is(noveltyOf(state, 'r1', 'zzz', 5), null);
});

test.run();
