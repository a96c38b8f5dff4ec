// The schema check every message passes at each end of a transport: a request before it is sent and when it
// arrives, a reply before it is sent and when it arrives. What fails is refused, never acted on.
import type { z } from 'zod';
import { roleProtocol, type ReplyOf, type RequestOf, type Role } from '../../actors/protocol.js';
import { CodecError, formatPath } from '../../events/codec.js';
import { compileExactCheck } from '../../events/schema-check.js';
import { InvalidMessageError, type Direction, type Side } from './errors.js';
import { copyMessage, copyMessageNoting, decodeMessage, encodeFields, encodeMessage, type EncodedField } from './codec.js';

export function checkRequest<R extends Role>(role: R, value: unknown, side: Side): RequestOf<R> {
  return check(role, 'request', roleProtocol[role].request, value, side) as RequestOf<R>;
}

export function checkReply<R extends Role>(role: R, value: unknown, side: Side): ReplyOf<R> {
  return check(role, 'reply', roleProtocol[role].reply, value, side) as ReplyOf<R>;
}

function check(role: Role, direction: Direction, schema: z.ZodType, value: unknown, side: Side): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidMessageError(role, direction, side, result.error.issues.map(describeIssue));
}

/**
 * A message admitted in one process (in-process transport): exactly what checking it with the role's
 * schema, encoding zod's output and decoding the bytes gives — a fresh copy that shares nothing with
 * `value` — or the same InvalidMessageError, zod's issues first, then the codec's refusal. Most messages
 * already are their own parsed form (nothing to fill in or strip): a compiled check says so without zod,
 * and zod runs only when it says no, to fill in defaults or word the error.
 */
export function admitMessage(role: Role, direction: Direction, value: unknown, side: Side): unknown {
  const schema: z.ZodType = roleProtocol[role][direction];
  let copied;
  try {
    copied = copyMessageNoting(value);
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
    check(role, direction, schema, value, side); // a schema problem is named first, as when zod ran before encoding
    throw new InvalidMessageError(role, direction, side, [err.message]);
  }
  const exact = compileExactCheck(schema); // compiled once per schema (schema-check keeps them)
  // zod tells an undefined property from an absent one (a strict object refuses an unknown key even when
  // undefined): a message that had one is checked as it was given.
  if (!copied.droppedUndefined && exact(copied.copy)) return copied.copy;
  const parsed = check(role, direction, schema, copied.droppedUndefined ? value : copied.copy, side);
  try {
    return copyMessage(parsed);
  } catch (err) {
    if (err instanceof CodecError) throw new InvalidMessageError(role, direction, side, [err.message]);
    throw err;
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  return `${formatPath(path)}: ${issue.message}`;
}

/** Encodes a checked message; a value the codec refuses (NaN, a Map, …) is an invalid message too. */
export function encodeChecked(role: Role, direction: Direction, value: unknown, side: Side): Uint8Array {
  try {
    return encodeMessage(value);
  } catch (err) {
    if (err instanceof CodecError) throw new InvalidMessageError(role, direction, side, [err.message]);
    throw err;
  }
}

/** Encodes a checked object message field by field (see encodeFields). */
export function encodeFieldsChecked(role: Role, direction: Direction, value: object, side: Side): EncodedField[] {
  try {
    return encodeFields(value);
  } catch (err) {
    if (err instanceof CodecError) throw new InvalidMessageError(role, direction, side, [err.message]);
    throw err;
  }
}

/** Decodes bytes that should be MessagePack; garbage is an invalid message. */
export function decodeChecked(role: Role, direction: Direction, bytes: Uint8Array, side: Side): unknown {
  try {
    return decodeMessage(bytes);
  } catch (err) {
    throw new InvalidMessageError(role, direction, side, [`not MessagePack: ${(err as Error).message}`]);
  }
}
