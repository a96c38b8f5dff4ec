import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findDependencyCycle, formatErrors, infeasibleTasks, validateScenario } from '../../sim/validate.js';

// Loosely typed on purpose: the tests build scenarios the types would forbid.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** A small valid scenario; tests change one thing at a time. */
function base(): Loose & { nodes: Loose[]; links: Loose[]; tasks: Loose[] } {
  return {
    id: 's',
    domain: 'hybrid',
    nodes: [
      { id: 'n1', cores: 8, mips: 2000, memory: 32, zone: 'az' },
      { id: 'n2', cores: 4, mips: 1000, memory: 8, zone: 'site', latency: { cam: 0.002 } },
    ],
    links: [{ id: 'l1', source: 'feed', zone: 'az', bandwidth: 100 }],
    tasks: [
      { id: 't1', arrival: 0, cores: 2, duration: 5 },
      { id: 't2', arrival: 1, cores: 1, length: 1000, deps: ['t1'], source: 'cam' },
      { id: 't3', arrival: 2, cores: 4, duration: 3, source: 'feed', memory: 16 },
    ],
  };
}

function errorsOf(input: unknown): string[] {
  const r = validateScenario(input);
  assert.is(r.ok, false, 'expected the scenario to be rejected');
  return r.ok ? [] : r.errors;
}

function warningsOf(input: unknown): string[] {
  const r = validateScenario(input);
  if (!r.ok) assert.unreachable(`expected a valid scenario, got ${r.errors.join('; ')}`);
  return r.ok ? r.warnings : [];
}

test('given a well-formed scenario, when validated, then it passes with defaults filled and no warnings', () => {
  const r = validateScenario(base());
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.warnings, []);
  assert.is(r.scenario.schemaVersion, 1);
  assert.is(r.scenario.nodes[0]!.mode, 'time-shared');
  assert.equal(r.scenario.tasks[0]!.deps, []);
  assert.equal(r.scenario.environment, { failures: [], congestion: [], prices: [] });
});

test('given a zero core count, when validated, then the error names the path and the bound', () => {
  const s = base();
  s.tasks[2]!.cores = 0;
  assert.equal(errorsOf(s), ['tasks[2].cores: must be at least 1']);
});

test('given NaN, Infinity and negative sizes built in code, when validated, then each is rejected by path', () => {
  const s = base();
  s.nodes[0]!.mips = NaN;
  s.tasks[0]!.duration = Infinity;
  s.tasks[1]!.memory = -2;
  s.tasks[2]!.dataSize = -Infinity;
  const errors = errorsOf(s);
  assert.ok(errors.includes('nodes[0].mips: must be a finite number (got NaN)'), errors.join('\n'));
  assert.ok(errors.includes('tasks[0].duration: must be a finite number (got Infinity)'), errors.join('\n'));
  assert.ok(errors.includes('tasks[1].memory: must not be negative'), errors.join('\n'));
  assert.ok(errors.includes('tasks[2].dataSize: must be a finite number (got -Infinity)'), errors.join('\n'));
});

test('given fields of the wrong kind, unknown or missing, when validated, then each message says which', () => {
  const s = base();
  s.domain = 'moon';
  s.tasks[0]!.cores = '2';
  s.tasks[1]!.colour = 'red';
  delete s.nodes[1]!.mips;
  s.tasks[2]!.cores = 1.5;
  const errors = errorsOf(s);
  assert.ok(errors.includes('domain: must be one of "cloud", "edge", "network", "hybrid"'), errors.join('\n'));
  assert.ok(errors.includes('tasks[0].cores: must be a number (got a string)'), errors.join('\n'));
  assert.ok(errors.includes("tasks[1]: unknown field 'colour'"), errors.join('\n'));
  assert.ok(errors.includes('nodes[1].mips: is required'), errors.join('\n'));
  assert.ok(errors.includes('tasks[2].cores: must be a whole number'), errors.join('\n'));
});

test('given a task with both length and duration, when validated, then the refinement message is kept', () => {
  const s = base();
  s.tasks[0]!.length = 10;
  assert.equal(errorsOf(s), ['tasks[0]: give exactly one of length (MI per core) or duration (s)']);
});

