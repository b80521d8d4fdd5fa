/** Statistics of samples: the bench reports medians of rounds, latency percentiles and means. */

/**
 * The `p`-th percentile (0-100) of `samples`, interpolating linearly between the two closest
 * ranks (numpy's default), so the median of an even count is the mean of the middle two.
 * @throws RangeError when there are no samples or `p` is outside 0-100.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be between 0 and 100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (rank - below);
}

/** The `p`-th percentile of `samples` ({@link percentile}), or null when there are none. */
export function percentileOrNull(samples: readonly number[], p: number): number | null {
  return samples.length > 0 ? percentile(samples, p) : null;
}

/** The median of `samples`: robust to the odd round disturbed by another process on the machine. */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/**
 * The arithmetic mean of `samples`.
 * @throws RangeError when there are no samples.
 */
export function mean(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('mean of no samples');
  return samples.reduce((sum, sample) => sum + sample, 0) / samples.length;
}
