// The iteration machine (actors/controller.ts): what it asks each role, that the order replies arrive in
// changes nothing, and that an iteration that cannot finish appends nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createActor, toPromise } from 'xstate';
import { iterationMachine, type IterationInput, type IterationOutput } from '../../actors/controller.js';
import type { ReplyOf, RequestOf, Role } from '../../actors/protocol.js';
import type { Requester } from '../../actors/requester.js';
import { baselineId } from '../../actors/self-play.js';
import { openStore } from '../../events/open-store.js';
import { runStream, type EventStore } from '../../events/store.js';
import { hashName } from '../../sim/random.js';
import { baselines } from '../../sim/baselines/index.js';
import type { Transport } from '../../src/transport/port.js';
import { openInProcess } from '../../src/wiring/open-transport.js';
import { fingerprints, openedRun, readRun } from './self-play-fixtures.js';

const RUN = 'ctl';
const config = { scenariosPerIteration: 3, candidatesPerScenario: 2, referenceBaselines: ['first-fit', 'best-fit'] };

let transport: Transport;
test.before(async () => {
  transport = await openInProcess();
});
test.after(async () => {
  await transport.close();
});

interface Call {
  role: Role;
  request: unknown;
}

/** The transport, with every request noted and, optionally, each reply held back for `delay(role, request)` ms. */
function watched(delay: (role: Role, request: unknown) => number = () => 0) {
  const calls: Call[] = [];
  const requester: Requester = {
    async request(role, request, options) {
      calls.push({ role, request });
      const reply = await transport.request(role, request, options);
      const ms = delay(role, request);
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
      return reply;
    },
  };
  return { calls, requester };
}

/** A store holding a freshly opened run, and the input of its first iteration. */
async function firstIteration(requester: Requester): Promise<{ store: EventStore; input: IterationInput }> {
  const store = await openStore('memory:');
  const run = openedRun(RUN, config, 5);
  const { nextRevision } = await store.appendToStream(runStream(RUN), run.events, { expected: 'no_stream' });
  const standing = run.config.referenceBaselines.map((name) => ({ policyId: baselineId(name), policy: baselines[name]! }));
  const input: IterationInput = {
    runId: RUN,
    iteration: 1,
    config: run.config,
    requester,
    store,
    stream: runStream(RUN),
    revision: nextRevision,
    projections: run.projections,
    attackerRequest: {
      runId: RUN,
      iteration: 1,
      level: 1,
      domain: 'cloud',
      count: run.config.scenariosPerIteration,
      seed: hashName(5, 'attacker/1'),
      search: null,
      context: { referenceBaselines: run.config.referenceBaselines, slaTolerance: run.config.slaTolerance, tasks: 5, nodes: 3, incumbents: [] },
    },
    seed: 5,
    population: standing.map((s) => ({ ...s, rating: 1500, evaluations: 0 })),
    defenderSearch: null,
    standing,
    baselineIds: standing.map((s) => s.policyId),
  };
  return { store, input };
}

async function iterate(input: IterationInput): Promise<IterationOutput> {
  const actor = createActor(iterationMachine, { input });
  actor.start();
  return toPromise(actor);
}

test('given an iteration, when it runs, then it asks the attacker once, the defender and the simulator once per scenario, with everything the answer needs', async () => {
  const { calls, requester } = watched();
  const { store, input } = await firstIteration(requester);
  const output = await iterate(input);
  assert.is(output.error, null);
  assert.equal(
    calls.map((c) => c.role),
    ['attacker', 'defender', 'defender', 'defender', 'simulator', 'simulator', 'simulator'],
  );
  const defender = calls.filter((c) => c.role === 'defender').map((c) => c.request as RequestOf<'defender'>);
  const simulator = calls.filter((c) => c.role === 'simulator').map((c) => c.request as RequestOf<'simulator'>);
  const scenarioIds = defender.map((r) => r.scenarioId);
  assert.equal(scenarioIds, [...scenarioIds].sort());
  assert.equal(
    defender.map((r) => r.seed),
    scenarioIds.map((id) => hashName(5, `defender/1/${id}`)),
  );
  assert.ok(defender.every((r) => r.count === 2));
  assert.equal(
    simulator.map((r) => r.scenarioId),
    scenarioIds,
  );
  // Every scenario gets the same pool: the reference baselines and every candidate of the iteration, by id.
  const pool = simulator[0]!.policies.map((p) => p.policyId);
  assert.equal(pool, [...pool].sort());
  assert.is(pool.length, 2 + 3 * 2);
  assert.ok(pool.includes('b-best-fit') && pool.includes('b-first-fit'));
  for (const r of simulator) assert.equal(r.policies, simulator[0]!.policies);
  assert.ok(simulator.every((r) => r.slaTolerance === 0.05));
  // What the machine returned is what it appended.
  const stored = await readRun(store, RUN);
  assert.equal(fingerprints(stored.slice(-output.events.length)), fingerprints(output.events));
  assert.is(output.revision, stored.length - 1);
  assert.is(output.evaluations, 3 * 8);
});

