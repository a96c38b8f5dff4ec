// A fast yes/no answer to "would this zod schema accept this value?", compiled once per schema from the
// schema's own definition. Appends validate every event and zod's safeParse was the largest cost of an
// append (about 5 µs of 18 µs per 1 KB LlmCalled event, most of it z.json()'s union trying each option,
// building issues and copying the value). The predicate allocates nothing on success; when it says no,
// callers run zod itself for the message, so errors are exactly zod's.
//
// It must never accept what zod refuses: it mirrors zod 4's parse rules for the kinds of schema listed
// below, and zod's checks on primitive values (min, max, int and refine written out, any other check by
// calling zod's own check object). An object or record with refinements (which zod runs on its parsed
// output, defaults filled in) runs them on the value itself when the value is its own parsed form (the
// exact check below), else hands that subtree to zod's safeParse, as it does any other kind.
// test/events/schema-check.test.ts holds it to zod on random values of every event type.
// Measured on the bench's 1 KB LlmCalled event: these checks take about a tenth of zod's safeParse time.
//
// compileExactCheck answers a stricter question for the transport, which hands on zod's parsed output:
// would zod accept the value AND give back the same data (no default to fill, no unknown key to strip,
// nothing transformed)? Then the value itself can stand for zod's output. It may say no where zod would
// give the same data (the caller then takes zod's output), never yes where zod would not;
// test/transport/admission.test.ts holds it to zod on edited messages of a self-play run.
import type { z } from 'zod';

export type Predicate = (value: unknown) => boolean;

/** The parts of a zod 4 schema's internals read here. */
interface Internals {
  def: {
    type: string;
    checks?: CheckInternals[];
    coerce?: boolean;
    format?: string;
    shape?: Record<string, Schema>;
    catchall?: Schema;
    element?: Schema;
    keyType?: Schema;
    valueType?: Schema;
    mode?: string;
    options?: Schema[];
    innerType?: Schema;
  };
  values?: Set<unknown>;
  optin?: 'optional' | 'defaulted';
  optout?: 'optional';
  innerType?: Schema;
}
interface Schema {
  _zod: Internals;
  safeParse(value: unknown): { success: boolean };
}
interface CheckInternals {
  _zod: {
    def: { check: string; when?: (payload: Payload) => boolean };
    check(payload: Payload): unknown;
  };
}
interface Payload {
  value: unknown;
  issues: unknown[];
}

/** Checks on a container that read only its size, which is the same before and after parsing. */
const SIZE_CHECKS = new Set(['min_length', 'max_length', 'length_equals']);

const compiled = new WeakMap<Schema, Predicate>();
const compiledExact = new WeakMap<Schema, Predicate>();

/**
 * The predicate of `schema`: true exactly when `schema.safeParse(value).success` would be, for canonical
 * data (what the codec accepts and what decoding gives: plain objects without symbol keys, arrays,
 * Uint8Array, strings, finite numbers, booleans, null). Check the value with the codec first.
 */
export function compileCheck(schema: z.ZodType): Predicate {
  return compile(schema as unknown as Schema, false);
}

/**
 * The predicate "zod accepts `value` and its parsed output is `value`'s data unchanged", for canonical
 * data (see compileCheck). Yes means the value can be used as zod's output; no means ask zod.
 */
export function compileExactCheck(schema: z.ZodType): Predicate {
  return compile(schema as unknown as Schema, true);
}

function compile(schema: Schema, exact: boolean): Predicate {
  const cache = exact ? compiledExact : compiled;
  const known = cache.get(schema);
  if (known) return known;
  // A recursive schema (z.json()) reaches itself again while compiling: it calls through this slot.
  let body: Predicate = () => {
    throw new Error('schema-check: predicate used before it was compiled');
  };
  cache.set(schema, (v) => body(v));
  body = build(schema, exact);
  cache.set(schema, body);
  return body;
}

function delegate(schema: Schema, exact: boolean): Predicate {
  if (!exact) return (v) => schema.safeParse(v).success;
  return (v) => {
    const result = schema.safeParse(v) as { success: boolean; data?: unknown };
    return result.success && sameData(result.data, v);
  };
}

/** Deep equality of canonical data (zod's output against its input). */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

// One payload for zod's check objects: they read payload.value and push onto payload.issues.
const payload: Payload = { value: undefined, issues: [] };

