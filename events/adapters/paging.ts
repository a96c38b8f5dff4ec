// The paging options of readStream and readAll, checked the same way by every adapter.

/** The validated maxCount (null: no limit). */
export function maxCountOf(maxCount: number | undefined): number | null {
  if (maxCount === undefined) return null;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) {
    throw new TypeError(`maxCount must be an integer >= 0, not ${String(maxCount)}`);
  }
  return maxCount;
}

/** The first position readAll and subscribe read (positions start at 1). */
export function fromPositionOf(fromPosition: number | undefined): number {
  const from = fromPosition ?? 1;
  if (!Number.isSafeInteger(from)) throw new TypeError(`fromPosition must be an integer, not ${String(fromPosition)}`);
  return Math.max(1, from);
}

/** The first revision readStream reads. */
export function fromRevisionOf(from: number | undefined): number {
  const revision = from ?? 0;
  if (!Number.isSafeInteger(revision)) throw new TypeError(`from must be an integer revision, not ${String(from)}`);
  return Math.max(0, revision);
}
