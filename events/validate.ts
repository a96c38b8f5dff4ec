// Checks an event against the catalogue: a known type, metadata that fits EventMetadata, data that fits
// the type's schema, and nothing the codec would refuse. Validation is a check, never a transformation:
// a valid event is stored exactly as given (no defaults filled in, nothing stripped), so its fingerprint
// is the one its writer can compute before appending.
import type { z } from 'zod';
import { EventMetadata, eventSchemas, isEventType, type AuroraEvent, type EventType } from './catalogue.js';
import { CodecError, assertCanonical, formatPath } from './codec.js';
import { compileCheck, type Predicate } from './schema-check.js';

/** An event refused by the catalogue, naming its type and the first offending path. */
export class InvalidEventError extends Error {
  constructor(
    readonly eventType: string,
    readonly path: string,
    readonly reason: string,
    /** Set when a stored event fails validation on read. */
    readonly position?: number,
  ) {
    super(`${position === undefined ? '' : `event at position ${position}: `}invalid ${eventType} event: ${path}: ${reason}`);
    this.name = 'InvalidEventError';
  }
}

export interface ValidateOptions {
  /**
   * Require metadata.schemaVersion to be the catalogue's current version of the type (default true).
   * Appends always write the current version; reads of upcast events check the data only.
   */
  currentVersion?: boolean;
  /** Also run the codec's checks (NaN, undefined, Map, …) (default true). */
  codec?: boolean;
}

function firstIssue(error: z.ZodError, root: string): { path: string; reason: string } {
  const issue = error.issues[0]!;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return { path: formatPath([root, ...(issue.path as (string | number)[])]), reason: issue.message + more };
}

function typeOf(event: unknown): string {
  const type = (event as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : '(untyped)';
}

/** Checks the outer shape: an object whose type the catalogue knows. Returns the type. */
export function checkEnvelope(event: unknown): string {
  if (typeof event !== 'object' || event === null) {
    throw new InvalidEventError(typeOf(event), '(root)', 'an event must be an object {type, data, metadata}');
  }
  const type = (event as { type?: unknown }).type;
  if (typeof type !== 'string') throw new InvalidEventError('(untyped)', 'type', 'must be a string');
  if (!isEventType(type)) throw new InvalidEventError(type, 'type', `unknown event type '${type}'`);
  return type;
}

// Compiled yes/no checks (events/schema-check.ts), built on first use: a valid event never reaches zod's
// safeParse, which is only run to word the error for an invalid one.
let metadataOk: Predicate | null = null;
const dataOk = new Map<string, Predicate>();

function dataCheck(type: EventType): Predicate {
  let check = dataOk.get(type);
  if (!check) dataOk.set(type, (check = compileCheck(eventSchemas[type].data as z.ZodType)));
  return check;
}

/**
 * Checks metadata against EventMetadata and data against the type's schema (the type must be known).
 * `canonical`: the codec has accepted data and metadata (or they were decoded from stored bytes), so the
 * compiled checks, exact on such values, may answer instead of zod.
 */
export function checkSchemas(type: string, data: unknown, metadata: unknown, currentVersion = true, canonical = false): void {
  if (!isEventType(type)) throw new InvalidEventError(type, 'type', `unknown event type '${type}'`);
  metadataOk ??= compileCheck(EventMetadata);
  if (canonical && metadataOk(metadata) && dataCheck(type)(data)) {
    const version = (metadata as { schemaVersion: number }).schemaVersion;
    if (!currentVersion || version === eventSchemas[type].version) return;
  }
  const meta = EventMetadata.safeParse(metadata);
  if (!meta.success) {
    const { path, reason } = firstIssue(meta.error, 'metadata');
    throw new InvalidEventError(type, path, reason);
  }
  const schema = eventSchemas[type];
  if (currentVersion && meta.data.schemaVersion !== schema.version) {
    throw new InvalidEventError(
      type,
      'metadata.schemaVersion',
      `version ${meta.data.schemaVersion} is not the current version ${schema.version} (appends write the current version)`,
    );
  }
  const parsed = (schema.data as z.ZodType).safeParse(data);
  if (!parsed.success) {
    const { path, reason } = firstIssue(parsed.error, 'data');
    throw new InvalidEventError(type, path, reason);
  }
}

/**
 * Throws InvalidEventError unless `event` is a valid AURORA event; returns it (the same objects) typed.
 * Only type, data and metadata are looked at: other properties (a RecordedEvent's position, …) are ignored.
 * The codec's checks run first, so a NaN reads `data.metrics.cost: NaN is not allowed`.
 */
export function validateEvent(event: unknown, options: ValidateOptions = {}): AuroraEvent {
  const type = checkEnvelope(event);
  const { data, metadata } = event as { data?: unknown; metadata?: unknown };
  if (options.codec ?? true) {
    try {
      assertCanonical(data, ['data']);
      assertCanonical(metadata, ['metadata']);
    } catch (err) {
      if (err instanceof CodecError) throw new InvalidEventError(type, err.path, err.reason);
      throw err;
    }
  }
  checkSchemas(type, data, metadata, options.currentVersion ?? true, options.codec ?? true);
  return event as AuroraEvent;
}
