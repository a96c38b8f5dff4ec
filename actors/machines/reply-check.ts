// The check a role machine runs on its mind's answer before using it: zod's parse, whose error says why
// the answer is refused (and so why the machine falls back). Most answers are plain data that already is
// its own parsed form; a compiled check (events/schema-check.ts) says so without zod building a copy,
// and zod runs only when it says no: to fill in defaults, or to word the error.
import type { z } from 'zod';
import { assertCanonical } from '../../events/codec.js';
import { compileExactCheck } from '../../events/schema-check.js';

export function replyCheck<S extends z.ZodType>(schema: S): (reply: z.infer<S>) => z.infer<S> {
  let exact: ((value: unknown) => boolean) | null = null;
  return (reply) => {
    exact ??= compileExactCheck(schema);
    if (isCanonical(reply) && exact(reply)) return reply;
    return schema.parse(reply) as z.infer<S>;
  };
}

/** The compiled check's domain: plain data the codec would accept (else zod decides). */
function isCanonical(value: unknown): boolean {
  try {
    assertCanonical(value);
    return true;
  } catch {
    return false;
  }
}
