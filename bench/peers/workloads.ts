/**
 * The peer workloads and what each reports. A step runs one workload on one system and yields one
 * or more metrics (the backlog step yields both consume figures, the latency step p50 and p99).
 * Sizes are scaled to fit the time budget on a shared 2-core machine: the issue's
 * 1,000,000-message backlog becomes 100,000 (30,000 with --quick). Latency is measured at the
 * issue's 10,000 msg/s and, to show it unsaturated as well, at 1,000 msg/s.
 */
import { percentile } from "../shared/stats";
import { Arrivals, DRAIN_MS } from "./flow";
import { type PayloadPool, payloadPool } from "../shared/payload";
import type { System } from "./system";

/** One reported figure. */
export interface Metric {
  id: string;
  label: string;
  unit: string;
  better: "higher" | "lower";
}

export const METRICS: Metric[] = [
  { id: "publish-200", label: "Publish, 200 B", unit: "msg/s", better: "higher" },
  { id: "publish-2k", label: "Publish, 2 KB", unit: "msg/s", better: "higher" },
  { id: "consume-1", label: "Consume backlog, group of 1", unit: "msg/s", better: "higher" },
  { id: "consume-4", label: "Consume backlog, group of 4", unit: "msg/s", better: "higher" },
  { id: "latency-10k-p50", label: "Latency at 10,000 msg/s, p50", unit: "ms", better: "lower" },
  { id: "latency-10k-p99", label: "Latency at 10,000 msg/s, p99", unit: "ms", better: "lower" },
  { id: "latency-1k-p50", label: "Latency at 1,000 msg/s, p50", unit: "ms", better: "lower" },
  { id: "latency-1k-p99", label: "Latency at 1,000 msg/s, p99", unit: "ms", better: "lower" },
  { id: "rr-p50", label: "Request/reply round trip, p50", unit: "ms", better: "lower" },
  { id: "rr-rate", label: "Request/reply, 1 in flight", unit: "round trips/s", better: "higher" },
];

export interface Sizes {
  publish200: number;
  publish2k: number;
  backlog: number;
  latencySeconds: number;
  roundTrips: number;
}

export function sizes(quick: boolean): Sizes {
  return quick
    ? { publish200: 20_000, publish2k: 5_000, backlog: 30_000, latencySeconds: 2, roundTrips: 60 }
    : { publish200: 50_000, publish2k: 15_000, backlog: 100_000, latencySeconds: 4, roundTrips: 200 };
}

/** A workload: runs once on a system (in a log named after `run`) and returns metric values. */
export interface Step {
  id: string;
  run(system: System, run: string): Promise<Record<string, number>>;
}

/** Steady load at `rate` msg/s of 200 B messages; p50 and p99 of publish-to-receive. */
function latency(id: string, rate: number, seconds: number): Step {
  return {
    id,
    async run(system, run) {
      const arrivals = new Arrivals();
      try {
        await system.latency(run, rate, seconds, 200, arrivals);
      } finally {
        await system.drop(run);
      }
      const late = arrivals.sent - arrivals.latencies.length;
      if (late > 0) {
        process.stderr.write(`bench: ${system.id} ${id}: ${late} of ${arrivals.sent} messages not in ${DRAIN_MS / 1000} s after the load; counted at ${DRAIN_MS} ms, a lower bound\n`);
        arrivals.latencies.push(...Array<number>(late).fill(DRAIN_MS));
      }
      return { [`${id}-p50`]: percentile(arrivals.latencies, 50), [`${id}-p99`]: percentile(arrivals.latencies, 99) };
    },
  };
}

export function steps(n: Sizes): Step[] {
  const small: PayloadPool = payloadPool(200);
  const large: PayloadPool = payloadPool(2000);
  const publish = (id: string, pool: PayloadPool, count: number): Step => ({
    id,
    async run(system, run) {
      try {
        return { [id]: count / (await system.publish(run, pool, count)) };
      } finally {
        await system.drop(run);
      }
    },
  });
  return [
    publish("publish-200", small, n.publish200),
    publish("publish-2k", large, n.publish2k),
    {
      id: "consume",
      async run(system, run) {
        try {
          await system.publish(run, small, n.backlog);
          const one = await system.consume(run, "group1", 1, n.backlog);
          const four = await system.consume(run, "group4", 4, n.backlog);
          return { "consume-1": n.backlog / one, "consume-4": n.backlog / four };
        } finally {
          await system.drop(run);
        }
      },
    },
    latency("latency-10k", 10_000, n.latencySeconds),
    latency("latency-1k", 1_000, n.latencySeconds),
    {
      id: "rr",
      async run(system, run) {
        const times = await system.requestReply(run, n.roundTrips, 200);
        return { "rr-p50": percentile(times, 50), "rr-rate": (times.length * 1000) / times.reduce((a, b) => a + b, 0) };
      },
    },
  ];
}
