// The exact schedules of ../shared/data/cloudsim/VECTORS.md, one test per row, and its placement-order table.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { simulate } from '../../../sim/simulate.js';
import { handPolicy, node, pinned, scenario, task } from './helpers.js';

type Row = Array<[id: string, start: number, finish: number]>;

function schedule(s: ReturnType<typeof scenario>, policy = pinned(() => 0)): Row {
  const r = simulate(s, policy, { trace: true });
  assert.is(r.failure, undefined);
  return r.trace!.tasks.map((t) => [t.id, t.start!, t.finish!]);
}

const ts = (id: string, cores: number, mips: number) => node(id, cores, mips, { mode: 'time-shared' });
const ss = (id: string, cores: number, mips: number) => node(id, cores, mips, { mode: 'space-shared' });

test('row 1 (CloudSimExample1): given one task of 400 000 MI on one 1000 MIPS core, then it runs 0 → 400', () => {
  assert.equal(schedule(scenario({ nodes: [ts('n0', 1, 1000)], tasks: [task('t0', 1, 400_000)] })), [['t0', 0, 400]]);
});

test('row 2 (CloudSimExample2): given two 250 MIPS nodes and one task each, then both run 0 → 1000', () => {
  const s = scenario({
    nodes: [ts('n0', 1, 250), ts('n1', 1, 250)],
    tasks: [task('t0', 1, 250_000), task('t1', 1, 250_000)],
  });
  assert.equal(schedule(s, pinned((t) => t)), [
    ['t0', 0, 1000],
    ['t1', 0, 1000],
  ]);
});

test('row 3 (CloudSimExample3): given 250 and 500 MIPS nodes, then t1 runs 0 → 80 and t0 0 → 160', () => {
  const s = scenario({
    nodes: [ts('n0', 1, 250), ts('n1', 1, 500)],
    tasks: [task('t0', 1, 40_000), task('t1', 1, 40_000)],
  });
  assert.equal(schedule(s, pinned((t) => t)), [
    ['t0', 0, 160],
    ['t1', 0, 80],
  ]);
});

test('row 4 (TwoCloudletsAndOneTimeSharedVm): given two tasks sharing one core, then both run 0 → 20', () => {
  const s = scenario({ nodes: [ts('n0', 1, 1000)], tasks: [task('t0', 1, 10_000), task('t1', 1, 10_000)] });
  assert.equal(schedule(s), [
    ['t0', 0, 20],
    ['t1', 0, 20],
  ]);
});

test('row 5 (TwoCloudletsAndOneSpaceSharedVm): given one space-shared core, then t0 runs 0 → 10 and t1 10 → 20', () => {
  const s = scenario({ nodes: [ss('n0', 1, 1000)], tasks: [task('t0', 1, 10_000), task('t1', 1, 10_000)] });
  assert.equal(schedule(s), [
    ['t0', 0, 10],
    ['t1', 10, 20],
  ]);
});

test('row 6: given three equal tasks on one time-shared core, then all run 0 → 30', () => {
  const s = scenario({
    nodes: [ts('n0', 1, 1000)],
    tasks: [task('t0', 1, 10_000), task('t1', 1, 10_000), task('t2', 1, 10_000)],
  });
  assert.equal(schedule(s), [
    ['t0', 0, 30],
    ['t1', 0, 30],
    ['t2', 0, 30],
  ]);
});

test('row 7 (BasicFirstExample): given utilisation 0.5 tasks two per 4-core node, then all run 0 → 20', () => {
  const half = { utilisation: 0.5 };
  const s = scenario({
    nodes: [ts('n0', 4, 1000), ts('n1', 4, 1000)],
    tasks: [task('t0', 2, 10_000, half), task('t1', 2, 10_000, half), task('t2', 2, 10_000, half), task('t3', 2, 10_000, half)],
  });
  assert.equal(schedule(s, pinned((t) => t % 2)), [
    ['t0', 0, 20],
    ['t1', 0, 20],
    ['t2', 0, 20],
    ['t3', 0, 20],
  ]);
});

test('row 8 (README minimal example): given two utilisation 0.5 tasks on one core, then both run 0 → 40', () => {
  const half = { utilisation: 0.5 };
  const s = scenario({ nodes: [ts('n0', 1, 1000)], tasks: [task('t0', 1, 10_000, half), task('t1', 1, 10_000, half)] });
  assert.equal(schedule(s), [
    ['t0', 0, 40],
    ['t1', 0, 40],
  ]);
});

