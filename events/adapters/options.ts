// Options every adapter takes.
import type { UpcasterRegistry } from '../upcasters.js';

export interface StoreOptions {
  /** Upcasters applied on read (default: AURORA's registry, events/upcasters.ts). */
  upcasters?: UpcasterRegistry;
  /**
   * Validate every event read against the catalogue (default false). Appends always validate, and reads
   * always verify the fingerprint, so a current-version event cannot have changed since it was checked;
   * upcast events are always validated. Turn this on to audit a store written by other tools.
   */
  validateOnRead?: boolean;
  /** Events a subscription reads per page while catching up (default 512). */
  subscriptionPageSize?: number;
}
