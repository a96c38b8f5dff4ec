import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCsv } from '../../../sim/workload/csv.js';
import { WorkloadImportError } from '../../../sim/workload/import-error.js';
import { importScenario, isImportFormat } from '../../../sim/workload/importers.js';
import { locateJsonFault, parseJsonText } from '../../../sim/workload/json-text.js';

const message = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    assert.instance(err, WorkloadImportError);
    return (err as Error).message;
  }
  return assert.unreachable('expected an error');
};

test('given broken JSON of each kind, when parsed, then the message names line, column and the fault', () => {
  assert.is(message(() => parseJsonText('{\n  "a": 1,\n  "b": }')), 'line 3: invalid JSON: unexpected character "}" (column 8)');
  assert.is(message(() => parseJsonText('{"a": 1')), "line 1: invalid JSON: unexpected end of input (column 8)");
  assert.is(message(() => parseJsonText('')), 'line 1: invalid JSON: unexpected end of input (column 1)');
  assert.is(message(() => parseJsonText('[1, 2,,]')), 'line 1: invalid JSON: unexpected character "," (column 7)');
  assert.is(message(() => parseJsonText('{"a" 1}')), "line 1: invalid JSON: expected ':' after a property name (column 6)");
  assert.is(message(() => parseJsonText('{a: 1}')), 'line 1: invalid JSON: expected a property name in double quotes, found "a" (column 2)');
  assert.is(message(() => parseJsonText('{"a": 01}')), `line 1: invalid JSON: expected ',' or '}', found "1" (column 8)`);
  assert.is(message(() => parseJsonText('[1 2]')), `line 1: invalid JSON: expected ',' or ']', found "2" (column 4)`);
  assert.is(message(() => parseJsonText('"a\\x"')), 'line 1: invalid JSON: invalid escape in string (column 3)');
  assert.is(message(() => parseJsonText('\n\n  "abc')), 'line 3: invalid JSON: unterminated string (column 3)');
  assert.is(message(() => parseJsonText('"a\tb"')), 'line 1: invalid JSON: control character in string (column 3)');
  assert.is(message(() => parseJsonText('{} x')), 'line 1: invalid JSON: unexpected "x" after the end of the document (column 4)');
  assert.is(message(() => parseJsonText('nul')), 'line 1: invalid JSON: unexpected character "n" (column 1)');
  assert.is(message(() => parseJsonText('-')), 'line 1: invalid JSON: invalid number (column 1)');
});

test('given valid JSON, when parsed or scanned, then it parses and the scanner finds no fault', () => {
  const text = '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}, "c": []}';
  assert.equal(parseJsonText(text), JSON.parse(text));
  assert.is(locateJsonFault(text), undefined);
  assert.is(locateJsonFault(' [ ] '), undefined);
});

test('given quoted and padded CSV fields, when parsed, then values and line numbers are right', () => {
  const rows = parseCsv('\uFEFFa, "b,c" ,"say ""hi"""\r\n\r\n  1 ,2,\n');
  assert.equal(rows, [
    { line: 1, fields: ['a', 'b,c', 'say "hi"'] },
    { line: 3, fields: ['1', '2', ''] },
  ]);
  assert.is(message(() => parseCsv('x\n"a"b,c\n')), `line 2: unexpected 'b' after a quoted field`);
});

test('given a format name, when importing through the table, then it dispatches or rejects', () => {
  assert.ok(isImportFormat('azure2017'));
  assert.not.ok(isImportFormat('google2019'));
  const s = importScenario('binpack', '{"capacity": 10, "instances": [{"id": "a", "items": [3, 7, 5]}]}');
  assert.is(s.tasks.length, 3);
  assert.is(importScenario('alibaba2017', '10,20,1,1,1,Terminated,100,0.1\n', { nodes: 1 }).tasks.length, 1);
  assert.is(importScenario('azure2017', '600,600-0,0,b,1,1.75,1,300,300,0\n', { nodes: 1 }).tasks[0]!.duration, 300);
});

test.run();
