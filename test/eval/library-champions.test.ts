// The shipped scenario champions are used outside their own domain (the transfer table runs each on
// another domain's cases): each must run without a fault on a generated scenario of every domain.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compilePolicy } from '../../sim/policy/compile.js';
import { simulate } from '../../sim/simulate.js';
import { generateScenario } from '../../sim/workload/generate.js';
import { listLibrary } from '../../src/eval/library.js';

test('given every shipped scenario champion, when run on a generated scenario of every domain, then none faults', () => {
  const champions = listLibrary({}).filter((e) => e.where === 'shipped' && e.record !== null && !e.name.startsWith('binpack'));
  assert.ok(champions.length >= 6, `${champions.length} shipped scenario champions`);
  for (const domain of ['cloud', 'edge', 'network', 'hybrid'] as const) {
    for (const seed of [1, 2]) {
      const s = generateScenario({ domain, level: 7, seed: 2 ** 31 + seed });
      for (const e of champions) {
        const r = simulate(s, compilePolicy(e.record!.policy));
        assert.is(r.failure, undefined, `${e.name} on ${domain}: ${r.failure?.message}`);
      }
    }
  }
});

test.run();
