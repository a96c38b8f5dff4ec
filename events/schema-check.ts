// A fast yes/no answer to "would this zod schema accept this value?", compiled once per schema from the
// schema's own definition. Appends validate every event and zod's safeParse was the largest cost of an
// append (about 5 µs of 18 µs per 1 KB LlmCalled event, most of it z.json()'s union trying each option,
// building issues and copying the value). The predicate allocates nothing on success; when it says no,
// callers run zod itself for the message, so errors are exactly zod's.
//
// It must never accept what zod refuses: it mirrors zod 4's parse rules for the kinds of schema listed
// below, and zod's checks on primitive values (min, max, int and refine written out, any other check by
// calling zod's own check object). Any other kind, or a container with a refinement (which zod runs on
// its parsed output, defaults filled in), is handed to zod's safeParse for that subtree.
// test/events/schema-check.test.ts holds it to zod on random values of every event type.
// Measured on the bench's 1 KB LlmCalled event: these checks take about a tenth of zod's safeParse time.
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

/**
 * The predicate of `schema`: true exactly when `schema.safeParse(value).success` would be, for canonical
 * data (what the codec accepts and what decoding gives: plain objects without symbol keys, arrays,
 * Uint8Array, strings, finite numbers, booleans, null). Check the value with the codec first.
 */
export function compileCheck(schema: z.ZodType): Predicate {
  return compile(schema as unknown as Schema);
}

function compile(schema: Schema): Predicate {
  const known = compiled.get(schema);
  if (known) return known;
  // A recursive schema (z.json()) reaches itself again while compiling: it calls through this slot.
  let body: Predicate = () => {
    throw new Error('schema-check: predicate used before it was compiled');
  };
  compiled.set(schema, (v) => body(v));
  body = build(schema);
  compiled.set(schema, body);
  return body;
}

function delegate(schema: Schema): Predicate {
  return (v) => schema.safeParse(v).success;
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

function build(schema: Schema): Predicate {
  const zod = schema._zod;
  const def = zod.def;
  const checks = def.checks ?? [];
  const containerChecksOk = checks.every((c) => SIZE_CHECKS.has(c._zod.def.check));
  switch (def.type) {
    case 'string':
      if (def.coerce || def.format !== undefined) return delegate(schema);
      return withChecks(checks, (v) => typeof v === 'string', true);
    case 'number':
      if (def.coerce) return delegate(schema);
      return withChecks(checks, (v) => typeof v === 'number' && Number.isFinite(v));
    case 'boolean':
      if (def.coerce) return delegate(schema);
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
      if (checks.length > 0) return delegate(schema);
      const inner = compile(def.innerType!);
      if (def.type === 'nullable') return (v) => v === null || inner(v);
      return (v) => v === undefined || inner(v);
    }
    case 'lazy': {
      if (checks.length > 0) return delegate(schema);
      let inner: Predicate | null = null;
      return (v) => (inner ??= compile(zod.innerType!))(v);
    }
    case 'union': {
      if (checks.length > 0) return delegate(schema);
      const options = def.options!.map(compile);
      return (v) => {
        for (const option of options) if (option(v)) return true;
        return false;
      };
    }
    case 'array': {
      if (!containerChecksOk) return delegate(schema);
      const element = compile(def.element!);
      return withChecks(checks, (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false;
        return true;
      });
    }
    case 'record':
      return checks.length > 0 ? delegate(schema) : record(schema);
    case 'object':
      return checks.length > 0 ? delegate(schema) : object(schema);
    default:
      return delegate(schema);
  }
}

/**
 * z.record(z.string(), value): a plain object whose every own enumerable key's value fits. The value is
 * canonical data (see compileCheck), so a non-array object is plain unless it is a Uint8Array, and its
 * keys are Object.keys: zod's own tests (isPlainObject, Reflect.ownKeys) cost five times as much.
 */
function record(schema: Schema): Predicate {
  const def = schema._zod.def;
  const key = def.keyType!._zod;
  // Only plain string keys are mirrored here (enum keys, key checks and loose mode go to zod).
  if (key.def.type !== 'string' || (key.def.checks ?? []).length > 0 || key.def.coerce || key.def.format !== undefined) {
    return delegate(schema);
  }
  if (def.mode !== undefined && def.mode !== 'strict') return delegate(schema);
  const value = compile(def.valueType!);
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
function object(schema: Schema): Predicate {
  const def = schema._zod.def;
  const shape = def.shape!;
  const keys = Object.keys(shape).filter((k) => k !== '__proto__');
  const fields = keys.map((key) => {
    const inner = shape[key]!._zod;
    return {
      key,
      check: compile(shape[key]!),
      // zod: a key whose schema is not optional-in must be present; optional-in-and-out ignores errors when absent
      required: inner.optin === undefined,
      skipWhenAbsent: inner.optin !== undefined && inner.optout === 'optional',
    };
  });
  const catchall = def.catchall?._zod.def.type;
  if (catchall !== undefined && catchall !== 'never' && catchall !== 'unknown' && catchall !== 'any') return delegate(schema);
  const strict = catchall === 'never';
  const declared = new Set(Object.keys(shape));
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
  const lines = ['if (typeof v !== "object" || v === null || Array.isArray(v)) return false;'];
  fields.forEach((f, i) => {
    const k = JSON.stringify(f.key);
    if (f.required) lines.push(`if (!c${i}(v[${k}]) || !(${k} in v)) return false;`);
    else if (f.skipWhenAbsent) lines.push(`if (!c${i}(v[${k}]) && ${k} in v) return false;`);
    else lines.push(`if (!c${i}(v[${k}])) return false;`);
  });
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
