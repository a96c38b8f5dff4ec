// The summary of a figure measured over several rounds: median, quartiles and range. Benches on a shared
// machine report the median (one slow or fast round moves it little) with the spread beside it, never one
// pass or the fastest of a few, so that two figures measured the same way can be compared.

export interface Summary {
  n: number;
  min: number;
  /** First quartile, median and third quartile, by linear interpolation between order statistics. */
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** The q-quantile (0 ≤ q ≤ 1) of values already sorted ascending: linear interpolation (Hyndman–Fan type 7, R's default). */
function quantileOfSorted(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below);
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no values');
  if (values.some((v) => !Number.isFinite(v))) throw new Error('summarize: a value is not a finite number');
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    min: sorted[0]!,
    q1: quantileOfSorted(sorted, 0.25),
    median: quantileOfSorted(sorted, 0.5),
    q3: quantileOfSorted(sorted, 0.75),
    max: sorted[sorted.length - 1]!,
  };
}

export const median = (values: readonly number[]): number => summarize(values).median;
