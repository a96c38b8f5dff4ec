import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { KNOBS, readKnob } from '../../../../actors/minds/attacker/knobs.js';
import { mutateParams, operatorsFor } from '../../../../actors/minds/attacker/mutate.js';
import { fitToLevel, sizesFor } from '../../../../actors/minds/attacker/level-fit.js';
import { defaultRanges } from '../../../../actors/minds/attacker/search.js';
import { rngFor } from '../../../../sim/random.js';
import type { Domain } from '../../../../sim/scenario.js';
import { defaultParams } from '../../../../sim/workload/defaults.js';
import { GeneratorParams } from '../../../../sim/workload/params.js';

const domains: Domain[] = ['cloud', 'edge', 'network', 'hybrid'];

test('given any domain, level, operator and seed, when the attacker mutates the defaults, then the result is valid and every moved knob stays within its search range', () => {
  fc.assert(
    fc.property(fc.constantFrom(...domains), fc.integer({ min: 1, max: 10 }), fc.nat(), fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8), (domain, level, seed, i) => {
      const ops = operatorsFor(domain);
      const op = ops[i % ops.length]!;
      const ranges = defaultRanges();
      const base = defaultParams(domain, level);
      const other = defaultParams(domain, Math.max(1, 11 - level));
      const m = mutateParams(op, base, { rng: rngFor(seed, 'test'), domain, ranges, other });
      assert.ok(GeneratorParams.safeParse(m.params).success, `${op} made invalid params: ${JSON.stringify(m.changes)}`);
      for (const k of KNOBS) {
        const before = readKnob(base, k.path)!;
        const after = readKnob(m.params, k.path)!;
        const fromOther = readKnob(other, k.path)!;
        if (after === before || after === fromOther) continue;
        const r = ranges[k.path]!;
        assert.ok(after >= r.min - 1e-9 && after <= r.max + 1e-9, `${op}: ${k.path} = ${after} outside [${r.min}, ${r.max}]`);
      }
    }),
    { numRuns: 300 },
  );
});

test('given a pure cloud request, when listing operators, then congestion (which needs links or edge latencies) is not offered', () => {
  assert.not.ok(operatorsFor('cloud').includes('congestion'));
  assert.ok(operatorsFor('edge').includes('congestion'));
});

test('given an elite of another level, when fitted to a level, then domain, level and the level sizes are forced', () => {
  const elite = { ...defaultParams('edge', 2), loadFactor: 1.4 };
  const sizes = sizesFor(7, {});
  const p = fitToLevel(elite, 'edge', 7, sizes);
  assert.is(p.level, 7);
  assert.is(p.tasks, sizes.tasks);
  assert.is(p.nodes, sizes.nodes);
  assert.is(p.loadFactor, 1.4);
  const fromContext = fitToLevel(elite, 'edge', 7, sizesFor(7, { tasks: 33, nodes: 4 }));
  assert.is(fromContext.tasks, 33);
  assert.ok(fromContext.edge.sites <= 4);
});

test('given a relax step, when applied to a hard point, then load, SLA tightness and failures all go down', () => {
  const hard = { ...defaultParams('cloud', 9), loadFactor: 2 };
  const m = mutateParams('relax', hard, { rng: rngFor(1, 't'), domain: 'cloud', ranges: defaultRanges(), other: null });
  assert.ok(m.params.loadFactor < hard.loadFactor);
  assert.ok(m.params.sla.tightness < hard.sla.tightness);
  assert.ok(m.params.failures.fraction < hard.failures.fraction);
});

test.run();
