// Pulls a blob from its owner's blob subject in chunks (a few in flight at once), checks its hash, and
// caches it, so the same blob is never pulled twice while the cache holds it.
import { RequestError, TimeoutError, type NatsConnection } from '@nats-io/transport-node';
import { encodeMessage } from '../codec.js';
import { TransportError } from '../errors.js';
import { sha256, type BlobStore } from './blob-store.js';
import { Header } from './wire.js';

/** The blob could not be had: its owner is gone, no longer has it, or sent something else. Retryable. */
export class BlobUnavailableError extends TransportError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BlobUnavailableError';
  }
}

export interface BlobFetchOptions {
  chunkBytes: number;
  /** Chunks in flight at once. */
  window: number;
  chunkTimeoutMs: number;
  /** Attempts per chunk before giving up. */
  tries: number;
}

export interface BlobFetchStats {
  blobCacheHits: number;
  blobsFetched: number;
  chunksFetched: number;
  bytesFetched: number;
}

export class BlobFetcher {
  private readonly inflight = new Map<string, Promise<Uint8Array>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly cache: BlobStore,
    private readonly options: BlobFetchOptions,
    private readonly stats: BlobFetchStats,
  ) {}

  /** `keep`: cache it (a worker keeps request blobs; a requester has no use for a reply once read). */
  fetch = async (source: string, hash: string, size: number, keep = true): Promise<Uint8Array> => {
    const cached = this.cache.get(hash);
    if (cached) {
      this.stats.blobCacheHits++;
      return cached;
    }
    let pending = this.inflight.get(hash);
    if (!pending) {
      pending = this.pull(source, hash, size, keep).finally(() => this.inflight.delete(hash));
      this.inflight.set(hash, pending);
    }
    return pending;
  };

  private async pull(source: string, hash: string, size: number, keep: boolean): Promise<Uint8Array> {
    const maxPayload = this.nc.info?.max_payload ?? 1024 * 1024;
    const chunk = Math.max(1024, Math.min(this.options.chunkBytes, maxPayload - 4096));
    const out = new Uint8Array(size);
    let next = 0;
    const puller = async () => {
      while (next < size) {
        const offset = next;
        const length = Math.min(chunk, size - offset);
        next += length;
        const data = await this.chunk(source, hash, offset, length);
        if (data.length !== length) {
          throw new BlobUnavailableError(`${source} sent ${data.length} bytes of blob ${short(hash)} at ${offset}, not ${length}`);
        }
        out.set(data, offset);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.options.window, Math.ceil(size / chunk))) }, puller));
    if (sha256(out) !== hash) throw new BlobUnavailableError(`blob ${short(hash)} from ${source} does not match its hash`);
    if (keep) this.cache.put(hash, out);
    this.stats.blobsFetched++;
    return out;
  }

  private async chunk(source: string, hash: string, offset: number, length: number): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt++) {
      try {
        const msg = await this.nc.request(source, encodeMessage({ hash, offset, length }), { timeout: this.options.chunkTimeoutMs });
        if (msg.headers?.get(Header.status) !== 'ok') {
          throw new BlobUnavailableError(`${source} no longer holds blob ${short(hash)}`);
        }
        this.stats.chunksFetched++;
        this.stats.bytesFetched += msg.data.length;
        return msg.data;
      } catch (err) {
        if (err instanceof BlobUnavailableError) throw err;
        if (err instanceof RequestError && err.isNoResponders()) {
          throw new BlobUnavailableError(`nobody serves ${source} any more`, { cause: err });
        }
        if (attempt < this.options.tries && (err instanceof TimeoutError || err instanceof RequestError)) continue;
        throw new BlobUnavailableError(`could not pull blob ${short(hash)} from ${source}: ${(err as Error).message}`, { cause: err });
      }
    }
  }
}

const short = (hash: string) => hash.slice(0, 12);
