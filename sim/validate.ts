// Checks a scenario before anything runs it: the schema (every issue with its path), then what a schema
// cannot say (unique ids, known references, an acyclic dependency graph). Problems that leave the
// scenario runnable but partly hopeless (a task no node can hold) are warnings: the engine reports such
// tasks as dropped, it does not crash on them.
import type { z } from 'zod';
import { Scenario, type LinkSpec, type NodeSpec, type TaskSpec } from './scenario.js';

export type ValidationResult =
  | { ok: true; scenario: Scenario; warnings: string[] }
  | { ok: false; errors: string[] };

/** At most this many task ids are named in one warning line. */
const LISTED = 10;

export function validateScenario(input: unknown): ValidationResult {
  const parsed = Scenario.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((issue) => formatIssue(issue, input)) };
  const scenario = parsed.data;
  const errors = referenceErrors(scenario);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, scenario, warnings: scenarioWarnings(scenario) };
}

/** One line for a terminal: the first error, and how many more there are. */
export function formatErrors(errors: readonly string[]): string {
  if (errors.length === 0) return 'no errors';
  const more = errors.length - 1;
  return more === 0 ? errors[0]! : `${errors[0]} (and ${more} more)`;
}

// ---------------------------------------------------------------------------------------------------
// Schema issues as `path: message`, in words a scenario author understands.

/** `tasks[3].cores`, `nodes[0].latency["cam-1"]`, or `scenario` for the root. */
export function formatPath(path: readonly PropertyKey[], root = 'scenario'): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? root : out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let value: unknown = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !(key in (value as object))) return { found: false, value };
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? 'a number' : String(value);
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `path: message` for one schema issue; `input` is what was parsed (to say what was found). */
export function formatIssue(issue: z.core.$ZodIssue, input: unknown, root = 'scenario'): string {
  const where = formatPath(issue.path, root);
  return `${where}: ${issueMessage(issue, input)}`;
}