/** A zod check object run as zod runs it (one with `when` only when it applies): true when it adds no issue. */
function zodCheck(check: CheckInternals): Predicate {
  const { when } = check._zod.def;
  return (v) => {
    payload.value = v;
    payload.issues.length = 0;
    if (when && !when(payload)) return true;
    const result = check._zod.check(payload);
    if (result instanceof Promise) return false; // async: zod's synchronous parse refuses it too
    return payload.issues.length === 0;
  };
}

/**
 * One check on a value that already has the node's type. The common kinds are written out (the same
 * rule as zod's check code); the rest, and the cases where zod counts code points, call zod's check.
 */
function checkOf(check: CheckInternals, onString: boolean): Predicate {
  const def = check._zod.def as CheckInternals['_zod']['def'] & {
    value?: unknown;
    inclusive?: boolean;
    format?: string;
    minimum?: number;
    maximum?: number;
    fn?: (v: unknown) => unknown;
  };
  const slow = zodCheck(check);
  switch (def.check) {
    case 'greater_than': {
      if (typeof def.value !== 'number') return slow;
      const x = def.value;
      return def.inclusive ? (v) => (v as number) >= x : (v) => (v as number) > x;
    }
    case 'less_than': {
      if (typeof def.value !== 'number') return slow;
      const x = def.value;
      return def.inclusive ? (v) => (v as number) <= x : (v) => (v as number) < x;
    }
    case 'number_format':
      return def.format === 'safeint' ? (v) => Number.isSafeInteger(v) : slow;
    case 'min_length': {
      if (def.when !== undefined && !onString) return slow;
      const m = def.minimum!;
      // zod counts a string's code points: at least 2m units always has m of them, fewer than m never.
      if (!onString) return (v) => (v as unknown[]).length >= m;
      if (m <= 1) return (v) => (v as string).length >= m;
      return (v) => {
        const n = (v as string).length;
        return n >= 2 * m || (n >= m && slow(v));
      };
    }
    case 'max_length': {
      const m = def.maximum!;
      if (!onString) return (v) => (v as unknown[]).length <= m;
      return (v) => (v as string).length <= m || slow(v);
    }
    case 'custom': {
      const fn = def.fn;
      if (def.when !== undefined || typeof fn !== 'function') return slow;
      return (v) => {
        const r = fn(v);
        return !(r instanceof Promise) && Boolean(r);
      };
    }
    default:
      return slow;
  }
}

/** The type test, then each of zod's checks in order. */
function withChecks(checks: readonly CheckInternals[], typeOk: Predicate, onString = false): Predicate {
  const fns = checks.map((c) => checkOf(c, onString));
  switch (fns.length) {
    case 0:
      return typeOk;
    case 1: {
      const [a] = fns as [Predicate];
      return (v) => typeOk(v) && a(v);
    }
    case 2: {
      const [a, b] = fns as [Predicate, Predicate];
      return (v) => typeOk(v) && a(v) && b(v);
    }
    default:
      return (v) => {
        if (!typeOk(v)) return false;
        for (const f of fns) if (!f(v)) return false;
        return true;
      };
  }
}

