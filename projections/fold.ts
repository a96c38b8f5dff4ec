// What every projection shares: the Projection shape (Emmett/Equinox style initialState + evolve), a
// fold over a sequence of events, per-run state, and small helpers for dictionaries kept as plain objects.
//
// Projection state is plain JSON-like data (no Map, Set, undefined, NaN or Infinity), so the runner can
// checkpoint it with the canonical codec and tests can compare a rebuilt state with an incremental one.
//
// Ownership: `evolve(state, event)` returns the next state and may update `state` in place to do so (a
// copy per event would make a rebuild of a million events quadratic). The state passed in is consumed:
// keep using the returned one. `evolveCopy` gives the strictly persistent variant when a caller needs
// both the state before and after an event.
import type { AuroraEvent, EventOf } from '../events/catalogue.js';

export interface Projection<S> {
  /** Stable name: the checkpoint key and the section name in summaries. */
  readonly name: string;
  /** Bumped whenever the state's shape or the rules change: a checkpoint of another version is rebuilt. */
  readonly version: number;
  initialState(): S;
  evolve(state: S, event: AuroraEvent): S;
}

/** Folds `events` into `state` (default: the initial state). */
export function fold<S>(projection: Projection<S>, events: Iterable<AuroraEvent>, state?: S): S {
  let s = state ?? projection.initialState();
  for (const event of events) s = projection.evolve(s, event);
  return s;
}

/** The next state without touching `state` (a deep copy first): for callers that keep the old state. */
export function evolveCopy<S>(projection: Projection<S>, state: S, event: AuroraEvent): S {
  return projection.evolve(structuredClone(state), event);
}

// ── per-run state ────────────────────────────────────────────────────────────────────────────────
// A store can hold many runs, each self-contained (DESIGN §3): ids of policies and scenarios are only
// unique within a run, so every projection keeps one state per run, keyed by runId.

export interface PerRun<R> {
  runs: Record<string, R>;
}

/** The state of `runId`, created with `init` on the run's first event. */
export function runState<R>(state: PerRun<R>, runId: string, init: (runId: string) => R): R {
  let run = getEntry(state.runs, runId);
  if (run === undefined) {
    run = init(runId);
    putEntry(state.runs, runId, run);
  }
  return run;
}

/** Run ids in sorted order. */
export function runIds(state: PerRun<unknown>): string[] {
  return Object.keys(state.runs).sort();
}

// ── dictionaries as plain objects ────────────────────────────────────────────────────────────────
// Reads check own properties only, so an id such as `constructor` or `toString` is just an id.

export function getEntry<V>(dict: Record<string, V>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}

export function putEntry<V>(dict: Record<string, V>, key: string, value: V): void {
  // Assigning to `__proto__` would change the prototype instead of adding a key.
  if (key === '__proto__') Object.defineProperty(dict, key, { value, enumerable: true, writable: true, configurable: true });
  else dict[key] = value;
}

/** Keys in sorted order: every decision that walks a dictionary walks it this way. */
export function sortedKeys(dict: Record<string, unknown>): string[] {
  return Object.keys(dict).sort();
}

// ── reading the run configuration ────────────────────────────────────────────────────────────────

/** A finite number found at `path` in RunStarted's config, or `fallback`. */
export function configNumber(config: EventOf<'RunStarted'>['data']['config'], path: readonly string[], fallback: number): number {
  let v: unknown = config;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fallback;
    v = getEntry(v as Record<string, unknown>, key);
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** A policy written as a baseline (the shipped heuristics), not by the defender. */
export function isBaselineProposal(data: { operator: string; author: string }): boolean {
  return data.operator === 'baseline' || data.author === 'baseline';
}

/**
 * The `default` of an exhaustive switch over event types: a type added to the catalogue fails to compile
 * until each projection says whether it folds it. At run time an unknown type is ignored.
 */
export function unhandled(_event: never): void {
  // Nothing to do: an event type this code does not know.
}
