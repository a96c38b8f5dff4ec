// examples/python/follow_run.py, the outside consumer in another language, against a real nats-server
// configured from nats.conf: as the `observer` user it follows a live run (the relay copying the store to
// JetStream) from its first event to RunCompleted, in order, with no gap, decoding every payload itself,
// and keeps doing so across nats-server crashes.
// Its MessagePack decoder is also held to AURORA's encoder on random values. (What the observer may not
// do — publish requests or events, create or delete streams — is tested in test/transport/nats-auth.test.ts;
// here: that it cannot purge, edit or delete what it reads either.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { encodeCanonical } from '../../events/codec.js';
import { openMemoryStore } from '../../events/adapters/memory.js';
import { EventRelay } from '../../events/relay/relay.js';
import type { Requester } from '../../actors/requester.js';
import { openInProcess } from '../../src/wiring/open-transport.js';
import { startNatsServer, type NatsServerProcess } from '../support/nats-process.js';
import { startJetStreamServer } from '../support/nats-server.js';
import { runStream } from '../../events/store.js';
import { syntheticRun } from '../../src/bench/synthetic-run.js';
import { readRun, recordRun } from '../replay/support/runs.js';

const example = fileURLToPath(new URL('../../examples/python/follow_run.py', import.meta.url));
const shipped = readFileSync(fileURLToPath(new URL('../../nats.conf', import.meta.url)), 'utf8');
const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0);
const passwords = {
  AURORA_NATS_CONTROLLER_PASSWORD: 'controller-secret',
  AURORA_NATS_WORKER_PASSWORD: 'worker-secret',
  AURORA_NATS_RELAY_PASSWORD: 'relay-secret',
  AURORA_NATS_OBSERVER_PASSWORD: 'observer-secret',
};

let server: NatsServerProcess;
test.before(async () => {
  server = await startNatsServer({
    config: ({ port, storeDir }) => {
      const config = shipped.replace('listen: 127.0.0.1:4222', `listen: 127.0.0.1:${port}`).replace('store_dir: "./.aurora/nats"', `store_dir: "${storeDir}"`);
      if (config === shipped) throw new Error('nats.conf no longer has the expected listen/store_dir lines');
      return config;
    },
    env: passwords,
  });
});
test.after(async () => {
  await server?.stop();
});

interface Line {
  position: number;
  type: string;
  eventId: string;
  runId: string;
  iteration: number;
  streamSequence: number;
  subject: string;
  metadata: unknown;
  data: unknown;
}

