// Large messages. A message whose canonical bytes exceed the inline limit travels as a small manifest: its
// small top-level fields inline, each large one (the scenario, a batch of scenarios) as a content-addressed
// blob {hash, size} that the receiver pulls in chunks from the sender's blob subject. Blobs are cached by
// hash, so a scenario already sent to a worker is not sent again, whatever else the request holds.
import { z } from 'zod';
import type { Role } from '../../../actors/protocol.js';
import { decodeChecked } from '../boundary.js';
import { encodeMessage, joinFields, type EncodedField } from '../codec.js';
import { InvalidMessageError, type Direction, type Side } from '../errors.js';
import { sha256 } from './blob-store.js';
import { isBlobSubject, type BodyKind } from './wire.js';

export interface PackedBody {
  readonly kind: BodyKind;
  readonly data: Uint8Array;
}

/** Stores a blob of the body and keeps it until it has been pulled (pinned or leased). */
export type HoldBlob = (hash: string, bytes: Uint8Array) => void;

const fieldName = /^[A-Za-z_$][\w$]*$/;

const Manifest = z
  .object({
    v: z.literal(1),
    source: z.string().refine(isBlobSubject, { message: 'not a blob subject' }),
    /** The small fields, as the canonical bytes of an object holding them. */
    inline: z.instanceof(Uint8Array),
    blobs: z
      .array(
        z
          .object({
            field: z.string().regex(fieldName),
            hash: z.string().regex(/^[0-9a-f]{64}$/),
            size: z.number().int().min(0),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
type Manifest = z.infer<typeof Manifest>;

/**
 * A message given as its canonical fields. Small: sent whole. Large: the largest fields become blobs
 * until the rest is at most half the inline limit.
 */
export function packBody(fields: readonly EncodedField[], inlineBytes: number, hold: HoldBlob, source: string): PackedBody {
  const total = fields.reduce((sum, f) => sum + f.key.length + 2 + f.bytes.length, 5);
  if (total <= inlineBytes) return { kind: 'inline', data: joinFields(fields) };
  const bySize = [...fields].sort((a, b) => b.bytes.length - a.bytes.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let rest = total;
  const blobs: Manifest['blobs'] = [];
  const inline: EncodedField[] = [];
  for (const field of bySize) {
    if (rest > inlineBytes / 2) {
      const hash = sha256(field.bytes);
      hold(hash, field.bytes);
      blobs.push({ field: field.key, hash, size: field.bytes.length });
      rest -= field.bytes.length;
    } else {
      inline.push(field);
    }
  }
  inline.sort((a, b) => (a.key < b.key ? -1 : 1));
  blobs.sort((a, b) => (a.field < b.field ? -1 : 1));
  const manifest: Manifest = { v: 1, source, inline: joinFields(inline) as Manifest['inline'], blobs };
  return { kind: 'manifest', data: encodeMessage(manifest) };
}

export type FetchBlob = (source: string, hash: string, size: number) => Promise<Uint8Array>;

/** Rebuilds a message from its manifest; a malformed manifest or blob is an invalid message. */
export async function unpackManifest(
  role: Role,
  direction: Direction,
  data: Uint8Array,
  side: Side,
  fetchBlob: FetchBlob,
  maxBlobBytes: number,
): Promise<unknown> {
  const parsed = Manifest.safeParse(decodeChecked(role, direction, data, side));
  if (!parsed.success) {
    throw new InvalidMessageError(role, direction, side, parsed.error.issues.map((i) => `manifest ${i.path.join('.')}: ${i.message}`));
  }
  const manifest = parsed.data;
  const inline = decodeChecked(role, direction, manifest.inline, side);
  if (inline === null || typeof inline !== 'object' || Array.isArray(inline) || inline instanceof Uint8Array) {
    throw new InvalidMessageError(role, direction, side, ['manifest inline: not an object']);
  }
  const problems: string[] = [];
  for (const blob of manifest.blobs) {
    if (Object.hasOwn(inline, blob.field)) problems.push(`manifest: field ${blob.field} is both inline and a blob`);
    if (blob.size > maxBlobBytes) problems.push(`manifest: blob for ${blob.field} is ${blob.size} bytes, over the ${maxBlobBytes} limit`);
  }
  if (problems.length > 0) throw new InvalidMessageError(role, direction, side, problems);
  const message: Record<string, unknown> = { ...(inline as Record<string, unknown>) };
  const values = await Promise.all(
    manifest.blobs.map(async (b) => decodeChecked(role, direction, await fetchBlob(manifest.source, b.hash, b.size), side)),
  );
  manifest.blobs.forEach((b, i) => (message[b.field] = values[i]));
  return message;
}
