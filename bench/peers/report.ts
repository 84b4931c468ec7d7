/**
 * Peer results: medians per metric and system, the hub's ratio to each peer (taken round by round,
 * then the median, so drifting machine load cancels out), the Markdown table, the report and the
 * chart (one panel per workload, each on its own scale since units differ, a bar per system).
 */
import { barChart } from "../shared/chart";
import { machineLine } from "../shared/machine";
import { type SuiteHead, markdownReport, ms, ratio, roundsLine } from "../shared/report";
import { median } from "../shared/stats";
import { FLOOR_SHAPES } from "./floor";
import type { FloorShape } from "./floor-worker";
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

/** What the suite measured (bench/results/peers.json, after the {@link SuiteHead}). */
export interface PeerFigures {
  rounds: number;
  sizes: Sizes;
  /** The hub's frame compression. */
  compression: string;
  /** Whether the hub's consume waited for its audit trail to catch up (`--settle`). */
  settle: boolean;
  versions: Record<string, string>;
  metrics: PeerSummary[];
  floors: FloorSummary[];
}

/** The request/reply floor of one shape through the bare runtime (bench/peers/floor-worker.ts). */
export interface FloorSummary {
  id: FloorShape;
  label: string;
  /** p50 ms of each round, and their median. */
  runs: number[];
  median: number;
  /** Median over rounds of this floor ÷ core NATS's request/reply p50 in the same round. */
  natsRatio: number;
  /** Median over rounds of the hub's request/reply p50 ÷ this floor. */
  hubRatio: number;
}

/** `floors[shape][round]`: p50 ms. */
export type FloorSamples = Map<FloorShape, number[]>;

export type PeerResult = SuiteHead & PeerFigures;

/** `samples[metric][system][round]`. */
export type Samples = Map<string, Record<SystemId, number[]>>;

/** Whole from 1,000, two decimals below. */
const figure = (n: number) => (n >= 1000 ? Math.round(n) : Math.round(n * 100) / 100);

export function summarise(samples: Samples): PeerSummary[] {
  return METRICS.filter((m) => samples.has(m.id)).map((m) => {
    const s = samples.get(m.id)!;
    const hubOver = (peer: SystemId) => Math.round(median(s.hub.map((h, i) => h / s[peer][i])) * 1000) / 1000;
    const systems = Object.fromEntries(SYSTEMS.map(({ id }) => [id, { runs: s[id].map(figure), median: figure(median(s[id])) }])) as PeerSummary["systems"];
    return { ...m, systems, hubRatio: { nats: hubOver("nats"), redis: hubOver("redis") } };
  });
}

export function summariseFloors(floors: FloorSamples, samples: Samples): FloorSummary[] {
  const rr = samples.get("rr-p50")!;
  const r3 = (n: number) => Math.round(n * 1000) / 1000;
  return FLOOR_SHAPES.map(({ id, label }) => {
    const runs = floors.get(id)!;
    return {
      id,
      label,
      runs: runs.map(figure),
      median: r3(median(runs)),
      natsRatio: r3(median(runs.map((f, i) => f / rr.nats[i]))),
      hubRatio: r3(median(runs.map((f, i) => rr.hub[i] / f))),
    };
  });
}

/** A metric's value in its unit: milliseconds as {@link ms}, anything else whole. */
export function formatValue(v: number, unit: string): string {
  return unit === "ms" ? ms(v) : Math.round(v).toLocaleString("en-US");
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

export function floorTable(floors: FloorSummary[]): string {
  const lines = ["| Round trip through the runtime | p50 ms | ÷ core NATS | hub ÷ this |", "|---|---:|---:|---:|"];
  for (const f of floors) lines.push(`| ${f.label} | ${formatValue(f.median, "ms")} | ${ratio(f.natsRatio)} | ${ratio(f.hubRatio)} |`);
  return lines.join("\n");
}

/** bench/results/peers.md. */
export function peersReport(r: PeerResult): string {
  const n = r.sizes;
  return markdownReport(r, {
    title: "Side by side with NATS JetStream and Redis Streams",
    versions: r.versions,
    loadNote: "Servers and clients share the machine.",
    rounds: roundsLine(r, r.rounds, "the three systems alternating within each workload (order rotating per round)"),
    lines: [
      `Sizes: publish ${n.publish200.toLocaleString("en-US")} × 200 B and ${n.publish2k.toLocaleString("en-US")} × 2 KB; backlog ${n.backlog.toLocaleString("en-US")} × 200 B${n.backlog < 1_000_000 ? " (scaled down from 1,000,000 to fit the time budget; `--backlog 1000000` runs the full one)" : ""}; ` +
        `latency at 10,000 and 1,000 msg/s for ${n.latencySeconds} s each; ${n.roundTrips} round trips. Batches of 1,000, 4 in flight. The hub's frames: ${r.compression}.${r.settle ? " The hub's consume started once its audit trail had caught up (--settle)." : ""}`,
      "Ratios are hub ÷ peer per round, median over rounds: below 1× the hub is slower on msg/s rows, above 1× it is slower on ms rows.",
    ],
    tables: [
      markdownTable(r.metrics),
      "## The floor under request/reply\n\nThe same round trip (200 B, one in flight) through the same runtime with none of the hub's code (bench/peers/floor-worker.ts), in each round after the three systems: where any design of this shape starts.\n\n" +
        floorTable(r.floors),
    ],
    chart: { file: "peers.svg", alt: "Side by side" },
  });
}

const COLORS: Record<SystemId, string> = { hub: "#2f6fb0", nats: "#3a9a5b", redis: "#c8553d" };

/** bench/results/peers.svg. */
export function peersChart(r: PeerResult): string {
  return barChart({
    title: `Flux hub beside NATS JetStream and Redis Streams, ${r.date.slice(0, 10)}, ${machineLine(r.machine)}`,
    subtitle: `median of ${r.rounds} rounds${r.quick ? " (--quick)" : ""}; whiskers: slowest to fastest round; every panel has its own scale from zero; load average ${r.machine.loadAtStart[0]} at start`,
    legend: SYSTEMS.map((s) => ({ label: s.label, color: COLORS[s.id] })),
    columns: 2,
    panels: r.metrics.map((m) => ({
      title: m.label,
      note: `${m.better} is better`,
      axis: m.unit,
      bars: SYSTEMS.map((s) => {
        const v = m.systems[s.id];
        return { label: s.label, value: v.median, low: Math.min(...v.runs), high: Math.max(...v.runs), color: COLORS[s.id], text: formatValue(v.median, m.unit) };
      }),
    })),
  });
}
