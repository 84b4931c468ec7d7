/**
 * The statistics every suite reports: medians, nearest-rank percentiles, rounding, and the
 * summaries of a rate measured once per round and of round trips pooled over rounds.
 */

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The `p`-th percentile (0-100) by nearest rank; NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** `n` rounded to `digits` decimals. */
export const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A rate measured once per round. */
export interface RateSummary {
  runs: number[];
  median: number;
  min: number;
  max: number;
}

/** Whole-number figures of a rate's rounds. */
export function summariseRate(runs: number[]): RateSummary {
  return { runs: runs.map(Math.round), median: Math.round(median(runs)), min: Math.round(Math.min(...runs)), max: Math.round(Math.max(...runs)) };
}

/** Round-trip times pooled over all recorded rounds (ms). */
export interface LatencySummary {
  samples: number;
  p50: number;
  p99: number;
  /** Round trips per second at the median: what one requester at this depth gets. */
  perSecondAtP50: number;
}

/** Percentiles of round trips made `inFlight` at a time. */
export function summariseLatency(ms: number[], inFlight = 1): LatencySummary {
  const p50 = percentile(ms, 50);
  return { samples: ms.length, p50: round(p50, 2), p99: round(percentile(ms, 99), 2), perSecondAtP50: Math.round((1000 / p50) * inFlight) };
}
