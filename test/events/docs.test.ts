import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventSchemas, eventTypes } from '../../events/catalogue.js';

const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');

test('given the catalogue, when reading docs/events.md, then every type is documented at its current version with its fields', () => {
  for (const type of eventTypes) {
    const { version, data } = eventSchemas[type];
    const heading = `### ${type} (version ${version})`;
    assert.ok(doc.includes(heading), `docs/events.md lacks "${heading}"`);
    const section = doc.slice(doc.indexOf(heading), doc.indexOf('\n### ', doc.indexOf(heading) + 1));
    for (const field of Object.keys((data as unknown as { shape: object }).shape)) {
      assert.ok(section.includes(`| \`${field}\` |`), `docs/events.md: ${type} lacks field ${field}`);
    }
  }
});

test.run();
