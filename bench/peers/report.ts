/**
 * Peer results: medians per metric and system, the hub's ratio to each peer (taken round by round,
 * then the median, so drifting machine load cancels out), the Markdown table and report.
 */
import type { Machine } from "../shared/machine";
import { median } from "../append/report";
import type { SystemId } from "./system";
import { METRICS, type Metric, type Sizes } from "./workloads";

export const SYSTEMS: { id: SystemId; label: string }[] = [
  { id: "hub", label: "Flux hub" },
  { id: "nats", label: "NATS JetStream" },
  { id: "redis", label: "Redis Streams" },
];

/** One metric over all rounds. */
export interface PeerSummary extends Metric {
  /** Per system: the value of every round, and the median. */
  systems: Record<SystemId, { runs: number[]; median: number }>;
  /** Median over rounds of hub ÷ peer (for "lower is better" metrics above 1 means the hub is slower). */
  hubRatio: { nats: number; redis: number };
}

/** bench/results/peers.json. */
export interface PeerResult {
  date: string;
  quick: boolean;
  rounds: number;
  seconds: number;
  sizes: Sizes;
  versions: Record<string, string>;
  machine: Machine;
  metrics: PeerSummary[];
}

/** `samples[metric][system][round]`. */
export type Samples = Map<string, Record<SystemId, number[]>>;

const round = (n: number) => (n >= 1000 ? Math.round(n) : Math.round(n * 100) / 100);

export function summarise(samples: Samples): PeerSummary[] {
  return METRICS.filter((m) => samples.has(m.id)).map((m) => {
    const s = samples.get(m.id)!;
    const ratio = (peer: SystemId) => Math.round(median(s.hub.map((h, i) => h / s[peer][i])) * 1000) / 1000;
    const systems = Object.fromEntries(SYSTEMS.map(({ id }) => [id, { runs: s[id].map(round), median: round(median(s[id])) }])) as PeerSummary["systems"];
    return { ...m, systems, hubRatio: { nats: ratio("nats"), redis: ratio("redis") } };
  });
}

export function formatValue(v: number, unit: string): string {
  if (unit === "ms" && v < 100) return v >= 10 ? v.toFixed(1) : v.toFixed(2);
  return Math.round(v).toLocaleString("en-US");
}

function ratio(r: number): string {
  return r >= 10 ? `${r.toFixed(0)}×` : r >= 1 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

export function markdownTable(metrics: PeerSummary[]): string {
  const lines = [
    `| Workload | unit | ${SYSTEMS.map((s) => s.label).join(" | ")} | hub ÷ NATS | hub ÷ Redis |`,
    `|---|---|${SYSTEMS.map(() => "---:").join("|")}|---:|---:|`,
  ];
  for (const m of metrics) {
    const values = SYSTEMS.map((s) => formatValue(m.systems[s.id].median, m.unit)).join(" | ");
    lines.push(`| ${m.label} | ${m.unit} (${m.better} is better) | ${values} | ${ratio(m.hubRatio.nats)} | ${ratio(m.hubRatio.redis)} |`);
  }
  return lines.join("\n");
}

export function markdownReport(r: PeerResult): string {
  const m = r.machine;
  const n = r.sizes;
  return [
    `# Side by side with NATS JetStream and Redis Streams, ${r.date.slice(0, 10)}`,
    "",
    `Machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, Miniflare ${m.miniflare}; ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
    `Load average (1/5/15 min): ${m.loadAtStart.join(" / ")} at start, ${m.loadAtEnd.join(" / ")} at end. Servers and clients share the machine.`,
    `Median of ${r.rounds} rounds${r.quick ? " (--quick)" : ""}, the three systems alternating within each workload (order rotating per round); ${r.seconds} s in all.`,
    `Sizes: publish ${n.publish200.toLocaleString("en-US")} × 200 B and ${n.publish2k.toLocaleString("en-US")} × 2 KB; backlog ${n.backlog.toLocaleString("en-US")} × 200 B${n.backlog < 1_000_000 ? " (scaled down from 1,000,000 to fit the time budget; `--backlog 1000000` runs the full one)" : ""}; ` +
      `latency at 10,000 and 1,000 msg/s for ${n.latencySeconds} s each; ${n.roundTrips} round trips. Batches of 1,000, 4 in flight.`,
    "Ratios are hub ÷ peer per round, median over rounds: below 1× the hub is slower on msg/s rows, above 1× it is slower on ms rows.",
    "",
    markdownTable(r.metrics),
    "",
    "![Side by side](peers.svg)",
    "",
  ].join("\n");
}
