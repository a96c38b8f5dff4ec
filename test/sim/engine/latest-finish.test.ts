// node.latest_finish_est: the engine keeps, per node, the latest node.finish_est its placed tasks had
// when they were placed. Checked against a reference rebuilt from scratch (the trace's placements and
// the estimates the policy saw when it placed each task), and the candidate index and decision
// skipping must still give exactly the full scan's schedule for a policy that reads it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { DecisionContext } from '../../../sim/decision-context.js';
import { compilePolicy } from '../../../sim/policy/compile.js';
import { PolicyCompileError } from '../../../sim/policy/compiled.js';
import { featureDef } from '../../../sim/policy/features.js';
import { Scenario } from '../../../sim/scenario.js';
import { simulate } from '../../../sim/simulate.js';
import { arbBacklog, arbScenario } from './arbitrary.js';
import { handPolicy } from './helpers.js';

const RUNS = Number(process.env.AURORA_PROPERTY_RUNS ?? 150);
const latest = featureDef('node.latest_finish_est')!;
const finishEst = featureDef('node.finish_est')!;

interface Evaluation {
  seq: number;
  now: number;
  task: number;
  node: number;
  latest: number;
  finishEst: number;
}

/** A policy that puts a task where its estimated end is nearest the node's, recording what it read. */
function recordingPolicy(log: Evaluation[]) {
  const read = (c: DecisionContext) => {
    const e: Evaluation = {
      seq: log.length,
      now: c.sim.now,
      task: c.task.index,
      node: c.node!.index,
      latest: latest.get(c),
      finishEst: finishEst.get(c),
    };
    log.push(e);
    return e;
  };
  return handPolicy({
    name: 'end-together-hand',
    filter: (c) => c.task.spec.cores <= c.node!.freeCores,
    score: (c) => {
      const e = read(c);
      return -Math.abs(e.latest - e.finishEst);
    },
  });
}

test('given generated scenarios, then node.latest_finish_est equals the latest estimate among the tasks on the node, rebuilt from the trace', () => {
  let checked = 0;
  let nonZero = 0;
  fc.assert(
    fc.property(arbScenario(), (s) => {
      const log: Evaluation[] = [];
      const r = simulate(s, recordingPolicy(log), { trace: true });
      // The decision that placed a task is the last evaluation of that task on that node at its placement time.
      const placing = new Map<string, Evaluation>();
      for (const e of log) placing.set(`${e.task}|${e.node}|${e.now}`, e);
      const nodeIndex = new Map(s.nodes.map((n, i) => [n.id, i]));
      const attempts = r.trace!.tasks.flatMap((tt, task) =>
        tt.history.map((h) => ({ task, node: nodeIndex.get(h.node)!, placedAt: h.placedAt, end: h.end, by: placing.get(`${task}|${nodeIndex.get(h.node)}|${h.placedAt}`)! })),
      );
      for (const e of log) {
        const here = attempts.filter((a) => a.node === e.node);
        // A task ending at this very instant may leave before or after this decision: not decidable from the trace.
        if (here.some((a) => a.end === e.now)) continue;
        let expected = 0;
        for (const a of here) {
          const placedBefore = a.placedAt < e.now || (a.placedAt === e.now && a.by.seq < e.seq && a.task !== e.task);
          if (placedBefore && a.end > e.now && a.by.finishEst > expected) expected = a.by.finishEst;
        }
        assert.is(e.latest, expected, `task ${e.task} on node ${e.node} at ${e.now}`);
        checked++;
        if (expected > 0) nonZero++;
      }
    }),
    { numRuns: RUNS },
  );
  assert.ok(checked > 100 && nonZero > 20, `too few checks (${checked}, ${nonZero} with tasks placed)`);
});

test('given a policy that reads node.latest_finish_est, then the index and decision skipping give the full scan schedule exactly', () => {
  const policy = () => compilePolicy({ name: 'end-together', order: 'edf', filter: 'node.free_cores_after >= 0', score: '-abs(node.latest_finish_est - node.finish_est) - 0.1 * node.cpu_free_frac_after' });
  fc.assert(
    fc.property(fc.oneof(arbScenario(), arbScenario({ contended: true }), arbBacklog()), (s) => {
      const fast = simulate(s, policy(), { trace: true });
      const full = simulate(s, policy(), { trace: true, fullScan: true });
      assert.equal(fast.trace, full.trace);
      assert.equal(fast.failure, full.failure);
    }),
    { numRuns: RUNS },
  );
});

test('given one node and tasks of known run times, when they are placed one after another, then the latest estimate rises and falls with them', () => {
  // Three 1-core tasks of 10 s, 100 s and 5 s on a 4-core host; a fourth arrives at 50 s and one at 200 s.
  const s = Scenario.parse({
    id: 'latest-finish',
    domain: 'cloud',
    nodes: [{ id: 'h', cores: 4, mips: 1000, pricePerHour: 1 }],
    tasks: [
      { id: 'a', arrival: 0, cores: 1, duration: 10 },
      { id: 'b', arrival: 0, cores: 1, duration: 100 },
      { id: 'c', arrival: 0, cores: 1, duration: 5 },
      { id: 'd', arrival: 50, cores: 1, duration: 1 },
      { id: 'e', arrival: 200, cores: 1, duration: 1 },
    ],
  });
  const seen: Array<[string, number]> = [];
  const policy = handPolicy({ score: (c) => (seen.push([c.task.spec.id, latest.get(c)]), 0) });
  simulate(s, policy);
  assert.equal(seen, [
    ['a', 0],
    ['b', 10],
    ['c', 100],
    ['d', 100],
    ['e', 0],
  ]);
});

test('given the policy language, then node.latest_finish_est compiles in a scheduling policy and not in bin packing', () => {
  assert.is(compilePolicy({ name: 'p', score: 'node.latest_finish_est - node.finish_est' }).domain, 'scheduling');
  assert.throws(
    () => compilePolicy({ name: 'p', score: '-node.latest_finish_est' }, { domain: 'binpack' }),
    (err: unknown) => err instanceof PolicyCompileError && /node\.latest_finish_est' has no meaning in bin packing/.test(err.message),
  );
});

test.run();
