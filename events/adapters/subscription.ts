// The one subscription every adapter uses: catch up page by page from `fromPosition`, then wait on the
// adapter's change signal and read again. Because positions are gap-free and assigned in commit order,
// reading `position >= cursor` after each wake-up can neither skip nor repeat an event, however appends
// race with the catch-up.
import type { RecordedEvent, SubscribeOptions, Subscription } from '../store.js';
import type { ChangeSignal } from './change-signal.js';
import { rowPredicate } from './filter.js';
import { fromPositionOf } from './paging.js';
import { checkContiguous } from './stored-row.js';

/** What a subscription needs from its adapter. */
export interface SubscriptionSource<Row extends { position: number; stream: string; type: string }> {
  /** Up to `max` stored rows with position >= from, in position order. */
  readRows(from: number, max: number): Promise<Row[]>;
  /** Turns a row into an event (verifying its fingerprint, upcasting). */
  toRecorded(row: Row): RecordedEvent | Promise<RecordedEvent>;
  readonly signal: ChangeSignal;
}

export class StoreSubscription<Row extends { position: number; stream: string; type: string }> implements Subscription {
  private readonly abort = new AbortController();
  private started = false;
  private closed = false;
  private readonly from: number;

  constructor(
    private readonly source: SubscriptionSource<Row>,
    private readonly options: SubscribeOptions,
    private readonly pageSize: number,
    private readonly onClose: (s: StoreSubscription<Row>) => void,
  ) {
    this.from = fromPositionOf(options.fromPosition);
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.started) throw new Error('a subscription can be iterated once');
    this.started = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<RecordedEvent> {
    try {
      const matches = rowPredicate(this.options.filter);
      let cursor = this.from;
      while (!this.closed) {
        // Ready before reading: a signal that had to reconnect hears every commit after this read.
        await this.source.signal.ready();
        const seen = this.source.signal.generation;
        const rows = await this.source.readRows(cursor, this.pageSize);
        if (this.closed) return;
        if (rows.length === 0) {
          await this.source.signal.waitBeyond(seen, this.abort.signal);
          continue;
        }
        checkContiguous(rows, cursor);
        for (const row of rows) {
          cursor = row.position + 1;
          if (matches && !matches(row.stream, row.type)) continue;
          yield await this.source.toRecorded(row);
          if (this.closed) return;
        }
      }
    } finally {
      this.markClosed();
    }
  }

  private markClosed(): void {
    if (!this.closed) this.closed = true;
    this.abort.abort();
    this.onClose(this);
  }

  /** Ends the subscription: a pending or later next() resolves done. */
  async close(): Promise<void> {
    this.markClosed();
  }
}
