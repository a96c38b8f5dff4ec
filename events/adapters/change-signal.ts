// How a waiting subscription learns that new events may have been committed. A signal is a counter that
// only grows: a subscription reads the counter, reads the store, and when it found nothing waits for the
// counter to move past what it read. A commit that lands between the read and the wait has already moved
// the counter, so no wake-up is lost; a spurious one costs one empty read.

export interface ChangeSignal {
  /** Grows whenever events may have been committed. */
  readonly generation: number;
  /** Resolves once the signal is live (commits from now on move the counter). */
  ready(): Promise<void>;
  /** Resolves when generation > seen, or when `abort` fires. */
  waitBeyond(seen: number, abort: AbortSignal): Promise<void>;
}

/** An in-process signal: whoever commits calls bump(). */
export class Notifier implements ChangeSignal {
  generation = 0;
  private readonly waiters = new Set<() => void>();
  /** Called when the first subscriber starts waiting and when the last one stops (e.g. to poll). */
  onWaitersChanged: ((count: number) => void) | null = null;

  bump(): void {
    this.generation++;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
    this.onWaitersChanged?.(this.waiters.size);
  }

  get waiting(): number {
    return this.waiters.size;
  }

  async ready(): Promise<void> {}

  waitBeyond(seen: number, abort: AbortSignal): Promise<void> {
    if (this.generation > seen || abort.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        abort.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiters.delete(wake);
        this.onWaitersChanged?.(this.waiters.size);
        resolve();
      };
      abort.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(wake);
      this.onWaitersChanged?.(this.waiters.size);
    });
  }
}
