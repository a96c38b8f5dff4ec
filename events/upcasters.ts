// Upcasting: events stored by older code are read as the current version. An upcaster turns the data of
// one type from version v into version v + 1; reading applies the chain v → v+1 → … → current. Stored
// bytes are never rewritten: an upcast event keeps the fingerprint of the bytes it was stored with.
// A type or version with no way to the current version is an error naming it, never a silent drop.
import { eventSchemas, matchPlayedV1ToV2, type EventMetadata } from './catalogue.js';

/** Turns the data of one event type from `fromVersion` into `fromVersion + 1`. */
export type Upcaster = (data: unknown, metadata: EventMetadata) => unknown;

/** A stored event whose type the catalogue does not know. */
export class UnknownEventTypeError extends Error {
  constructor(
    readonly eventType: string,
    readonly position?: number,
  ) {
    super(`${position === undefined ? '' : `event at position ${position}: `}unknown event type '${eventType}'`);
    this.name = 'UnknownEventTypeError';
  }
}

/** A stored event whose version cannot be brought to the current one. */
export class UnknownSchemaVersionError extends Error {
  constructor(
    readonly eventType: string,
    readonly version: number,
    readonly current: number,
    readonly detail: string,
    readonly position?: number,
  ) {
    super(
      `${position === undefined ? '' : `event at position ${position}: `}${eventType} version ${version} (current ${current}): ${detail}`,
    );
    this.name = 'UnknownSchemaVersionError';
  }
}

interface Envelope {
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export class UpcasterRegistry {
  private readonly versions: Map<string, number>;
  private readonly steps = new Map<string, Upcaster>();

  /** `currentVersions` overrides the catalogue's versions (tests use it to fake a newer catalogue). */
  constructor(currentVersions: Readonly<Record<string, number>> = {}) {
    this.versions = new Map(Object.entries(eventSchemas).map(([type, s]) => [type, s.version as number]));
    for (const [type, version] of Object.entries(currentVersions)) this.versions.set(type, version);
  }

  /** Registers the step `type` fromVersion → fromVersion + 1. */
  register(type: string, fromVersion: number, upcast: Upcaster): this {
    const current = this.currentVersion(type);
    if (!Number.isInteger(fromVersion) || fromVersion < 1 || fromVersion >= current) {
      throw new RangeError(`upcaster ${type} v${fromVersion}: the version must be an integer from 1 to ${current - 1}`);
    }
    const key = `${type}@${fromVersion}`;
    if (this.steps.has(key)) throw new Error(`upcaster ${type} v${fromVersion} is already registered`);
    this.steps.set(key, upcast);
    return this;
  }

  /** The version appends write and reads return; UnknownEventTypeError for a type the catalogue lacks. */
  currentVersion(type: string): number {
    const version = this.versions.get(type);
    if (version === undefined) throw new UnknownEventTypeError(type);
    return version;
  }

  /** Whether an event of this type and version needs upcasting (throws for unknown types and versions). */
  needsUpcast(type: string, version: number): boolean {
    const current = this.currentVersion(type);
    if (version === current) return false;
    if (!Number.isInteger(version) || version < 1) {
      throw new UnknownSchemaVersionError(type, version, current, 'not a valid version');
    }
    if (version > current) {
      throw new UnknownSchemaVersionError(type, version, current, 'written by newer code than this one');
    }
    return true;
  }

  /** The event at the current version of its type: a new object when upcast, the same one when already current. */
  upcast<E extends Envelope>(event: E): E {
    const from = event.metadata.schemaVersion;
    if (!this.needsUpcast(event.type, from)) return event;
    const current = this.currentVersion(event.type);
    let data = event.data;
    for (let v = from; v < current; v++) {
      const step = this.steps.get(`${event.type}@${v}`);
      if (!step) throw new UnknownSchemaVersionError(event.type, from, current, `no upcaster from version ${v}`);
      data = step(data, event.metadata);
    }
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: current } };
  }
}

/** AURORA's own upcasters: register each step here when a catalogue type gets a new version. */
export const upcasters = new UpcasterRegistry().register('MatchPlayed', 1, matchPlayedV1ToV2);
