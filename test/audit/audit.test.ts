// `aurora audit` on a recorded run: each query against what the events say, in JSON and for people, and
// one line with exit 2 for anything it does not know.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../events/adapters/sqlite.js';
import type { RecordedEvent } from '../../events/store.js';
import type { EventOf } from '../../events/catalogue.js';
import { aurora, readRun, recordRun, tempDir } from '../replay/support/runs.js';

const temp = tempDir('aurora-audit-');
const url = `sqlite:${join(temp.dir, 'events.db')}`;
let events: RecordedEvent[] = [];
const of = <T extends RecordedEvent['type']>(type: T) => events.filter((e) => e.type === type) as (RecordedEvent & EventOf<T>)[];

test.before(async () => {
  const store = openSqliteStore(join(temp.dir, 'events.db'));
  await recordRun(store, { runId: 'audited' });
  events = await readRun(store, 'audited');
  await store.close();
});
test.after(() => temp.remove());

async function auditJson(...args: string[]) {
  const { code, out, err } = await aurora('audit', 'audited', '--store', url, '--json', ...args);
  assert.is(code, 0, err);
  return JSON.parse(out);
}

interface Node {
  policyId: string;
  operator: string | null;
  repeated: boolean;
  parents: Node[];
}

test('given a policy bred from others, when audited, then its lineage reaches the baselines, and its evaluations and rating history are the recorded ones', async () => {
  const bred = of('PolicyProposed').find((e) => e.metadata.iteration === 3 && e.data.parents.some((p) => !p.startsWith('b-')))!;
  assert.ok(bred, 'iteration 3 has a policy with a bred parent');
  const a = await auditJson('--policy', bred.data.policyId);
  assert.equal([a.lineage.policyId, a.lineage.operator, a.lineage.author, a.lineage.rationale], [bred.data.policyId, bred.data.operator, bred.data.author, bred.data.rationale]);
  assert.equal(a.lineage.parents.map((p: Node) => p.policyId), bred.data.parents);
  const leaves: Node[] = [];
  const walk = (n: Node) => (n.parents.length === 0 ? leaves.push(n) : n.parents.forEach(walk));
  walk(a.lineage);
  for (const leaf of leaves) assert.ok(leaf.operator === 'baseline' || leaf.repeated, `${leaf.policyId} ends the lineage`);
  assert.ok(a.ancestors >= 2, 'parents of parents are followed');

  const evaluated = of('EvaluationCompleted').filter((e) => e.data.policyId === bred.data.policyId);
  assert.equal(a.evaluations.map((e: { evaluationId: string; reward: number }) => [e.evaluationId, e.reward]), evaluated.map((e) => [e.data.evaluationId, e.data.reward]));
  const rated = of('RatingChanged').filter((e) => e.data.policyId === bred.data.policyId);
  assert.equal(a.ratings.map((r: { matchId: string; after: number }) => [r.matchId, r.after]), rated.map((e) => [e.data.matchId, e.data.after]));
  const step = a.ratings[0];
  const match = of('MatchPlayed').find((m) => m.data.matchId === step.matchId)!;
  // The round's games, seen from the policy: every other player once, beaten, drawn with or lost to as recorded.
  const self = match.data.players.indexOf(bred.data.policyId);
  assert.is(step.reward, match.data.rewards[self]);
  assert.equal([...step.beat, ...step.drew, ...step.lostTo].sort(), match.data.players.filter((p) => p !== bred.data.policyId).sort());
  let k = 0;
  for (let i = 0; i < match.data.players.length; i++) {
    for (let j = i + 1; j < match.data.players.length; j++, k++) {
      if (i !== self && j !== self) continue;
      const [opponent, points] = i === self ? [match.data.players[j]!, match.data.outcomes[k]!] : [match.data.players[i]!, 1 - match.data.outcomes[k]!];
      const list = points === 1 ? step.beat : points === 0 ? step.lostTo : step.drew;
      assert.ok(list.includes(opponent), `${opponent}: ${points}`);
    }
  }
  assert.is(a.standing.rating, rated.at(-1)!.data.after);

  const human = await aurora('audit', 'audited', '--store', url, '--policy', bred.data.policyId);
  assert.is(human.code, 0);
  assert.match(human.out, `policy ${bred.data.policyId} in run audited`);
  assert.match(human.out, `  ${bred.data.policyId}  ${bred.data.operator} by ${bred.data.author}, iteration 3`);
  assert.match(human.out, `← ${bred.data.parents[0]}`);
  assert.match(human.out, /rating \d+\.\d: rank \d+ of \d+/);
  assert.match(human.out, `by round, one per scenario`);
  assert.match(human.out, new RegExp(`\\n  ${step.iteration} +${step.scenarioId} `));
});