function build(schema: Schema, exact: boolean): Predicate {
  const zod = schema._zod;
  const def = zod.def;
  const checks = def.checks ?? [];
  const containerChecksOk = checks.every((c) => SIZE_CHECKS.has(c._zod.def.check));
  const compileInner = (s: Schema) => compile(s, exact);
  // An overwrite check (trim, toLowerCase, …) changes the value: only zod can say what it gives.
  if (exact && checks.some((c) => c._zod.def.check === 'overwrite')) return delegate(schema, true);
  switch (def.type) {
    case 'string':
      if (def.coerce || def.format !== undefined) return delegate(schema, exact);
      return withChecks(checks, (v) => typeof v === 'string', true);
    case 'number':
      if (def.coerce) return delegate(schema, exact);
      return withChecks(checks, (v) => typeof v === 'number' && Number.isFinite(v));
    case 'boolean':
      if (def.coerce) return delegate(schema, exact);
      return withChecks(checks, (v) => typeof v === 'boolean');
    case 'null':
      return withChecks(checks, (v) => v === null);
    case 'literal':
    case 'enum': {
      const values = zod.values!;
      return withChecks(checks, (v) => values.has(v));
    }
    case 'unknown':
    case 'any':
      return withChecks(checks, () => true);
    case 'optional':
    case 'nullable':
    case 'default': {
      if (checks.length > 0) return delegate(schema, exact);
      const inner = compileInner(def.innerType!);
      if (def.type === 'nullable') return (v) => v === null || inner(v);
      // Exact: a default substitutes for undefined (so does an optional around a default): not the same data.
      if (exact && (def.type === 'default' || def.innerType!._zod.optin === 'defaulted')) return (v) => v !== undefined && inner(v);
      return (v) => v === undefined || inner(v);
    }
    case 'lazy': {
      if (checks.length > 0) return delegate(schema, exact);
      let inner: Predicate | null = null;
      return (v) => (inner ??= compileInner(zod.innerType!))(v);
    }
    case 'union': {
      if (checks.length > 0) return delegate(schema, exact);
      const options = def.options!.map((o) => compile(o, false));
      if (exact) {
        // zod's output is that of the first option that accepts the value.
        const same = def.options!.map((o) => compile(o, true));
        return (v) => {
          for (let i = 0; i < options.length; i++) if (options[i]!(v)) return same[i]!(v);
          return false;
        };
      }
      return (v) => {
        for (const option of options) if (option(v)) return true;
        return false;
      };
    }
    case 'array': {
      if (!containerChecksOk) return delegate(schema, exact);
      const element = compileInner(def.element!);
      return withChecks(checks, (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      });
    }
    case 'record':
      return checks.length > 0 ? refined(schema, checks, exact, record) : record(schema, exact);
    case 'object':
      return checks.length > 0 ? refined(schema, checks, exact, object) : object(schema, exact);
    default:
      return delegate(schema, exact);
  }
}

/**
 * An object or record with refinements (zod runs them on its parsed output). When the value is its own
 * parsed output (the exact check), the refinements see the same data run on the value itself; otherwise
 * zod decides. Only `custom` checks (refine) are run here; any other kind goes to zod.
 */
function refined(
  schema: Schema,
  checks: readonly CheckInternals[],
  exact: boolean,
  container: (schema: Schema, exact: boolean) => Predicate,
): Predicate {
  if (!checks.every((c) => c._zod.def.check === 'custom')) return delegate(schema, exact);
  const same = container(schema, true);
  const fns = checks.map((c) => checkOf(c, false));
  const pass = (v: unknown) => {
    for (const f of fns) if (!f(v)) return false;
    return true;
  };
  if (exact) return (v) => same(v) && pass(v);
  const slow = delegate(schema, false);
  return (v) => (same(v) ? pass(v) : slow(v));
}

/**
 * z.record(z.string(), value): a plain object whose every own enumerable key's value fits. The value is
 * canonical data (see compileCheck), so a non-array object is plain unless it is a Uint8Array, and its
 * keys are Object.keys: zod's own tests (isPlainObject, Reflect.ownKeys) cost five times as much.
 */
function record(schema: Schema, exact: boolean): Predicate {
  const def = schema._zod.def;
  const key = def.keyType!._zod;
  // Only plain string keys are mirrored here (enum keys, key checks and loose mode go to zod).
  if (key.def.type !== 'string' || (key.def.checks ?? []).length > 0 || key.def.coerce || key.def.format !== undefined) {
    return delegate(schema, exact);
  }
  if (def.mode !== undefined && def.mode !== 'strict') return delegate(schema, exact);
  const value = compile(def.valueType!, exact);
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return false;
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k !== '__proto__' && !value((v as Record<string, unknown>)[k])) return false;
    }
    return true;
  };
}