test('given a live run relayed to JetStream, when the Python example follows it as the observer, then it prints every event from the first, in order, with no gap', async () => {
  assert.ok(python, 'python3 is installed');
  const store = openMemoryStore();
  const relayLog: string[] = [];
  const relay = EventRelay.start({ store, servers: server.url, connection: { user: 'relay', pass: 'relay-secret' }, log: (l) => relayLog.push(l) });
  const roles = await openInProcess();
  // The run waits before its second iteration until the follower has printed something: it is then
  // certainly following a run in progress, having caught up with what came before.
  let followerLive!: () => void;
  const live = new Promise<void>((resolve) => (followerLive = resolve));
  const gated: Requester = {
    async request(role, request, options) {
      if (role === 'attacker' && (request as { iteration: number }).iteration >= 2) await live;
      return roles.request(role, request, options);
    },
  };
  const lines: Line[] = [];
  let firstLineAt = 0;
  let stderr = '';
  let follower: ReturnType<typeof spawn> | null = null;
  try {
    const running = recordRun(store, { runId: 'followed', requester: gated, config: { iterations: 3, scenariosPerIteration: 2, candidatesPerScenario: 2, incumbents: 1 } });
    // Start following once the first iteration is committed, with nothing but the observer's password.
    const until = Date.now() + 30_000;
    while (!(await readRun(store, 'followed')).some((e) => e.type === 'IterationCompleted') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    follower = spawn(python!, [example, '--server', server.url, '--run', 'followed', '--until-type', 'RunCompleted'], {
      env: { PATH: process.env.PATH ?? '', AURORA_NATS_USER: 'observer', AURORA_NATS_PASSWORD: 'observer-secret' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => follower!.on('exit', (code) => resolve(code)));
    let buffer = '';
    follower.stderr!.on('data', (b: Buffer) => (stderr += b));
    follower.stdout!.on('data', (b: Buffer) => {
      buffer += b;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
        if (lines.length === 1) {
          firstLineAt = performance.now();
          followerLive();
        }
      }
    });
    const timer = setTimeout(() => follower?.kill('SIGKILL'), 60_000);
    const result = await running;
    const runEndedAt = performance.now();
    const code = await exited;
    clearTimeout(timer);
    assert.is(code, 0, `follow_run.py exit ${code}:\n${stderr}\n${relayLog.join('\n')}`);
    assert.is(result.status, 'completed');
    assert.ok(firstLineAt > 0 && firstLineAt < runEndedAt, 'it was following while the run ran');

    const events = await readRun(store, 'followed');
    assert.is(lines.length, events.length, 'every event, from the first to RunCompleted');
    assert.equal(lines.map((l) => l.position), events.map((_, i) => i + 1), 'positions 1..N: in order, no gap, no duplicate');
    lines.forEach((line, i) => {
      const e = events[i]!;
      assert.equal([line.type, line.eventId, line.runId, line.iteration, line.subject], [e.type, e.metadata.eventId, 'followed', e.metadata.iteration, `aurora.events.followed.${e.type}`]);
      assert.equal(line.data, JSON.parse(JSON.stringify(e.data)), `data of position ${e.position}`);
      assert.equal(line.metadata, e.metadata);
    });
  } finally {
    if (follower && follower.exitCode === null) follower.kill('SIGKILL');
    await relay.stop();
    await roles.close();
    await store.close();
  }
});

test('given the Python example following a run, when nats-server is killed with SIGKILL and restarted twice meanwhile, then it reconnects and still prints every event once, in order', async () => {
  assert.ok(python, 'python3 is installed');
  const js = await startJetStreamServer();
  const store = openMemoryStore();
  const relay = EventRelay.start({ store, servers: js.url, timeoutMs: 1000, retryMs: 50, log: () => {} });
  const events = [...syntheticRun({ runId: 'outage', iterations: 3, seed: 5, maxTasks: 6 })];
  const follower = spawn(python!, [example, '--server', js.url, '--run', 'outage', '--until-type', 'RunCompleted'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  follower.stdout!.on('data', (b: Buffer) => (out += b));
  follower.stderr!.on('data', (b: Buffer) => (err += b));
  const exited = new Promise<number | null>((resolve) => follower.on('exit', (code) => resolve(code)));
  const timer = setTimeout(() => follower.kill('SIGKILL'), 60_000);
  try {
    const batches = Math.ceil(events.length / 20);
    for (let b = 0; b < batches; b++) {
      await store.appendToStream(runStream('outage'), events.slice(b * 20, b * 20 + 20));
      await new Promise((r) => setTimeout(r, 10));
      if (b === 2) while (out === '') await new Promise((r) => setTimeout(r, 20)); // it is following
      if (b === Math.floor(batches / 3) || b === Math.floor((2 * batches) / 3)) {
        await js.kill9();
        await new Promise((r) => setTimeout(r, 400));
        await js.restart();
      }
    }
    assert.is(await exited, 0, err);
    const printed = out.trim().split('\n').map((l) => JSON.parse(l) as Line);
    assert.equal(printed.map((l) => l.position), events.map((_, i) => i + 1), 'every event once, in order');
    assert.equal(printed.map((l) => l.eventId), events.map((e) => e.metadata.eventId));
    assert.match(err, /lost the connection .*; reconnecting/);
  } finally {
    clearTimeout(timer);
    if (follower.exitCode === null) follower.kill('SIGKILL');
    await relay.stop();
    await store.close();
    await js.stop();
  }
});

test("given random event-like values, when AURORA's canonical encoder writes them, then the example's decoder reads them back exactly", () => {
  assert.ok(python, 'python3 is installed');
  const value = fc.letrec((tie) => ({
    any: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('list'), tie('map')),
    leaf: fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      fc.maxSafeInteger(),
      fc.maxSafeNat().map((n) => -n),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ minLength: 200, maxLength: 70_000 }).filter((s) => s.length >= 32),
    ),
    list: fc.array(tie('any'), { maxLength: 20 }),
    map: fc.dictionary(fc.string({ maxLength: 10 }), tie('any'), { maxKeys: 20, noNullPrototype: true }),
  })).any;
  const samples = fc.sample(value, { numRuns: 300, seed: 42 });
  samples.push(Array.from({ length: 70_000 }, (_, i) => i), Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, i % 3 === 0 ? -i : i / 7])));
  const input = samples.map((v) => Buffer.from(encodeCanonical(v)).toString('hex')).join('\n');
  const script = [
    'import json, sys',
    'sys.dont_write_bytecode = True  # no __pycache__ in examples/',
    `sys.path.insert(0, ${JSON.stringify(fileURLToPath(new URL('../../examples/python', import.meta.url)))})`,
    'from follow_run import unpack, jsonable',
    'for line in sys.stdin:',
    '    print(json.dumps(jsonable(unpack(bytes.fromhex(line.strip()))), ensure_ascii=False))',
  ].join('\n');
  const run = spawnSync(python!, ['-c', script], { input, maxBuffer: 256 * 1024 * 1024 });
  assert.is(run.status, 0, String(run.stderr));
  const decoded = String(run.stdout).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  assert.is(decoded.length, samples.length);
  decoded.forEach((d, i) => assert.equal(d, samples[i], `sample ${i}`));
});

test('given the observer, when it tries to purge the stream, delete or fetch-and-edit its messages, or change it, then the server refuses', async () => {
  const open: NatsConnection[] = [];
  try {
    const relay = await connect({ servers: server.url, user: 'relay', pass: 'relay-secret' });
    open.push(relay);
    const relayJsm = await jetstreamManager(relay);
    const before = await relayJsm.streams.info('AURORA_EVENTS');
    assert.ok(before.state.messages > 0, 'the previous test left events in the stream');

    const observer = await connect({ servers: server.url, user: 'observer', pass: 'observer-secret' });
    open.push(observer);
    const jsm = await jetstreamManager(observer, { checkAPI: false });
    const attempts = [
      () => jsm.streams.purge('AURORA_EVENTS'),
      () => jsm.streams.deleteMessage('AURORA_EVENTS', 1),
      () => jsm.streams.update('AURORA_EVENTS', { max_msgs: 1 }),
    ];
    for (const attempt of attempts) {
      const refused = await attempt().then(() => null, (e: unknown) => e);
      assert.instance(refused, Error);
      assert.match(String(refused), /Permissions Violation/i);
    }
    const after = await relayJsm.streams.info('AURORA_EVENTS');
    assert.equal([after.state.messages, after.config.max_msgs], [before.state.messages, before.config.max_msgs], 'the stream is untouched');
  } finally {
    for (const nc of open) await nc.close().catch(() => {});
  }
});

test.run();
