// Subscription filters, applied to a stored event's stream and type before it is decoded.
import type { SubscriptionFilter } from '../store.js';

export type RowPredicate = (stream: string, type: string) => boolean;

export function rowPredicate(filter: SubscriptionFilter | undefined): RowPredicate | null {
  const prefix = filter?.streamPrefix;
  const types = filter?.types ? new Set(filter.types) : null;
  if (!prefix && !types) return null;
  return (stream, type) => (!prefix || stream.startsWith(prefix)) && (!types || types.has(type));
}
