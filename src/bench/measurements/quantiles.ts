/**
 * Nearest-rank quantile: the smallest sample such that at least q of all samples are <= it, i.e.
 * sorted[ceil(q * n) - 1]. No interpolation, so every reported value is one that was observed.
 * Returns null for no samples.
 */
export function nearestRank(samples: readonly number[], q: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

export interface QuantileSummary {
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  count: number;
}

export function summarize(samples: readonly number[]): QuantileSummary {
  return {
    p50: nearestRank(samples, 0.5),
    p90: nearestRank(samples, 0.9),
    p99: nearestRank(samples, 0.99),
    max: nearestRank(samples, 1),
    count: samples.length,
  };
}
