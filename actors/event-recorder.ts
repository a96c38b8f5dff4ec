// Builds the events of one decision batch with deterministic metadata: the id of an event is its
// run, iteration and place in the batch, so a replay of the same run produces the same ids and the
// same fingerprints. Each recorded event is handed to `observe` at once, so projections used by later
// decisions of the same batch already include it.
import type { AuroraEvent, EventData, EventOf, EventType } from '../events/catalogue.js';
import { eventSchemas } from '../events/catalogue.js';

export class EventRecorder {
  readonly events: AuroraEvent[] = [];
  private seq = 0;

  /**
   * `batch` names the batch inside the run (the iteration number, or `start`, `end`, `stop-<n>`): event
   * ids are `<runId>:<batch>:<place in batch>`, unique because every batch of a run has its own name.
   */
  constructor(
    private readonly runId: string,
    private readonly iteration: number,
    private readonly correlationId: string,
    private readonly observe: (event: AuroraEvent) => void = () => {},
    private readonly batch: string = String(iteration),
  ) {}

  record<T extends EventType>(type: T, data: EventData<T>, causationId: string | null = null): EventOf<T> {
    const event = {
      type,
      data,
      metadata: {
        runId: this.runId,
        iteration: this.iteration,
        eventId: `${this.runId}:${this.batch}:${this.seq++}`,
        causationId,
        correlationId: this.correlationId,
        schemaVersion: eventSchemas[type].version,
      },
    } as unknown as EventOf<T>;
    this.events.push(event);
    this.observe(event);
    return event;
  }
}