test('given a scenario, when audited, then it shows how it was generated, what the attacker got, every result best first and its Pareto front', async () => {
  const proposed = of('ScenarioProposed').find((e) => e.metadata.iteration === 2)!;
  const id = proposed.data.scenarioId;
  const a = await auditJson('--scenario', id);
  assert.equal(a.generator, proposed.data.generator);
  assert.equal([a.author, a.rationale, a.level], [proposed.data.author, proposed.data.rationale, proposed.data.level]);
  const reward = of('AttackerRewarded').find((e) => e.data.scenarioId === id)!;
  assert.equal(a.attackerRewards, [{ ...reward.data, iteration: 2 }]);

  const onIt = of('EvaluationCompleted').filter((e) => e.data.scenarioId === id);
  assert.is(a.results.length, onIt.length);
  const rewards = a.results.map((r: { reward: number }) => r.reward);
  assert.equal(rewards, [...rewards].sort((x: number, y: number) => y - x), 'best first');

  // The front, checked against the recorded scores: nobody dominates a member; every other is dominated.
  const scores = new Map(onIt.map((e) => [e.data.policyId, Object.values({ l: e.data.scores.latency, c: e.data.scores.cost, e: e.data.scores.energy, q: e.data.scores.qos, u: e.data.scores.utilisation })]));
  const dominates = (x: number[], y: number[]) => x.every((v, i) => v >= y[i]!) && x.some((v, i) => v > y[i]!);
  const front = new Set<string>(a.paretoFront.map((p: { policyId: string }) => p.policyId));
  assert.ok(front.size > 0);
  for (const [id1, s1] of scores) {
    const dominated = [...scores.values()].some((s2) => dominates(s2, s1));
    assert.is(front.has(id1), !dominated, `${id1} on the front iff not dominated`);
  }

  const human = await aurora('audit', 'audited', '--store', url, '--scenario', id);
  assert.match(human.out, `scenario ${id} in run audited`);
  assert.match(human.out, `made by ${proposed.data.author}:`);
  assert.match(human.out, /generator: .*seed \d+/);
  assert.match(human.out, /attacker reward \d\.\d{4} \(iteration 2\): solve rate/);
  assert.match(human.out, /Pareto front \(\d+ polic(y|ies), hypervolume/);
});

test('given an evaluation and a task, when audited, then the placement is re-derived: candidates with their score terms, exclusions with reasons, and the outcome', async () => {
  const champion = of('RunCompleted')[0]!.data.champion!;
  const evaluation = of('EvaluationCompleted').find((e) => e.data.policyId === champion && e.data.failure === null)!;
  const scenario = of('ScenarioProposed').find((e) => e.data.scenarioId === evaluation.data.scenarioId)!;
  const task = scenario.data.scenario.tasks.at(-1)!.id;
  const a = await auditJson('--evaluation', evaluation.data.evaluationId, '--task', task);
  assert.equal([a.policyId, a.scenarioId, a.task.id], [champion, evaluation.data.scenarioId, task]);
  assert.ok(a.check.same, 're-running the recorded policy on the recorded scenario gives the recorded reward');
  if (a.outcome.node !== null) {
    assert.is(a.explanation.chosen, a.outcome.node, 'the explained decision is the one that placed it');
    assert.ok(a.explanation.candidates.length >= 1);
    for (const c of a.explanation.candidates) assert.ok(c.terms.length >= 1 && Number.isFinite(c.score));
    const nodes = scenario.data.scenario.nodes.length;
    assert.is(a.explanation.candidates.length + a.explanation.excluded.length, nodes, 'every node is accounted for');
    for (const x of a.explanation.excluded) assert.ok(x.reason.length > 0);
  }
  const human = await aurora('audit', 'audited', '--store', url, '--evaluation', evaluation.data.evaluationId, '--task', task);
  assert.match(human.out, `task ${task}: arrives t=`);
  assert.match(human.out, /outcome: (completed|dropped|infeasible|rejected|unfinished)/);
  assert.match(human.out, /re-derived from the recorded scenario and policy: reward \d\.\d{4}, as recorded/);
  if (a.outcome.node !== null) assert.match(human.out, /candidates \(best first\):\n {2}\* /);
});

test('given an iteration, when audited, then it tells what happened in it, in order, with the counts of the log', async () => {
  const inIt = events.filter((e) => e.metadata.iteration === 2);
  const count = (type: string) => inIt.filter((e) => e.type === type).length;
  const a = await auditJson('--iteration', '2');
  assert.is(a.events, inIt.length);
  assert.equal(
    [a.scenarios.length, a.candidates.length, a.evaluations.count, a.matches.rounds, a.attackerRewards.length, a.operatorsEvolved.length],
    [count('ScenarioProposed'), count('PolicyProposed'), count('EvaluationCompleted'), count('MatchPlayed'), count('AttackerRewarded'), count('OperatorsEvolved')],
  );
  const rounds = of('MatchPlayed').filter((e) => e.metadata.iteration === 2);
  assert.is(a.matches.count, rounds.reduce((n, r) => n + r.data.outcomes.length, 0), 'games: one per pair of players of each round');
  assert.equal(a.completed, of('IterationCompleted').find((e) => e.data.iteration === 2)!.data);
  const up = a.ratingMovers.up;
  assert.ok(up.length > 0 && up.every((m: { change: number }, i: number) => i === 0 || m.change <= up[i - 1].change));

  const human = (await aurora('audit', 'audited', '--store', url, '--iteration', '2')).out;
  const order = ['scenarios (', 'policies (', 'evaluations: ', 'matches: ', 'attacker rewards:', 'curriculum: ', 'completed: '].map((h) => human.indexOf(h));
  assert.ok(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!)), `sections in the recorded order: ${order}`);
  if (count('OperatorsEvolved') > 0) assert.match(human, /evolver: (attacker|defender) search settings changed/);

  const start = await auditJson('--iteration', '0');
  assert.is(start.started.seed, 7);
  assert.is(start.candidates.length, of('PolicyProposed').filter((e) => e.metadata.iteration === 0).length, 'the baselines');
});

