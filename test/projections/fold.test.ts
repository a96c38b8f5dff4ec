import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configNumber, evolveCopy, fold, getEntry, putEntry, sortedKeys } from '../../projections/fold.js';
import { eloProjection, ratingOf } from '../../projections/elo.js';
import { eventsOf } from './support/events.js';

test('given a state, when evolving a copy, then the old state is untouched and the new one moved', () => {
  const e = eventsOf('r1');
  const before = fold(eloProjection, [e('MatchPlayed', { matchId: 'm1', scenarioId: 's', players: ['x', 'y'], rewards: [1, 0], outcomes: [1] })]);
  const after = evolveCopy(eloProjection, before, e('MatchPlayed', { matchId: 'm2', scenarioId: 's', players: ['x', 'y'], rewards: [1, 0], outcomes: [1] }));
  assert.is(ratingOf(before, 'r1', 'x'), 1516);
  assert.ok(ratingOf(after, 'r1', 'x')! > 1516);
});

test('given ids that are Object.prototype names, when used as keys, then they are plain entries', () => {
  const dict: Record<string, number> = {};
  assert.is(getEntry(dict, 'constructor'), undefined);
  assert.is(getEntry(dict, 'toString'), undefined);
  putEntry(dict, '__proto__', 1);
  putEntry(dict, 'constructor', 2);
  assert.is(Object.getPrototypeOf(dict), Object.prototype);
  assert.is(getEntry(dict, '__proto__'), 1);
  assert.equal(sortedKeys(dict), ['__proto__', 'constructor']);
});

test('given a run configuration, when reading a number by path, then only finite numbers count', () => {
  const config = { elo: { k: 16, bad: 'x' }, list: [1] };
  assert.is(configNumber(config, ['elo', 'k'], 32), 16);
  assert.is(configNumber(config, ['elo', 'bad'], 32), 32);
  assert.is(configNumber(config, ['list', '0'], 32), 32);
  assert.is(configNumber(null, ['elo', 'k'], 32), 32);
});

test.run();
