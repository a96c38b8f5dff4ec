import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventSchemas, eventTypes } from '../../events/catalogue.js';
import { envelopeSchema, eventJsonSchemas } from '../../events/json-schema.js';
import { command } from '../../src/commands/schema.js';
import { match, rating, runStarted } from './fixtures.js';

type Schema = { type?: string; properties?: Record<string, Schema>; const?: unknown; required?: string[]; additionalProperties?: unknown };

test('given the catalogue, when generating JSON Schemas, then every type has an envelope schema naming its type and version', () => {
  const schemas = eventJsonSchemas() as Record<string, Schema>;
  assert.equal(Object.keys(schemas), eventTypes);
  for (const type of eventTypes) {
    const s = schemas[type]!;
    assert.is(s.type, 'object');
    assert.equal(s.required, ['type', 'data', 'metadata']);
    assert.is(s.additionalProperties, false);
    assert.is(s.properties!.type!.const, type);
    assert.is(s.properties!.metadata!.properties!.schemaVersion!.const, eventSchemas[type].version);
    assert.is(s.properties!.data!.type, 'object');
  }
  assert.equal(schemas.RatingChanged!.properties!.data!.required, ['policyId', 'matchId', 'before', 'after']);
});

test('given valid events, when checked against their envelope schema, then they pass, and a wrong type does not', () => {
  for (const e of [rating('a'), match('b'), runStarted('c')]) assert.ok(envelopeSchema(e.type).safeParse(e).success, e.type);
  assert.not.ok(envelopeSchema('MatchPlayed').safeParse(rating('a')).success);
});

async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((chunk: string) => ((out += chunk), true)) as typeof process.stdout.write;
  try {
    return { code: await command.run(argv), out };
  } finally {
    process.stdout.write = write;
  }
}

test('given `aurora schema events`, when run, then it prints {type: schema} for every type; with a type, that one', async () => {
  const all = await capture(['events']);
  assert.is(all.code, 0);
  assert.equal(Object.keys(JSON.parse(all.out)), eventTypes);
  const one = await capture(['events', 'MatchPlayed']);
  assert.is((JSON.parse(one.out) as Schema).properties!.type!.const, 'MatchPlayed');
  try {
    await capture(['events', 'MatchLost']);
    assert.unreachable('expected a CliError');
  } catch (err) {
    assert.match((err as Error).message, "unknown event type 'MatchLost'");
  }
});

test.run();
