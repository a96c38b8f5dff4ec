// Waiting on the server with a bound: a drain, unsubscribe or flush needs it, and it may be away.

/** Resolves with how `promise` ended within `ms`: 'resolved', 'rejected', or 'pending' (still unsettled). */
async function outcomeWithin(promise: Promise<unknown>, ms: number): Promise<'resolved' | 'rejected' | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const settled = promise.then(
    () => 'resolved' as const,
    () => 'rejected' as const,
  );
  const result = await Promise.race([settled, new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)))]);
  clearTimeout(timer);
  return result;
}

/** True if the promise settled (either way) within `ms`. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return (await outcomeWithin(promise, ms)) !== 'pending';
}

/** True only if the promise resolved within `ms`: a flush that failed (the server is gone) is false too. */
export async function resolvesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return (await outcomeWithin(promise, ms)) === 'resolved';
}