test('given something that is not an object, when validated, then the root is named', () => {
  assert.equal(errorsOf(42), ['scenario: must be an object (got a number)']);
});

test('given duplicate node, link and task ids, when validated, then each duplicate points at the first', () => {
  const s = base();
  s.nodes.push({ id: 'n1', cores: 1, mips: 1 });
  s.links.push({ id: 'l1', source: 'x', zone: 'az', bandwidth: 1 });
  s.tasks.push({ id: 't2', arrival: 0, cores: 1, duration: 1 });
  assert.equal(errorsOf(s), [
    "nodes[2].id: duplicate node id 'n1' (first at nodes[0])",
    "links[1].id: duplicate link id 'l1' (first at links[0])",
    "tasks[3].id: duplicate task id 't2' (first at tasks[1])",
  ]);
});

test('given a dependency on an unknown task, when validated, then the dependency is named', () => {
  const s = base();
  s.tasks[2]!.deps = ['t1', 'ghost'];
  assert.equal(errorsOf(s), ["tasks[2].deps[1]: unknown task 'ghost'"]);
});

test('given a dependency cycle, when validated, then one cycle is named in order', () => {
  const s = base();
  s.tasks.push({ id: 't4', arrival: 3, cores: 1, duration: 1, deps: ['t1'] });
  s.tasks[0]!.deps = ['t4'];
  assert.equal(errorsOf(s), ['dependency cycle: t1 → t4 → t1']);
});

test('given a task that waits for itself, when validated, then that is a cycle of one', () => {
  const s = base();
  s.tasks[2]!.deps = ['t3'];
  assert.equal(errorsOf(s), ['dependency cycle: t3 → t3']);
});

test('given a long chain, when searching for cycles, then none is found and the stack does not overflow', () => {
  const tasks = Array.from({ length: 50_000 }, (_, i) => ({ id: `t${i}`, deps: i === 0 ? [] : [`t${i - 1}`] }));
  assert.is(findDependencyCycle(tasks), undefined);
  tasks[0]!.deps = ['t49999'];
  assert.is(findDependencyCycle(tasks)!.length, 50_001);
});

test('given a failure of an unknown node, when validated, then the node is named', () => {
  const s = base();
  s.environment = { failures: [{ node: 'n1', at: 1, until: 2 }, { node: 'n9', at: 3 }] };
  assert.equal(errorsOf(s), ["environment.failures[1].node: unknown node 'n9'"]);
});

test('given congestion on a link, a node zone and a link zone, when validated, then all are accepted', () => {
  const s = base();
  s.environment = {
    congestion: [
      { target: 'l1', from: 0, until: 1, factor: 0.5 },
      { target: 'site', from: 0, until: 1, factor: 0.5 },
      { target: 'az', from: 0, until: 1, factor: 0.5 },
    ],
  };
  assert.equal(warningsOf(s), []);
});

test('given congestion on something that is neither a link nor a zone, when validated, then it is an error', () => {
  const s = base();
  s.environment = { congestion: [{ target: 'mars', from: 0, until: 1, factor: 0.5 }] };
  assert.equal(errorsOf(s), ["environment.congestion[0].target: 'mars' is neither a link id nor a zone"]);
});

test('given tasks no node can hold, when validated, then it passes with one warning listing them and why', () => {
  const s = base();
  s.tasks.push({ id: 'big', arrival: 0, cores: 16, duration: 1 });
  s.tasks.push({ id: 'fat', arrival: 0, cores: 2, memory: 64, duration: 1 });
  s.tasks.push({ id: 'deaf', arrival: 0, cores: 1, duration: 1, source: 'nowhere' });
  s.tasks.push({ id: 'far', arrival: 0, cores: 6, duration: 1, source: 'cam' });
  const warnings = warningsOf(s);
  assert.is(warnings.length, 1, warnings.join('\n'));
  assert.is(
    warnings[0],
    '4 tasks no node can ever hold (the engine drops them): big (needs 16 cores, the largest node has 8), ' +
      'fat (needs 64 GB memory, the most on a node with 2 cores is 32 GB), ' +
      "deaf (data source 'nowhere' reaches no node), far (data source 'cam' reaches no node large enough)",
  );
});

