// Same seed and configuration → identical event fingerprints: twice in one process, on SQLite and on
// PostgreSQL, and in-process versus NATS with three simulator workers in separate processes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRoleHandler } from '../../actors/handlers.js';
import type { Role } from '../../actors/protocol.js';
import type { RunConfigInput } from '../../actors/run-config.js';
import { runSelfPlay } from '../../actors/self-play.js';
import type { Requester } from '../../actors/requester.js';
import { openStore } from '../../events/open-store.js';
import type { EventStore } from '../../events/store.js';
import { verifyCurriculum } from '../../projections/curriculum.js';
import { verifyRatings } from '../../projections/elo.js';
import { NatsTransport } from '../../src/transport/nats/nats-transport.js';
import type { Handler } from '../../src/transport/port.js';
import { openInProcess } from '../../src/wiring/open-transport.js';
import { dropSchema, postgresOff, storeUrl, testSchema } from '../events/support/postgres.js';
import { startNatsServer } from '../support/nats-process.js';
import { startWorker } from '../support/worker-process.js';
import { firstDifference, fingerprints, readRun, smallConfig } from './self-play-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'aurora-determinism-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function play(store: EventStore, requester: Requester, config: RunConfigInput = smallConfig, seed = 3, evaluationParts?: number): Promise<string[]> {
  const result = await runSelfPlay({ store, requester, runId: 'same', seed, config, codeVersion: 'test', ...(evaluationParts ? { evaluationParts } : {}) });
  assert.is(result.status, 'completed');
  const events = await readRun(store, 'same');
  assert.is(verifyRatings(events), null);
  assert.is(verifyCurriculum(events), null);
  return fingerprints(events);
}

async function inProcess(storeUrlText: string, config?: RunConfigInput, seed?: number): Promise<string[]> {
  const store = await openStore(storeUrlText);
  const transport = await openInProcess();
  try {
    return await play(store, transport, config, seed);
  } finally {
    await transport.close();
    await store.close();
  }
}

test('given one seed and configuration, when the run plays twice in one process, then every event has the same fingerprint', async () => {
  const first = await inProcess('memory:');
  const second = await inProcess('memory:');
  assert.equal(second, first, firstDifference(second, first));
  // It is a real run: the curriculum moved and the evolver ran.
  assert.ok(first.some((f) => f.startsWith('CurriculumAdvanced')));
  assert.ok(first.some((f) => f.startsWith('OperatorsEvolved')));
  // And the fingerprints can differ: another seed gives another run.
  const other = await inProcess('memory:', smallConfig, 4);
  assert.not.equal(other, first);
});

test('given the evaluations split into several simulator requests per scenario, when the run plays, then every event is as with one request per scenario', async () => {
  const whole = await inProcess('memory:');
  const requests: number[] = [];
  const store = await openStore('memory:');
  const transport = await openInProcess();
  const counting: Requester = {
    request: (role, request, options) => {
      if (role === 'simulator') requests.push((request as { policies: unknown[] }).policies.length);
      return transport.request(role, request, options);
    },
  };
  try {
    const split = await play(store, counting, smallConfig, 3, 3);
    assert.equal(split, whole, firstDifference(split, whole));
  } finally {
    await transport.close();
    await store.close();
  }
  // It really was split: three requests per scenario, none empty.
  assert.ok(requests.length > 0 && requests.every((n) => n > 0));
  const scenarios = whole.filter((f) => f.startsWith('ScenarioProposed')).length;
  assert.is(requests.length, scenarios * 3);
});

test('given one seed and configuration, when the run is stored in SQLite and in PostgreSQL, then the fingerprints are identical', async () => {
  const onSqlite = await inProcess(`sqlite:${join(dir, 'run.db')}`);
  if (postgresOff) {
    console.log('  (PostgreSQL half not run: AURORA_TEST_POSTGRES_URL=off)');
    return;
  }
  const schema = testSchema();
  try {
    const onPostgres = await inProcess(storeUrl(schema));
    assert.equal(onPostgres, onSqlite, firstDifference(onPostgres, onSqlite));
  } finally {
    await dropSchema(schema);
  }
});

test('given one seed and configuration, when the simulator is three worker processes over NATS, then the fingerprints equal the in-process run', async () => {
  const config: RunConfigInput = { ...smallConfig, iterations: 3, scenariosPerIteration: 3 };
  const local = await inProcess(`sqlite:${join(dir, 'local.db')}`, config);

  const server = await startNatsServer();
  const workers = await Promise.all([1, 2, 3].map(() => startWorker({ role: 'simulator', url: server.url })));
  const none = { kind: 'none' } as const;
  // Attacker and defender are served by this process, on a connection of their own.
  const roles = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  const controller = await NatsTransport.connect({ servers: server.url, credentials: none, log: () => {} });
  const store = await openStore(`sqlite:${join(dir, 'nats.db')}`);
  try {
    const attacker = await roles.serve('attacker', (await createRoleHandler('attacker')) as unknown as Handler<Role>);
    const defender = await roles.serve('defender', (await createRoleHandler('defender')) as unknown as Handler<Role>);
    const overNats = await play(store, controller, config);
    assert.equal(overNats, local, firstDifference(overNats, local));
    // `answeredBy` counts each request once, by the worker whose answer was taken, for every role: per
    // iteration one attacker request, and one defender and one simulator request per scenario.
    const answeredBy = controller.stats().answeredBy;
    const seen = JSON.stringify(answeredBy);
    assert.is(answeredBy[attacker.id], 3, seen);
    assert.is(answeredBy[defender.id], 3 * 3, seen);
    const simulators = workers.map((w) => answeredBy[w.id] ?? 0);
    assert.is(simulators.reduce((n, k) => n + k, 0), 3 * 3, `every evaluation answered once, by a worker process: ${seen}`);
    assert.is(Object.keys(answeredBy).length, 2 + simulators.filter((n) => n > 0).length, `no answer from anyone else: ${seen}`);
    // Spread: the requester probes the queue group soon after new requests come, so the workers it has not
    // heard from yet are found even when the ones it knows answer fast (without that: 1 run in 8).
    assert.ok(simulators.filter((n) => n > 0).length >= 2, `the evaluations were spread over the worker processes: ${seen}`);
  } finally {
    await controller.close();
    await roles.close();
    await store.close();
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await server.stop();
  }
});

test.run();
