// What the requester, the workers and the blob server of one NATS transport share.
import type { NatsConnection } from '@nats-io/transport-node';
import type { Log } from '../port.js';
import type { BlobFetcher, BlobFetchStats } from './blob-fetch.js';
import type { BlobStore } from './blob-store.js';

export interface NatsTransportStats extends BlobFetchStats {
  /** Requester: requests made, messages sent for them (first sends, re-sends after busy, retries). */
  requests: number;
  sends: number;
  /** Requester: sends straight to a worker that said it had room (Aurora-Direct), and probes of the queue group while requests wait. */
  directSends: number;
  probes: number;
  /** Requester: answers `busy`, and no-responders statuses (no worker subscribed at that moment). */
  busy: number;
  noResponders: number;
  /** Requester: a worker that took a request did not answer in time; the request was sent again. */
  timeouts: number;
  retries: number;
  /** Requester: final answers by worker id. */
  answeredBy: Record<string, number>;
  /** Requester: by worker id, the time (ms) between its `accepted` and its final answer, summed: how long it held our requests. */
  heldMs: Record<string, number>;
  /** Worker: requests taken, declined as busy, and answered. */
  accepted: number;
  declined: number;
  answered: number;
  /** Blob server: chunks and bytes served. */
  chunksServed: number;
  bytesServed: number;
}

export function emptyStats(): NatsTransportStats {
  return {
    requests: 0,
    sends: 0,
    directSends: 0,
    probes: 0,
    busy: 0,
    noResponders: 0,
    timeouts: 0,
    retries: 0,
    answeredBy: {},
    heldMs: {},
    accepted: 0,
    declined: 0,
    answered: 0,
    chunksServed: 0,
    bytesServed: 0,
    blobCacheHits: 0,
    blobsFetched: 0,
    chunksFetched: 0,
    bytesFetched: 0,
  };
}

export interface NatsContext {
  readonly nc: NatsConnection;
  /** This transport's id: its blob subject's last token and the prefix of its workers' ids. */
  readonly id: string;
  readonly log: Log;
  /** Blobs this transport serves (request and reply fields it sent) and caches (blobs it pulled). */
  readonly blobs: BlobStore;
  readonly fetcher: BlobFetcher;
  readonly stats: NatsTransportStats;
  /** Largest message sent whole; bigger ones go as a manifest plus blobs. */
  inlineBytes(): number;
  readonly maxBlobBytes: number;
  /** How long a reply's blobs are kept for the requester to pull them (ms). */
  readonly replyLeaseMs: number;
}
