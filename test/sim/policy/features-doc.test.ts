import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { renderFeaturesDoc } from '../../../sim/policy/features-doc.js';
import { FEATURES } from '../../../sim/policy/features.js';

const path = new URL('../../../docs/features.md', import.meta.url);

test('given the feature registry, when docs/features.md is compared with the generated text, then they are equal', () => {
  const generated = renderFeaturesDoc();
  if (process.env.UPDATE_DOCS === '1') writeFileSync(path, generated);
  const onDisk = readFileSync(path, 'utf8');
  assert.ok(onDisk === generated, 'docs/features.md is stale: regenerate it with UPDATE_DOCS=1 npm test -- sim/policy/features-doc');
});

test('given the generated doc, when read, then every feature is in it with its unit', () => {
  const doc = renderFeaturesDoc();
  for (const f of FEATURES) assert.ok(doc.includes(`| \`${f.name}\` | ${f.unit.replace(/\|/g, '\\|')} |`), f.name);
});

test.run();
