/**
 * What one measured operation of the services suite is: a rate (items per second) per round and,
 * for operations timed one request at a time, the latencies of that round's requests. Setup work
 * worth reporting (creating aggregates, indexing the search corpus) is measured once instead.
 */

/** One run's figures. */
export interface Sample {
  /** Items (events, values, schedules, documents, queries) per second. */
  rate: number;
  /** Milliseconds per timed operation, for latency workloads. */
  latenciesMs?: number[];
}

export type Service = "baseline" | "event sourcing" | "key-value" | "scheduling" | "search";

/** One measured thing. */
export interface ServiceWorkload {
  id: string;
  label: string;
  service: Service;
  /** What `rate` counts, e.g. "events/s". */
  unit: string;
  /** Whether the rate means the same kind of work as the baseline's messages/s (items stored or read). */
  comparable: boolean;
  /** Items per run, for the record. */
  items: number;
  run(round: number): Promise<Sample>;
}

/** A figure measured once, during setup, in one or more parts (chunks). */
export interface OneOff {
  id: string;
  label: string;
  service: Service;
  unit: string;
  items: number;
  seconds: number;
  /** The rate of each part, in order. */
  parts: number[];
  /** What was measured, for the report. */
  detail: string;
}

/** A service's workloads and what its setup measured. */
export interface ServiceSet {
  workloads: ServiceWorkload[];
  once: OneOff[];
}

/** Workload sizes: full, or a quarter with `--quick`, rounded up to a multiple of `step`. */
export function sized(full: number, quick: boolean, step = 1): number {
  return Math.ceil((quick ? full / 4 : full) / step) * step;
}
