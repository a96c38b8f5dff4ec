import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { roleProtocol, type Role } from '../../actors/protocol.js';
import { runSelfPlay } from '../../actors/self-play.js';
import { openStore } from '../../events/open-store.js';
import { compileExactCheck } from '../../events/schema-check.js';
import { admitMessage } from '../../src/transport/boundary.js';
import { copyMessage, copyMessageNoting, decodeMessage, encodeMessage } from '../../src/transport/codec.js';
import { InvalidMessageError } from '../../src/transport/errors.js';
import { InProcessTransport } from '../../src/transport/in-process.js';
import { createRoleHandler } from '../../actors/handlers.js';
import { evaluate, proposePolicies, proposeScenarios } from './fixtures/messages.js';

/** A value written out with its keys in their own order, -0 apart from 0 and binary as bytes: equal strings, same data and order. */
function shape(v: unknown): string {
  if (v instanceof Uint8Array) return `bin[${Array.from(v).join(',')}]:${Object.getPrototypeOf(v) === Uint8Array.prototype}`;
  if (Array.isArray(v)) return `[${v.map(shape).join(',')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${shape((v as Record<string, unknown>)[k])}`).join(',')}}:${Object.getPrototypeOf(v) === Object.prototype}`;
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  return JSON.stringify(v) ?? String(v);
}

const roundTrip = (v: unknown) => decodeMessage(encodeMessage(v));

function outcome(f: () => unknown): { value: string } | { error: string } {
  try {
    return { value: shape(f()) };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

const plain: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -0, 1, -1, 127, 128, -33, 2 ** 32, 2 ** 53, -(2 ** 53) - 2, 0.5, -1e300, 'a', '', 'é😀', 'z'.repeat(40)),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 8 }),
    fc.constant(new Uint8Array([1, 2, 3])),
    fc.constant(Buffer.from([4, 5])),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('b', 'a', 'B', '10', '2', 'é', 'ab', 'constructor', 'x y'), fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
  ),
})).value;

class Thing {
  x = 1;
}
const refused: fc.Arbitrary<unknown> = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  new Map([[1, 2]]),
  new Set([1]),
  new Date(0),
  new Thing(),
  '\ud800',
  [undefined],
  // eslint-disable-next-line no-sparse-arrays
  [1, , 3],
  () => 1,
  10n,
  { [Symbol('s')]: 1 },
);

/** `value` with one of its leaves (or itself) replaced by `bad`, at a position picked by `at`. */
function plant(value: unknown, bad: unknown, at: number): unknown {
  const slots: { holder: Record<string | number, unknown>; key: string | number }[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => (slots.push({ holder: v as unknown as Record<number, unknown>, key: i }), visit(x)));
    else if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) {
      for (const k of Object.keys(v)) slots.push({ holder: v as Record<string, unknown>, key: k }), visit((v as Record<string, unknown>)[k]);
    }
  };
  visit(value);
  if (slots.length === 0) return bad;
  const slot = slots[at % slots.length]!;
  slot.holder[slot.key] = bad;
  return value;
}

test('property: given plain data, when copied as a message, then the copy is exactly what its MessagePack bytes decode to (order of keys, -0, binary)', () => {
  fc.assert(
    fc.property(plain, (v) => {
      const copy = copyMessage(v);
      assert.is(shape(copy), shape(roundTrip(v)));
      if (typeof v === 'object' && v !== null) assert.is.not(copy, v, 'a copy, never the value itself');
    }),
    { numRuns: 500, seed: 20261127 },
  );
});

test('property: given data with something the codec refuses somewhere in it, when copied, then it is refused with the codec\'s own error', () => {
  fc.assert(
    fc.property(plain, refused, fc.nat(), (v, bad, at) => {
      const planted = plant(structuredClone(v), bad, at);
      const copied = outcome(() => copyMessage(planted));
      assert.equal(copied, outcome(() => roundTrip(planted)));
      assert.ok('error' in copied, 'refused');
    }),
    { numRuns: 300, seed: 20261127 },
  );
});

test('given objects nested deeper and deeper, when copied, then the copy refuses them from the depth the encoder does', () => {
  const nest = (n: number) => {
    let v: unknown = 1;
    for (let i = 0; i < n; i++) v = i % 2 ? { v } : [v];
    return v;
  };
  let refusals = 0;
  for (let n = 60; n <= 68; n++) {
    const copied = outcome(() => copyMessage(nest(n)));
    assert.equal(copied, outcome(() => roundTrip(nest(n))), `${n} levels`);
    if ('error' in copied) refusals++;
  }
  assert.ok(refusals > 0 && refusals < 9, 'the limit lies within the depths tried');
});

// ── admission: check + copy, as the in-process transport does it ─────────────────────────────────

interface Message {
  role: Role;
  direction: 'request' | 'reply';
  value: unknown;
}

/** Every message of a short self-play run, as the controller and the role handlers wrote them. */
async function runMessages(): Promise<Message[]> {
  const messages: Message[] = [];
  const t = new InProcessTransport({ log: () => {} });
  for (const role of ['attacker', 'defender', 'simulator'] as const) {
    const handler = (await createRoleHandler(role)) as (r: unknown) => Promise<unknown>;
    await t.serve(role, async (r) => {
      const reply = await handler(r);
      messages.push({ role, direction: 'reply', value: structuredClone(reply) });
      return reply as never;
    });
  }
  const requester = {
    request: (role: Role, r: unknown, o?: object) => {
      messages.push({ role, direction: 'request', value: structuredClone(r) });
      return t.request(role, r as never, o);
    },
  };
  const store = await openStore('memory:');
  await runSelfPlay({ store, requester: requester as never, runId: 'admission', seed: 5, config: { iterations: 2, curriculum: { startLevel: 2, window: 1_000_000 } }, codeVersion: 'test' });
  await t.close();
  return messages;
}

/** What admission did before it had a fast path: zod's parse, then the bytes of its output decoded. */
function byZodAndBytes(role: Role, direction: 'request' | 'reply', value: unknown): unknown {
  const result = roleProtocol[role][direction].safeParse(value);
  if (!result.success) throw new InvalidMessageError(role, direction, 'requester', ['zod refuses']);
  return roundTrip(result.data);
}

const messages = runMessages();

test('given the messages of a self-play run, when admitted, then each takes the fast path and gives what zod and the bytes gave', async () => {
  const all = await messages;
  assert.ok(all.length >= 20, `${all.length} messages`);
  for (const m of all) {
    const schema = roleProtocol[m.role][m.direction];
    assert.ok(compileExactCheck(schema)(copyMessage(m.value)), `${m.role} ${m.direction}: already its own parsed form`);
    const admitted = admitMessage(m.role, m.direction, m.value, 'requester');
    assert.is(shape(admitted), shape(byZodAndBytes(m.role, m.direction, m.value)));
    assert.is.not(admitted, m.value);
  }
});

test('property: given a run\'s messages with a key dropped, added or changed, when admitted, then the result is what zod and the bytes give, or both refuse', async () => {
  const all = await messages;
  const anyValue = fc.oneof(
    fc.constantFrom(undefined, null, 0, -1, 0.5, 3, 1e9, '', 'x', 'fifo', true, [], {}, Number.NaN),
    fc.constant({ id: 'n9', cores: 2 }),
  );
  const edit = fc.record({ message: fc.nat(all.length - 1), at: fc.nat(), op: fc.constantFrom('drop', 'add', 'set'), key: fc.constantFrom('extra', 'explain', 'zone', 'id'), value: anyValue });
  let fast = 0;
  let refusedCount = 0;
  fc.assert(
    fc.property(edit, ({ message, at, op, key, value }) => {
      const m = all[message]!;
      const v = structuredClone(m.value) as object;
      const containers: Record<string, unknown>[] = [];
      const visit = (x: unknown) => {
        if (Array.isArray(x)) x.forEach(visit);
        else if (typeof x === 'object' && x !== null) {
          containers.push(x as Record<string, unknown>);
          Object.values(x).forEach(visit);
        }
      };
      visit(v);
      const target = containers[at % containers.length]!;
      const keys = Object.keys(target);
      if (op === 'drop' && keys.length > 0) delete target[keys[at % keys.length]!];
      else if (op === 'add') target[key] = value;
      else if (keys.length > 0) target[keys[at % keys.length]!] = value;

      const expected = outcome(() => byZodAndBytes(m.role, m.direction, v));
      const got = outcome(() => admitMessage(m.role, m.direction, v, 'requester'));
      if ('error' in expected) {
        refusedCount++;
        assert.ok('error' in got && got.error.startsWith('InvalidMessageError'), JSON.stringify(got).slice(0, 300));
      } else {
        assert.equal(got, expected);
      }
      let copied;
      try {
        copied = copyMessageNoting(v);
      } catch {
        return;
      }
      if (!copied.droppedUndefined && compileExactCheck(roleProtocol[m.role][m.direction])(copied.copy)) {
        fast++;
        assert.ok('value' in expected, 'the fast path never accepts what zod refuses');
      }
    }),
    { numRuns: 400, seed: 20261127 },
  );
  assert.ok(fast >= 20 && refusedCount >= 20, `both answers exercised: ${fast} fast, ${refusedCount} refused`);
});

test('given a task that breaks its object-level refinement, when its request is admitted, then it is refused as zod refuses it', async () => {
  const all = await messages;
  const m = all.find((x) => x.role === 'simulator' && x.direction === 'request')!;
  const request = structuredClone(m.value) as { scenario: { tasks: { length?: number; duration?: number }[] } };
  const task = request.scenario.tasks[0]!;
  const exact = compileExactCheck(roleProtocol.simulator.request);
  assert.ok(exact(copyMessage(request)), 'as sent: accepted on the fast path');
  if (task.duration === undefined) task.duration = 1;
  else task.length = 100; // now both: the refinement says no
  assert.not.ok(exact(copyMessage(request)));
  assert.not.ok(roleProtocol.simulator.request.safeParse(request).success);
  const err = outcome(() => admitMessage('simulator', 'request', request, 'requester'));
  assert.ok('error' in err && /exactly one of length/.test(err.error), JSON.stringify(err).slice(0, 300));
});

test('given a request without the fields zod fills in, when admitted, then the defaults are filled in as zod does', () => {
  const request = evaluate(2);
  assert.not.ok(compileExactCheck(roleProtocol.simulator.request)(copyMessage(request)), 'defaults missing: not its own parsed form');
  const admitted = admitMessage('simulator', 'request', request, 'requester') as ReturnType<typeof roleProtocol.simulator.request.parse>;
  assert.is(admitted.scenario.tasks[0]!.priority, 3);
  assert.is(shape(admitted), shape(byZodAndBytes('simulator', 'request', request)));
});

test('given a message with a schema problem and a value the codec refuses, when admitted, then zod\'s issues are named first', () => {
  const bad = { ...evaluate(2), slaTolerance: Number.NaN, policies: [] };
  const err = (() => {
    try {
      admitMessage('simulator', 'request', bad, 'requester');
    } catch (e) {
      return e as InvalidMessageError;
    }
    return null;
  })();
  assert.instance(err, InvalidMessageError);
  assert.ok(err!.issues.some((i) => i.startsWith('policies')), err!.message);
});

test('given a valid message holding a Map where the schema takes any JSON, when admitted, then the codec refuses it', () => {
  const request = { ...proposeScenarios(1, 5), search: { seen: new Map() } };
  const err = (() => {
    try {
      admitMessage('attacker', 'request', request, 'requester');
    } catch (e) {
      return e as InvalidMessageError;
    }
    return null;
  })();
  assert.instance(err, InvalidMessageError);
  assert.match(err!.message, /Map|search/);
});

test('given an admitted request, when its sender changes the original afterwards, then the admitted copy is unchanged', () => {
  const request = proposePolicies(2);
  const admitted = admitMessage('defender', 'request', request, 'requester') as { scenarioSummary: { tasks: number } };
  (request.scenarioSummary as { tasks: number }).tasks = 99;
  assert.is(admitted.scenarioSummary.tasks, 10);
});

test.run();