function issueMessage(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const at = valueAt(input, issue.path);
      if (!at.found || at.value === undefined) return 'is required';
      if (typeof at.value === 'number' && !Number.isFinite(at.value)) return `must be a finite number (got ${kindOf(at.value)})`;
      if (issue.expected === 'int') return 'must be a whole number';
      return `must be ${article(issue.expected)} (got ${kindOf(at.value)})`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at least ${plural(min, 'item')}`;
      if (issue.origin === 'string') return min === 1 ? 'must not be empty' : `must be at least ${plural(min, 'character')} long`;
      return issue.inclusive ? `must be at least ${min}` : `must be greater than ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${plural(max, 'item')}`;
      if (issue.origin === 'string') return `must be at most ${plural(max, 'character')} long`;
      return issue.inclusive ? `must be at most ${max}` : `must be less than ${max}`;
    }
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

// ---------------------------------------------------------------------------------------------------
// Reference errors: what makes a scenario meaningless even though every field is well formed.

function duplicateErrors(items: readonly { id: string }[], field: string, what: string): string[] {
  const first = new Map<string, number>();
  const errors: string[] = [];
  items.forEach((item, i) => {
    const seen = first.get(item.id);
    if (seen === undefined) first.set(item.id, i);
    else errors.push(`${field}[${i}].id: duplicate ${what} id '${item.id}' (first at ${field}[${seen}])`);
  });
  return errors;
}

/** Zones named by nodes or links: the legal congestion and price targets besides link ids. */
export function zonesOf(scenario: Pick<Scenario, 'nodes' | 'links'>): Set<string> {
  const zones = new Set<string>();
  for (const node of scenario.nodes) zones.add(node.zone);
  for (const link of scenario.links) zones.add(link.zone);
  return zones;
}

function referenceErrors(s: Scenario): string[] {
  const errors = [
    ...duplicateErrors(s.nodes, 'nodes', 'node'),
    ...duplicateErrors(s.links, 'links', 'link'),
    ...duplicateErrors(s.tasks, 'tasks', 'task'),
  ];
  const taskIds = new Set(s.tasks.map((t) => t.id));
  s.tasks.forEach((task, i) => {
    task.deps.forEach((dep, j) => {
      if (!taskIds.has(dep)) errors.push(`tasks[${i}].deps[${j}]: unknown task '${dep}'`);
    });
  });
  const cycle = findDependencyCycle(s.tasks);
  if (cycle) errors.push(`dependency cycle: ${cycle.join(' → ')}`);

  const nodeIds = new Set(s.nodes.map((n) => n.id));
  s.environment.failures.forEach((f, i) => {
    if (!nodeIds.has(f.node)) errors.push(`environment.failures[${i}].node: unknown node '${f.node}'`);
  });
  const linkIds = new Set(s.links.map((l) => l.id));
  const zones = zonesOf(s);
  s.environment.congestion.forEach((c, i) => {
    if (!linkIds.has(c.target) && !zones.has(c.target)) {
      errors.push(`environment.congestion[${i}].target: '${c.target}' is neither a link id nor a zone`);
    }
  });
  return errors;
}

/**
 * One dependency cycle as task ids, first id repeated at the end (`a → b → a` reads "a waits for b,
 * b waits for a"), or undefined when the graph is acyclic. Unknown dependencies are ignored here.
 */
export function findDependencyCycle(tasks: readonly Pick<TaskSpec, 'id' | 'deps'>[]): string[] | undefined {
  const deps = new Map<string, readonly string[]>();
  for (const t of tasks) if (!deps.has(t.id)) deps.set(t.id, t.deps);
  const state = new Map<string, 'open' | 'done'>();
  for (const root of tasks) {
    if (state.has(root.id)) continue;
    // Iterative depth-first search: recursion would overflow on long chains.
    const path: string[] = [root.id];
    const next: number[] = [0];
    state.set(root.id, 'open');
    while (path.length > 0) {
      const id = path[path.length - 1]!;
      const children = deps.get(id) ?? [];
      const k = next[next.length - 1]!;
      if (k >= children.length) {
        state.set(id, 'done');
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = k + 1;
      const child = children[k]!;
      if (!deps.has(child)) continue;
      const seen = state.get(child);
      if (seen === 'open') return [...path.slice(path.indexOf(child)), child];
      if (seen === undefined) {
        state.set(child, 'open');
        path.push(child);
        next.push(0);
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Feasibility: can any node ever hold a task? Shared with the generators, which must never write one.

/** How data sources reach a node: by an edge latency entry, or by a link into the node's zone. */
export interface NodeReach {
  byLatency: ReadonlySet<string>;
  byLink: ReadonlySet<string>;
  /** Whether the scenario has links at all: then data (dataSize > 0) must travel on one. */
  anyLinks: boolean;
}

export function reachOf(node: NodeSpec, links: readonly LinkSpec[]): NodeReach {
  const byLink = new Set<string>();
  for (const link of links) if (link.zone === node.zone) byLink.add(link.source);
  return { byLatency: new Set(Object.keys(node.latency)), byLink, anyLinks: links.length > 0 };
}

/**
 * Whether `node` could hold `task` on an otherwise empty node, by the engine's rule: enough cores,
 * enough memory (a node with memory 0 does not model memory), and when the task has a source, the
 * source reaches the node by latency or link; when the task also has data and the scenario has links,
 * a link from the source into the node's zone (data travels on links; without any links it is free).
 */
export function nodeCanHold(task: TaskSpec, node: NodeSpec, reach: NodeReach): boolean {
  if (task.cores > node.cores) return false;
  if (node.memory > 0 && task.memory > node.memory) return false;
  if (task.source !== undefined) {
    const linked = reach.byLink.has(task.source);
    if (!linked && !reach.byLatency.has(task.source)) return false;
    if (task.dataSize > 0 && reach.anyLinks && !linked) return false;
  }
  return true;
}

export interface Infeasible {
  id: string;
  index: number;
  reason: string;
}

/** Tasks no node can ever hold, each with the reason in a few words. */
export function infeasibleTasks(s: Pick<Scenario, 'nodes' | 'links' | 'tasks'>): Infeasible[] {
  const reach = s.nodes.map((n) => reachOf(n, s.links));
  const maxCores = s.nodes.reduce((m, n) => Math.max(m, n.cores), 0);
  const out: Infeasible[] = [];
  s.tasks.forEach((task, index) => {
    if (s.nodes.some((node, i) => nodeCanHold(task, node, reach[i]!))) return;
    out.push({ id: task.id, index, reason: infeasibleReason(task, s, reach, maxCores) });
  });
  return out;
}

function infeasibleReason(task: TaskSpec, s: Pick<Scenario, 'nodes' | 'links'>, reach: NodeReach[], maxCores: number): string {
  if (task.cores > maxCores) return `needs ${task.cores} cores, the largest node has ${maxCores}`;
  const bigEnough = s.nodes.filter((n) => n.cores >= task.cores);
  if (bigEnough.every((n) => n.memory > 0 && task.memory > n.memory)) {
    const most = bigEnough.reduce((m, n) => Math.max(m, n.memory), 0);
    return `needs ${task.memory} GB memory, the most on a node with ${task.cores} cores is ${most} GB`;
  }
  const source = task.source!;
  if (!reach.some((r) => r.byLatency.has(source) || r.byLink.has(source))) return `data source '${source}' reaches no node`;
  if (task.dataSize > 0 && s.links.length > 0 && !s.links.some((l) => l.source === source)) {
    return `its ${task.dataSize} MB need a link from '${source}', and there is none`;
  }
  return `data source '${source}' reaches no node large enough`;
}

function listIds(items: readonly { id: string; reason?: string }[]): string {
  const shown = items.slice(0, LISTED).map((t) => (t.reason ? `${t.id} (${t.reason})` : t.id));
  const rest = items.length - shown.length;
  return shown.join(', ') + (rest > 0 ? `, … and ${rest} more` : '');
}

// ---------------------------------------------------------------------------------------------------
// Warnings: runnable, but probably not what the author meant.

function scenarioWarnings(s: Scenario): string[] {
  const warnings: string[] = [];
  const infeasible = infeasibleTasks(s);
  if (infeasible.length > 0) {
    warnings.push(`${plural(infeasible.length, 'task')} no node can ever hold (the engine drops them): ${listIds(infeasible)}`);
    const blocked = blockedByInfeasible(s.tasks, new Set(infeasible.map((t) => t.id)));
    if (blocked.length > 0) {
      warnings.push(`${plural(blocked.length, 'task')} wait for a task that can never run, so can never start: ${listIds(blocked)}`);
    }
  }

  const maxMips = s.nodes.reduce((m, n) => Math.max(m, n.mips), 0);
  const hopeless = s.tasks.filter((t) => t.sla !== undefined && t.sla < fastestRun(t, maxMips));
  if (hopeless.length > 0) {
    warnings.push(`${plural(hopeless.length, 'task')} have an SLA shorter than their fastest possible run time: ${listIds(hopeless)}`);
  }

  s.tasks.forEach((t, i) => {
    const seen = new Set<string>();
    for (const dep of t.deps) {
      if (seen.has(dep)) warnings.push(`tasks[${i}].deps: '${dep}' is listed more than once`);
      seen.add(dep);
    }
  });

  const nodeZones = new Set(s.nodes.map((n) => n.zone));
  s.links.forEach((l, i) => {
    if (!nodeZones.has(l.zone)) warnings.push(`links[${i}].zone: no node is in zone '${l.zone}', so the link carries nothing`);
  });
  s.environment.prices.forEach((p, i) => {
    if (p.zone !== undefined && !nodeZones.has(p.zone)) {
      warnings.push(`environment.prices[${i}].zone: no node is in zone '${p.zone}', so the change affects nothing`);
    }
  });

  const byNode = new Map<string, { at: number; until: number; index: number }[]>();
  s.environment.failures.forEach((f, index) => {
    const list = byNode.get(f.node) ?? [];
    list.push({ at: f.at, until: f.until ?? Infinity, index });
    byNode.set(f.node, list);
  });
  for (const [node, list] of [...byNode].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    list.sort((a, b) => a.at - b.at || a.index - b.index);
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.at < list[i - 1]!.until) {
        warnings.push(`environment.failures[${list[i]!.index}]: node '${node}' is already down then (overlaps failures[${list[i - 1]!.index}])`);
      }
    }
  }
  return warnings;
}

/** Run time on the fastest node with nothing else running: the least any schedule can achieve. */
function fastestRun(t: TaskSpec, maxMips: number): number {
  if (t.duration !== undefined) return t.duration;
  return (t.length ?? 0) / (maxMips * t.utilisation);
}

/** Tasks that (transitively) wait for one of `dead`. */
function blockedByInfeasible(tasks: readonly TaskSpec[], dead: ReadonlySet<string>): { id: string }[] {
  const waiters = new Map<string, string[]>();
  for (const t of tasks) for (const d of t.deps) waiters.set(d, [...(waiters.get(d) ?? []), t.id]);
  const blocked = new Set<string>();
  const stack = [...dead];
  while (stack.length > 0) {
    for (const w of waiters.get(stack.pop()!) ?? []) {
      if (!blocked.has(w) && !dead.has(w)) {
        blocked.add(w);
        stack.push(w);
      }
    }
  }
  return tasks.filter((t) => blocked.has(t.id)).map((t) => ({ id: t.id }));
}
