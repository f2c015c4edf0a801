/** Order statistics for the bench: medians of rounds, percentiles of latencies. */

/** The median of a list (mean of the two middle values when even); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const upper = sorted[mid] ?? Number.NaN
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2
}

/**
 * Nearest-rank percentile (p in 0..100) of an ascending-sorted array: the
 * smallest value with at least p% of the samples at or below it.
 */
export function percentile(sortedAscending: ArrayLike<number>, p: number): number {
  const n = sortedAscending.length
  if (n === 0) return Number.NaN
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)))
  return sortedAscending[rank - 1] ?? Number.NaN
}

/** Latency summary of one measurement window, in milliseconds. */
export interface LatencySummary {
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly max: number
  readonly samples: number
}

export function summarizeLatencies(samplesMs: Float64Array): LatencySummary {
  const sorted = Float64Array.from(samplesMs).sort()
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] ?? Number.NaN),
    samples: sorted.length,
  }
}
