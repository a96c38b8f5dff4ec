import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UnknownEventTypeError, UnknownSchemaVersionError, UpcasterRegistry, upcasters } from '../../events/upcasters.js';
import { meta } from './fixtures.js';
import { eventSchemas } from '../../events/catalogue.js';

const old = (version: number, data: unknown) => ({ type: 'MatchPlayed', data, metadata: meta('e1', { schemaVersion: version }) });

function registry(): UpcasterRegistry {
  // Pretend MatchPlayed is at version 3: v1 had `winner`, v2 renamed it to `outcome`, v3 added the rewards.
  return new UpcasterRegistry({ MatchPlayed: 3 })
    .register('MatchPlayed', 1, (d) => {
      const { winner, ...rest } = d as { winner: number };
      return { ...rest, outcome: winner };
    })
    .register('MatchPlayed', 2, (d) => ({ ...(d as object), rewardA: 0, rewardB: 0 }));
}

test('given an event two versions old, when upcast, then each step runs in order and the version is current', () => {
  const up = registry().upcast(old(1, { matchId: 'm', winner: 1 }));
  assert.equal(up.data, { matchId: 'm', outcome: 1, rewardA: 0, rewardB: 0 });
  assert.is(up.metadata.schemaVersion, 3);
  assert.is(up.metadata.eventId, 'e1');
});

test('given an event at the current version, when upcast, then it is returned untouched', () => {
  const e = old(3, { matchId: 'm' });
  assert.is(registry().upcast(e), e);
  assert.is(registry().needsUpcast('MatchPlayed', 3), false);
  assert.is(registry().needsUpcast('MatchPlayed', 2), true);
});

test('given an unknown type, a missing step, a newer or an invalid version, when upcast, then the error names it', () => {
  assert.throws(() => registry().upcast({ ...old(1, {}), type: 'MatchForfeited' }), (err: unknown) => {
    return err instanceof UnknownEventTypeError && (err as Error).message === "unknown event type 'MatchForfeited'";
  });
  const gap = new UpcasterRegistry({ MatchPlayed: 3 }).register('MatchPlayed', 2, (d) => d);
  assert.throws(() => gap.upcast(old(1, {})), (err: unknown) => {
    return err instanceof UnknownSchemaVersionError && (err as Error).message === 'MatchPlayed version 1 (current 3): no upcaster from version 1';
  });
  assert.throws(() => registry().upcast(old(4, {})), /MatchPlayed version 4 \(current 3\): written by newer code/);
  assert.throws(() => registry().upcast(old(0, {})), /MatchPlayed version 0 \(current 3\): not a valid version/);
});

test('given registrations out of range or twice, when registering, then they are refused', () => {
  assert.throws(() => new UpcasterRegistry({ MatchPlayed: 3 }).register('MatchPlayed', 3, (d) => d), /from 1 to 2/);
  assert.throws(() => new UpcasterRegistry().register('Nope', 1, (d) => d), /unknown event type 'Nope'/);
  assert.throws(() => registry().register('MatchPlayed', 1, (d) => d), /already registered/);
});

test("given AURORA's own registry, when asked, then it follows the catalogue's versions", () => {
  assert.is(upcasters.currentVersion('RatingChanged'), 1);
  assert.is(upcasters.needsUpcast('RatingChanged', 1), false);
});

test("given a MatchPlayed stored at version 1 (one game), when AURORA's registry reads it, then it is a round of those two players", () => {
  assert.is(upcasters.currentVersion('MatchPlayed'), 2);
  const v1 = old(1, { matchId: 'm-3-s-3-0-p-a-p-b', scenarioId: 's-3-0', a: 'p-a', b: 'p-b', outcome: 0, rewardA: 0.25, rewardB: 0.5 });
  const up = upcasters.upcast(v1);
  assert.equal(up.data, { matchId: 'm-3-s-3-0-p-a-p-b', scenarioId: 's-3-0', players: ['p-a', 'p-b'], rewards: [0.25, 0.5], outcomes: [0] });
  assert.is(up.metadata.schemaVersion, 2);
  assert.ok(eventSchemas.MatchPlayed.data.safeParse(up.data).success, 'the upcast data is a valid version 2 round');
});

test.run();
