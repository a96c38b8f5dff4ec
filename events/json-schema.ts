// A JSON Schema per event type, of the whole envelope {type, data, metadata}, for tools outside AURORA
// (NATS followers, dashboards, other languages). Generated from the catalogue's zod schemas, so it
// cannot drift from what appends accept. Input shapes: fields with defaults may be absent, as appends
// store events exactly as given.
import { z } from 'zod';
import { EventMetadata, eventSchemas, eventTypes, type EventType } from './catalogue.js';

/** The zod schema of one type's whole envelope, at its current version. */
export function envelopeSchema(type: EventType): z.ZodType {
  const { version, data } = eventSchemas[type];
  return z
    .object({
      type: z.literal(type),
      data: data as z.ZodType,
      metadata: EventMetadata.extend({ schemaVersion: z.literal(version) }),
    })
    .strict()
    .describe(`AURORA event ${type}, schema version ${version}`);
}

/** The JSON Schema (draft 2020-12) of one event type's envelope. */
export function eventJsonSchema(type: EventType): Record<string, unknown> {
  return z.toJSONSchema(envelopeSchema(type), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** {type: JSON Schema} for every event type, in sorted order. */
export function eventJsonSchemas(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const type of eventTypes) out[type] = eventJsonSchema(type);
  return out;
}