test('given replies that arrive in a scrambled order, when the iteration runs, then its events are those of replies in order', async () => {
  const inOrder = await firstIteration(watched().requester);
  const expected = fingerprints((await iterate(inOrder.input)).events);
  // Later scenarios answer first, and the defender and simulator of one scenario are held back unevenly.
  const scramble = (role: Role, request: unknown) => {
    if (role === 'attacker') return 0;
    const id = (request as { scenarioId: string }).scenarioId;
    return 40 - 15 * Number(id.split('-').at(-1)) + (role === 'simulator' ? 5 : 0);
  };
  const { calls, requester } = watched(scramble);
  const scrambled = await firstIteration(requester);
  const got = fingerprints((await iterate(scrambled.input)).events);
  assert.equal(got, expected);
  assert.is(calls.length, 7);
});

test('given an attacker that fails, when the iteration runs, then it ends with the reason and appends nothing', async () => {
  const failing: Requester = {
    request: (role, request, options) => (role === 'attacker' ? Promise.reject(new Error('attacker down')) : transport.request(role, request, options)),
  };
  const { store, input } = await firstIteration(failing);
  const before = await readRun(store, RUN);
  const output = await iterate(input);
  assert.match(output.error ?? '', /attacker down/);
  assert.equal(output.events, []);
  assert.is(output.revision, input.revision);
  assert.is((await readRun(store, RUN)).length, before.length);
});

test('given a simulator that fails on one scenario, when the iteration runs, then nothing of the iteration is appended', async () => {
  let n = 0;
  const failing: Requester = {
    request: (role, request, options) => (role === 'simulator' && ++n === 2 ? Promise.reject(new Error('evaluation lost')) : transport.request(role, request, options)),
  };
  const { store, input } = await firstIteration(failing);
  const output = await iterate(input);
  assert.match(output.error ?? '', /evaluation lost/);
  assert.ok((await readRun(store, RUN)).every((e) => e.metadata.iteration === 0));
});

test('given an attacker whose every scenario was rejected, when the iteration runs, then it records the rejections and completes without asking anyone else', async () => {
  const { calls, requester } = watched();
  const rejecting: Requester = {
    request: async (role, request, options) => {
      if (role !== 'attacker') return requester.request(role, request, options);
      calls.push({ role, request });
      const reply: ReplyOf<'attacker'> = { scenarios: [], rejected: [{ author: 'attacker:test', reason: 'unsolvable', errors: ['no baseline solves it'], raw: null }] };
      return reply as never;
    },
  };
  const { input } = await firstIteration(rejecting);
  const output = await iterate(input);
  assert.is(output.error, null);
  assert.equal(
    calls.map((c) => c.role),
    ['attacker'],
  );
  assert.equal(
    output.events.map((e) => e.type),
    ['ScenarioRejected', 'IterationCompleted'],
  );
  assert.equal(output.events[0]!.data, { scenarioId: null, author: 'attacker:test', reason: 'unsolvable', errors: ['no baseline solves it'], raw: null });
  assert.is(output.evaluations, 0);
});

test('given someone else appended to the run meanwhile, when the iteration appends, then the append is refused and the iteration fails', async () => {
  const { store, input } = await firstIteration(watched().requester);
  const intruder = openedRun(RUN, config, 5).events[1]!;
  await store.appendToStream(runStream(RUN), [{ ...intruder, metadata: { ...intruder.metadata, eventId: 'intruder' } }], { expected: 'any' });
  const output = await iterate(input);
  assert.match(output.error ?? '', /expected revision/);
  assert.equal(output.events, []);
  assert.ok((await readRun(store, RUN)).every((e) => e.metadata.iteration === 0));
});

test.run();