test('row 9: given four 2-core tasks on a 4-core space-shared node, then two run 0 → 10 and two 10 → 20', () => {
  const s = scenario({
    nodes: [ss('n0', 4, 1000)],
    tasks: [task('t0', 2, 10_000), task('t1', 2, 10_000), task('t2', 2, 10_000), task('t3', 2, 10_000)],
  });
  assert.equal(schedule(s), [
    ['t0', 0, 10],
    ['t1', 0, 10],
    ['t2', 10, 20],
    ['t3', 10, 20],
  ]);
});

test('row 10: given four 1-core tasks on a 2-core time-shared node, then all run 0 → 20', () => {
  const s = scenario({
    nodes: [ts('n0', 2, 1000)],
    tasks: [task('t0', 1, 10_000), task('t1', 1, 10_000), task('t2', 1, 10_000), task('t3', 1, 10_000)],
  });
  assert.equal(schedule(s), [
    ['t0', 0, 20],
    ['t1', 0, 20],
    ['t2', 0, 20],
    ['t3', 0, 20],
  ]);
});

test('row 11 (CloudSimExample6 per VM): given three and then four 1000 MI tasks on one core, then 0 → 3 and 0 → 4', () => {
  for (const k of [3, 4]) {
    const s = scenario({
      nodes: [ts('n0', 1, 1000)],
      tasks: Array.from({ length: k }, (_, i) => task(`t${i}`, 1, 1000)),
    });
    assert.equal(
      schedule(s),
      Array.from({ length: k }, (_, i) => [`t${i}`, 0, k]),
    );
  }
});

// Placement order: three nodes with 4, 8 and 2 cores; tasks never finish within the check.
const fits = (c: Parameters<NonNullable<Parameters<typeof handPolicy>[0]['filter']>>[0]) =>
  c.task.spec.cores <= c.node!.freeCores;
const placements = {
  'worst-fit': handPolicy({ filter: fits, score: (c) => c.node!.freeCores }),
  'best-fit': handPolicy({ filter: fits, score: (c) => -c.node!.freeCores }),
  // CloudSim Plus's FirstFit resumes its search at the last host used (not after it).
  'first-fit': handPolicy({
    filter: fits,
    score: (c) => {
      const n = c.sim.nodeCount;
      return -((((c.node!.index - Math.max(0, c.sim.lastPlacedNode)) % n) + n) % n);
    },
  }),
  'round-robin': handPolicy({
    filter: fits,
    score: (c) => {
      const n = c.sim.nodeCount;
      return -((((c.node!.index - c.sim.lastPlacedNode - 1) % n) + n) % n);
    },
  }),
};
const expected: Record<keyof typeof placements, [string, string]> = {
  'worst-fit': ['n1 n1 n0 n1 n0 n1 n2', 'n1 n1 n0 n0 —'],
  'best-fit': ['n2 n0 n0 n1 n1 n1 n1', 'n0 n1 n0 n2 —'],
  'first-fit': ['n0 n0 n1 n1 n1 n1 n2', 'n0 n1 n1 n1 —'],
  'round-robin': ['n0 n1 n2 n0 n1 n1 n1', 'n0 n1 n2 n1 —'],
};

for (const [name, policy] of Object.entries(placements) as Array<[keyof typeof placements, (typeof placements)['first-fit']]>) {
  for (const [i, sizes] of [[2, 2, 2, 2, 2, 2, 2], [3, 4, 1, 2, 5]].entries()) {
    test(`placement order: given ${name} and tasks asking ${sizes.join(',')} cores, then nodes are ${expected[name][i]}`, () => {
      for (const fullScan of [false, true]) {
        const s = scenario({
          nodes: [ts('n0', 4, 1000), ts('n1', 8, 1000), ts('n2', 2, 1000)],
          tasks: sizes.map((c, k) => task(`t${k}`, c, 1e9)),
        });
        const r = simulate(s, policy, { trace: true, fullScan });
        const got = r.trace!.tasks.map((t) => (t.placedAt === 0 ? t.node : '—')).join(' ');
        assert.is(got, expected[name][i], `fullScan=${fullScan}`);
      }
    });
  }
}

test.run();
