// The documentation keeps up with the schemas: every field of a scenario and of the generator's
// parameters is described, and the example in docs/scenario.md is a valid scenario.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Scenario } from '../../../sim/scenario.js';
import { validateScenario } from '../../../sim/validate.js';
import { GeneratorParams } from '../../../sim/workload/params.js';

const doc = (name: string) => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

type Json = { properties?: Record<string, Json>; items?: Json; $ref?: string; $defs?: Record<string, Json>; anyOf?: Json[] };

/** Dotted paths of every field, `[]` for array items; `{min, max}` ranges stop at the range. */
function fieldPaths(schema: Json, defs: Record<string, Json>, prefix = ''): string[] {
  const resolve = (s: Json): Json => (s.$ref ? defs[s.$ref.split('/').pop()!]! : s);
  const out: string[] = [];
  for (const [key, raw] of Object.entries(resolve(schema).properties ?? {})) {
    const s = resolve(raw);
    const path = `${prefix}${key}`;
    out.push(path);
    const props = Object.keys(s.properties ?? {});
    const isRange = props.length === 2 && props.includes('min') && props.includes('max');
    if (s.properties && !isRange) out.push(...fieldPaths(s, defs, `${path}.`));
    if (s.items && resolve(s.items).properties) out.push(...fieldPaths(s.items, defs, `${path}[].`));
  }
  return out;
}

function undocumented(schema: z.ZodType, text: string): string[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return fieldPaths(json, json.$defs ?? {}).filter((p) => !text.includes(`\`${p}\``));
}

test('given the scenario schema, when reading docs/scenario.md, then every field is documented', () => {
  assert.equal(undocumented(Scenario, doc('scenario.md')), []);
});

test('given the generator parameters, when reading docs/workloads.md, then every parameter is documented', () => {
  assert.equal(undocumented(GeneratorParams, doc('workloads.md')), []);
});

test('given the example in docs/scenario.md, when validated, then it is a valid scenario without warnings', () => {
  const example = /```json\n([\s\S]*?)```/.exec(doc('scenario.md'))![1]!;
  const r = validateScenario(JSON.parse(example));
  assert.ok(r.ok, r.ok ? '' : r.errors.join('; '));
  if (r.ok) assert.equal(r.warnings, []);
});

test.run();
