// Small valid events for the event tests. Ids are derived from the arguments, so tests are deterministic.
import type { AuroraEvent, EventMetadata, EventOf } from '../../events/catalogue.js';

export function meta(eventId: string, overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    runId: 'r1',
    iteration: 0,
    eventId,
    causationId: null,
    correlationId: null,
    schemaVersion: 1,
    ...overrides,
  };
}

export function rating(id: string, before = 1500, after = 1516): EventOf<'RatingChanged'> {
  return { type: 'RatingChanged', data: { policyId: `p-${id}`, matchId: `m-${id}`, before, after }, metadata: meta(id) };
}

export function match(id: string): EventOf<'MatchPlayed'> {
  return {
    type: 'MatchPlayed',
    data: { matchId: `m-${id}`, scenarioId: 's1', players: ['p1', 'p2'], rewards: [0.25, -1.5], outcomes: [0.5] },
    metadata: meta(id, { iteration: 3, correlationId: 'it-3', schemaVersion: 2 }),
  };
}

export function runStarted(id: string): EventOf<'RunStarted'> {
  return {
    type: 'RunStarted',
    // keys deliberately out of order, nested JSON config with mixed values
    data: { seed: 42, runId: 'r1', mind: 'offline', codeVersion: 'aurora 0.1.0', config: { z: [1, 2.5, null], a: { y: 'x', b: true } } },
    metadata: meta(id),
  };
}

/** `count` RatingChanged events with ids `${prefix}-0`, `${prefix}-1`, … */
export function ratings(prefix: string, count: number): AuroraEvent[] {
  return Array.from({ length: count }, (_, i) => rating(`${prefix}-${i}`, 1500 + i, 1501 + i));
}

/** The parts of an event its fingerprint covers, for comparing a recorded event with what was appended. */
export function envelope(e: { type: string; data: unknown; metadata: unknown }): { type: string; data: unknown; metadata: unknown } {
  return { type: e.type, data: e.data, metadata: e.metadata };
}