test('given ids the run does not have, or a query that is not one, when audited, then one line and exit 2', async () => {
  const cases: string[][] = [
    ['--policy', 'p-nope'],
    ['--scenario', 's-nope'],
    ['--evaluation', 'e-nope', '--task', 't0'],
    ['--evaluation', of('EvaluationCompleted')[0]!.data.evaluationId],
    ['--evaluation', of('EvaluationCompleted')[0]!.data.evaluationId, '--task', 'no-such-task'],
    ['--iteration', '99'],
    ['--iteration=-1'],
    ['--iteration', 'two'],
    [],
    ['--policy', 'x', '--scenario', 'y'],
    ['--task', 't0'],
  ];
  for (const args of cases) {
    const { code, out, err } = await aurora('audit', 'audited', '--store', url, ...args);
    assert.is(code, 2, `${args.join(' ')}: ${out}`);
    assert.is(out, '');
    assert.is(err.trim().split('\n').length, 1, err);
  }
  const unknownRun = await aurora('audit', 'nope', '--store', url, '--iteration', '1');
  assert.equal([unknownRun.code, unknownRun.err], [2, "aurora audit: no run 'nope' in this store\n"]);
  assert.match((await aurora('audit', 'audited', '--store', url, '--policy', 'p-nope')).err, /no policy 'p-nope' in run audited \(policies: b-/);
});

test('given a store with an event altered behind its fingerprint, when audited, then one line says the store refused it, exit 1', async () => {
  const path = join(temp.dir, 'tampered.db');
  const store = openSqliteStore(path);
  await recordRun(store, { runId: 'tampered', config: { iterations: 1, scenariosPerIteration: 1, candidatesPerScenario: 1, incumbents: 0 } });
  await store.close();
  const db = new Database(path);
  const row = db.prepare('SELECT bytes FROM aurora_events WHERE position = 30').get() as { bytes: Buffer };
  row.bytes[row.bytes.length - 1]! ^= 1;
  db.prepare('UPDATE aurora_events SET bytes = ? WHERE position = 30').run(row.bytes);
  db.close();
  const { code, out, err } = await aurora('audit', 'tampered', '--store', `sqlite:${path}`, '--iteration', '1');
  assert.equal([code, out], [1, '']);
  assert.match(err, /^aurora audit: the store refused an event of the run: event at position 30 was altered: .*\(aurora replay shows where\)\n$/);
});

test.run();