/** z.object: each declared key as zod's object parser treats it, then unknown keys per the catchall. */
function object(schema: Schema, exact: boolean): Predicate {
  const def = schema._zod.def;
  const shape = def.shape!;
  const keys = Object.keys(shape).filter((k) => k !== '__proto__');
  const fields = keys.map((key) => {
    const inner = shape[key]!._zod;
    return {
      key,
      check: compile(shape[key]!, exact),
      // zod: a key whose schema is not optional-in must be present; optional-in-and-out ignores errors when absent
      required: inner.optin === undefined,
      skipWhenAbsent: inner.optin !== undefined && inner.optout === 'optional',
      // Exact: an absent key stays absent in zod's output only when its schema is optional in and out.
      absentStaysAbsent: inner.optin === 'optional' && inner.optout === 'optional',
    };
  });
  const catchall = def.catchall?._zod.def.type;
  if (catchall !== undefined && catchall !== 'never' && catchall !== 'unknown' && catchall !== 'any') return delegate(schema, exact);
  // Exact: zod strips unknown keys (no catchall), so an object that has any is not its own output.
  const strict = catchall === 'never' || (exact && catchall === undefined);
  const declared = new Set(Object.keys(shape));
  if (exact) return generateExactObjectCheck(fields, strict ? [...declared] : null) ?? exactObjectLoop(fields, strict ? declared : null);
  const generated = generateObjectCheck(fields, strict ? [...declared] : null);
  if (generated) return generated;
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false; // zod's isObject
    const o = v as Record<string, unknown>;
    for (const f of fields) {
      if (f.check(o[f.key])) {
        if (f.required && !(f.key in o)) return false;
      } else if (!(f.skipWhenAbsent && !(f.key in o))) {
        return false;
      }
    }
    if (strict) {
      for (const k in o) if (!declared.has(k)) return false;
    }
    return true;
  };
}

interface ExactField {
  key: string;
  check: Predicate;
  absentStaysAbsent: boolean;
}

/** The exact object rule as a loop: a present key's value is its own output, an absent key stays absent. */
function exactObjectLoop(fields: readonly ExactField[], declared: ReadonlySet<string> | null): Predicate {
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    for (const f of fields) {
      if (f.key in o) {
        if (!f.check(o[f.key])) return false;
      } else if (!f.absentStaysAbsent) return false;
    }
    if (declared) for (const k in o) if (!declared.has(k)) return false;
    return true;
  };
}

/**
 * The same object rule as straight-line code with the keys as literals, so each property read and `in`
 * test gets its own inline cache and the unknown-key test is a switch over interned strings: about
 * twice as fast as the loop over fields for the catalogue's objects (keys are written with
 * JSON.stringify; they come from our own schemas). Null where code generation is not allowed.
 */
function generateObjectCheck(
  fields: readonly { key: string; check: Predicate; required: boolean; skipWhenAbsent: boolean }[],
  declared: readonly string[] | null,
): Predicate | null {
  const lines: string[] = [];
  fields.forEach((f, i) => {
    const k = JSON.stringify(f.key);
    if (f.required) lines.push(`if (!c${i}(v[${k}]) || !(${k} in v)) return false;`);
    else if (f.skipWhenAbsent) lines.push(`if (!c${i}(v[${k}]) && ${k} in v) return false;`);
    else lines.push(`if (!c${i}(v[${k}])) return false;`);
  });
  return generate(fields, lines, declared);
}

/** exactObjectLoop as straight-line code, as generateObjectCheck is for the yes/no rule. */
function generateExactObjectCheck(fields: readonly ExactField[], declared: readonly string[] | null): Predicate | null {
  const lines: string[] = [];
  fields.forEach((f, i) => {
    const k = JSON.stringify(f.key);
    lines.push(`if (${k} in v) { if (!c${i}(v[${k}])) return false; }${f.absentStaysAbsent ? '' : ' else return false;'}`);
  });
  return generate(fields, lines, declared);
}

/**
 * The check's function from its per-field lines, opened by the plain-object test and closed by the unknown-key rule (`declared`: the only keys
 * allowed; null: any). Keys enter the text only through JSON.stringify, and they are our own schemas'
 * keys, never a message's: nothing a file or an LLM wrote becomes code.
 */
function generate(fields: readonly { check: Predicate }[], fieldLines: readonly string[], declared: readonly string[] | null): Predicate | null {
  const lines = ['if (typeof v !== "object" || v === null || Array.isArray(v)) return false;', ...fieldLines];
  if (declared) {
    const cases = declared.map((k) => `case ${JSON.stringify(k)}:`).join(' ');
    lines.push(`for (const k in v) switch (k) { ${cases ? `${cases} continue;` : ''} default: return false; }`);
  }
  lines.push('return true;');
  try {
    const params = fields.map((_, i) => `c${i}`);
    const make = new Function(...params, `return function check(v) {\n${lines.join('\n')}\n};`) as (...c: Predicate[]) => Predicate;
    return make(...fields.map((f) => f.check));
  } catch {
    return null;
  }
}
