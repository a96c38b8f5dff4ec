import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { EventHeap } from '../../../sim/engine/event-heap.js';
import { TagHeap } from '../../../sim/engine/tag-heap.js';

test('given events pushed in any order, when popped, then they come out by time, then kind, then push order', () => {
  fc.assert(
    fc.property(fc.array(fc.record({ time: fc.constantFrom(0, 0.5, 1, 2, 1e9), kind: fc.integer({ min: 0, max: 10 }) }), { maxLength: 300 }), (events) => {
      const h = new EventHeap(4);
      events.forEach((e, i) => h.push(e.time, e.kind, i, -i));
      const expected = events.map((e, i) => ({ ...e, i })).sort((a, b) => a.time - b.time || a.kind - b.kind || a.i - b.i);
      const got: Array<{ time: number; kind: number; i: number }> = [];
      while (h.pop()) {
        assert.is(h.poppedB, -h.poppedA);
        got.push({ time: h.poppedTime, kind: h.poppedKind, i: h.poppedA });
      }
      assert.equal(got, expected);
      assert.is(h.size, 0);
    }),
  );
});

test('given a million pending events, when drained, then the order holds throughout', () => {
  const h = new EventHeap();
  let x = 12345;
  for (let i = 0; i < 1_000_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    h.push((x % 100_000) / 7, x % 11, i, 0);
  }
  let lastT = -1;
  let lastKind = -1;
  let lastSeq = -1;
  let n = 0;
  while (h.pop()) {
    const t = h.poppedTime;
    const k = h.poppedKind;
    const ordered = t > lastT || (t === lastT && (k > lastKind || (k === lastKind && h.poppedA > lastSeq)));
    if (!ordered) assert.unreachable(`out of order at ${n}`);
    lastT = t;
    lastKind = k;
    lastSeq = h.poppedA;
    n++;
  }
  assert.is(n, 1_000_000);
});

test('given interleaved pushes and pops, when compared with a sorted list, then the tag heap agrees', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.record({ key: fc.integer({ min: 0, max: 20 }), val: fc.nat(50) }), fc.constant(null)), { maxLength: 200 }), (ops) => {
      const h = new TagHeap(1);
      const model: Array<[number, number]> = [];
      for (const op of ops) {
        if (op === null) {
          if (model.length === 0) continue;
          model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const [k, v] = model.shift()!;
          assert.equal([h.topKey(), h.topVal()], [k, v]);
          h.pop();
        } else {
          h.push(op.key, op.val);
          model.push([op.key, op.val]);
        }
      }
      assert.is(h.size, model.length);
      h.retain((k) => k % 2 === 0);
      const kept = model.filter(([k]) => k % 2 === 0).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      for (const [k, v] of kept) {
        assert.equal([h.topKey(), h.topVal()], [k, v]);
        h.pop();
      }
      assert.is(h.size, 0);
    }),
  );
});

test.run();
