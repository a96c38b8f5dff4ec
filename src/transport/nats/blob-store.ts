// Blobs by content hash, least recently used first out, bounded in bytes. A pinned blob (a request still
// waiting for workers to pull it, a reply not yet pulled) is never evicted.
import { createHash } from 'node:crypto';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface Entry {
  readonly bytes: Uint8Array;
  pins: number;
}

export class BlobStore {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly entries = new Map<string, Entry>();
  private readonly leases = new Map<string, Set<() => void>>();
  private readonly leaseWaiters: (() => void)[] = [];
  private total = 0;

  constructor(readonly capacityBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  has(hash: string): boolean {
    return this.entries.has(hash);
  }

  get(hash: string): Uint8Array | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    this.entries.delete(hash);
    this.entries.set(hash, entry);
    return entry.bytes;
  }

  put(hash: string, bytes: Uint8Array): void {
    this.add(hash, bytes, 0);
  }

  /** Puts the blob and keeps it until the returned function is called (idempotent). */
  putPinned(hash: string, bytes: Uint8Array): () => void {
    return this.unpinner(this.add(hash, bytes, 1));
  }

  /** Puts the blob and keeps it for at most `ms`, or until `release(hash)` (its last chunk was served). */
  putLeased(hash: string, bytes: Uint8Array, ms: number): void {
    const unpin = this.putPinned(hash, bytes);
    let set = this.leases.get(hash);
    if (!set) this.leases.set(hash, (set = new Set()));
    const end = () => {
      clearTimeout(timer);
      unpin();
      set.delete(end);
      if (set.size === 0 && this.leases.get(hash) === set) this.leases.delete(hash);
      if (this.leases.size === 0) for (const wake of this.leaseWaiters.splice(0)) wake();
    };
    const timer = setTimeout(end, ms);
    timer.unref();
    set.add(end);
  }

  private add(hash: string, bytes: Uint8Array, pins: number): Entry {
    let entry = this.entries.get(hash);
    if (entry) {
      entry.pins += pins;
      this.get(hash);
    } else {
      entry = { bytes, pins };
      this.entries.set(hash, entry);
      this.total += bytes.length;
    }
    this.evict();
    return entry;
  }

  private unpinner(entry: Entry): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      entry.pins--;
      this.evict();
    };
  }

  release(hash: string): void {
    for (const end of [...(this.leases.get(hash) ?? [])]) end();
  }

  get leased(): number {
    return this.leases.size;
  }

  /** Resolves when no blob is leased any more. */
  whenNoLeases(): Promise<void> {
    if (this.leases.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.leaseWaiters.push(resolve));
  }

  private evict(): void {
    if (this.total <= this.capacityBytes) return;
    for (const [hash, entry] of this.entries) {
      if (this.total <= this.capacityBytes) break;
      if (entry.pins > 0) continue;
      this.entries.delete(hash);
      this.total -= entry.bytes.length;
    }
  }
}