test('given a scenario with links, when a task has data from a source without a link, then it is infeasible (data travels on links)', () => {
  const s = base();
  s.tasks[1]!.dataSize = 1; // cam reaches n2 by latency only; with links present, data needs a link
  s.tasks[2]!.dataSize = 5; // feed has a link into az, where n1 is
  assert.equal(warningsOf(s), ["1 task no node can ever hold (the engine drops them): t2 (its 1 MB need a link from 'cam', and there is none)"]);
  s.links = [];
  s.tasks[2]!.source = undefined;
  assert.equal(warningsOf(s), [], 'without any links, data moves freely and latency is enough');
});

test('given a node without memory, when checking feasibility, then memory does not limit it', () => {
  const s = base();
  s.nodes.push({ id: 'plain', cores: 2, mips: 1000 });
  s.tasks.push({ id: 'fat', arrival: 0, cores: 2, memory: 500, duration: 1 });
  assert.equal(warningsOf(s), []);
});

test('given a task waiting for an infeasible one, when validated, then a second warning names it', () => {
  const s = base();
  s.tasks.push({ id: 'big', arrival: 0, cores: 99, duration: 1 });
  s.tasks.push({ id: 'after', arrival: 0, cores: 1, duration: 1, deps: ['big'] });
  s.tasks.push({ id: 'later', arrival: 0, cores: 1, duration: 1, deps: ['after'] });
  const warnings = warningsOf(s);
  assert.is(warnings.length, 2);
  assert.is(warnings[1], '2 tasks wait for a task that can never run, so can never start: after, later');
});

test('given many infeasible tasks, when validated, then the warning names ten and counts the rest', () => {
  const s = base();
  for (let i = 0; i < 25; i++) s.tasks.push({ id: `x${i}`, arrival: 0, cores: 100, duration: 1 });
  const [warning] = warningsOf(s);
  assert.match(warning!, /^25 tasks no node can ever hold/);
  assert.match(warning!, /x9 \(needs 100 cores, the largest node has 8\), … and 15 more$/);
  const r = validateScenario(s);
  if (r.ok) assert.is(infeasibleTasks(r.scenario).length, 25);
});

test('given an SLA shorter than the fastest possible run, when validated, then it is a warning', () => {
  const s = base();
  s.tasks[0]!.sla = 4; // duration 5
  s.tasks[1]!.sla = 0.5; // 1000 MI on a 2000 MIPS core: 0.5 s, achievable
  assert.equal(warningsOf(s), ['1 task have an SLA shorter than their fastest possible run time: t1']);
});

test('given a price change or link for a zone without nodes, when validated, then each is a warning', () => {
  const s = base();
  s.links.push({ id: 'l2', source: 'feed', zone: 'void', bandwidth: 1 });
  s.environment = { prices: [{ at: 0, multiplier: 2, zone: 'elsewhere' }] };
  assert.equal(warningsOf(s), [
    "links[1].zone: no node is in zone 'void', so the link carries nothing",
    "environment.prices[0].zone: no node is in zone 'elsewhere', so the change affects nothing",
  ]);
});

test('given overlapping failures of one node and a repeated dependency, when validated, then both are warnings', () => {
  const s = base();
  s.tasks[2]!.deps = ['t1', 't1'];
  s.environment = { failures: [{ node: 'n1', at: 5, until: 9 }, { node: 'n1', at: 1 }] };
  assert.equal(warningsOf(s), [
    "tasks[2].deps: 't1' is listed more than once",
    "environment.failures[0]: node 'n1' is already down then (overlaps failures[1])",
  ]);
});

test('formatErrors gives one line: the first error and how many more', () => {
  assert.is(formatErrors(['a: bad']), 'a: bad');
  assert.is(formatErrors(['a: bad', 'b: worse', 'c: worst']), 'a: bad (and 2 more)');
  assert.is(formatErrors([]), 'no errors');
  assert.not.match(formatErrors(['x', 'y']), /\n/);
});

test.run();
