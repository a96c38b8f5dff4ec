// "Did you mean …?" for misspelt names: the closest known name by edit distance, when it is close.

/** Levenshtein distance (insert, delete, substitute), with an early cut-off. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/** The known name closest to `name`, if it is within a third of its length (at least 1, at most 3 edits). */
export function closest(name: string, known: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...known].sort()) {
    // A name that matches after its dotted prefix (fre_cores → node.free_cores) also counts.
    const d = Math.min(editDistance(name, candidate), editDistance(name, candidate.slice(candidate.indexOf('.') + 1)) + 1);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** " (did you mean x?)" or "". */
export function didYouMean(name: string, known: Iterable<string>): string {
  const s = closest(name, known);
  return s === undefined ? '' : ` (did you mean ${s}?)`;
}
