import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { monotonicityIn } from '../../../sim/policy/monotonicity.js';
import { parseExpression } from '../../../sim/policy/parser.js';

const m = (source: string) => monotonicityIn('node.index', parseExpression(source).expr);

test('given scores, when analysed for node.index, then provable directions are found', () => {
  assert.is(m('-node.free_cores_after'), 'const');
  assert.is(m('-node.index'), 'dec');
  assert.is(m('node.index'), 'inc');
  assert.is(m('0 - node.index'), 'dec');
  assert.is(m('-2 * node.index + node.free_cores'), 'dec');
  assert.is(m('node.index * -0.5'), 'dec');
  assert.is(m('-(node.index / 3)'), 'dec');
  assert.is(m('min(-node.index, node.free_cores)'), 'dec');
  assert.is(m('exp(-node.index)'), 'dec');
  assert.is(m('clamp(-node.index, 0, 10)'), 'dec');
  assert.is(m('if node.free_cores > 3 then -node.index else 5'), 'dec');
  assert.is(m('0 * node.index'), 'const');
});

test('given scores whose direction in node.index cannot be proved, when analysed, then the answer is unknown', () => {
  assert.is(m('node.index * node.free_cores'), 'unknown');
  assert.is(m('1 / (node.index + 1)'), 'unknown');
  assert.is(m('abs(node.index - 3)'), 'unknown');
  assert.is(m('node.index ^ 2'), 'unknown');
  assert.is(m('max(-node.index, node.index)'), 'unknown');
  assert.is(m('if node.index > 3 then 1 else 0'), 'unknown');
  assert.is(m('task.cores * node.index'), 'unknown');
});

test.run();
