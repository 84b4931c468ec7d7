/**
 * The workloads of one bench run, each prepared once and then run once per round against fresh
 * logs (or a fresh ceiling object), so every round starts from the same empty state.
 */
import type { Hub } from "../../test/support/hub";
import type { Ceiling } from "./ceiling";
import { preparePublish, runPublish } from "./http-publish";
import { PAYLOAD_BYTES } from "../shared/payload";
import { SPREAD, prepareAppend, runAppend } from "../shared/ws-append";

export type Kind = "protocol" | "http" | "ceiling";

/** One measured thing. */
export interface Workload {
  id: string;
  label: string;
  kind: Kind;
  /** Messages per run. */
  messages: number;
  /** Bytes per run on the wire (compressed frames or request bodies); 0 for the ceiling. */
  wireBytes: number;
  /** SQLite rows written per message, where the bench decides it (the ceiling); otherwise null. */
  rowsPerMessage: number | null;
  /** Runs once; resolves with messages per second. */
  run(round: number): Promise<number>;
}

/** Requests in flight for the HTTP workload. */
export const HTTP_IN_FLIGHT = 8;
/** Messages per RPC (and per batch row) for the ceiling, except for one row per transaction. */
export const CEILING_BATCH = 1000;

/**
 * Messages per run, sized so each run takes 2-5 s on a loaded 2-core machine (a quarter of that
 * with `quick`); the ceiling always inserts 100k rows, except one commit per row, which is slow.
 */
function sizes(quick: boolean) {
  const scale = quick ? 1 / 4 : 1;
  const round = (n: number, batch: number) => Math.ceil((n * scale) / (batch * SPREAD.connections)) * batch * SPREAD.connections;
  return {
    protocol: { 1: round(1_600, 1), 100: round(72_000, 100), 1000: round(150_000, 1000) } as Record<number, number>,
    http: round(36_000, 100),
    ceiling: 100_000,
    commits: Math.ceil(1_000 * scale),
  };
}

/** Builds (and encodes the traffic of) every workload. */
export async function prepareWorkloads(hub: Hub, ceiling: Ceiling, quick: boolean): Promise<Workload[]> {
  const n = sizes(quick);
  const workloads: Workload[] = [];
  for (const batch of [1, 100, 1000]) {
    const prepared = await prepareAppend({ batch, messages: n.protocol[batch], ...SPREAD });
    workloads.push({
      id: `ws-append-${batch}`,
      label: `Flux Append, ${batch.toLocaleString("en-US")}/append`,
      kind: "protocol",
      messages: n.protocol[batch],
      wireBytes: prepared.wireBytes,
      rowsPerMessage: null,
      run: async (r) => n.protocol[batch] / (await runAppend(hub.wsUrl, prepared, `bench-ws${batch}-r${r}`)),
    });
  }
  const publish = preparePublish({ batch: 100, messages: n.http, inFlight: HTTP_IN_FLIGHT });
  workloads.push({
    id: "http-publish-100",
    label: "HTTP POST, 100/request",
    kind: "http",
    messages: n.http,
    wireBytes: publish.wireBytes,
    rowsPerMessage: null,
    run: async (r) => n.http / (await runPublish(hub.url, publish, `bench-http-r${r}`)),
  });
  workloads.push({
    id: "ceiling-commits",
    label: "SQLite ceiling, 1 row/transaction",
    kind: "ceiling",
    messages: n.commits,
    wireBytes: 0,
    rowsPerMessage: 1,
    run: () => ceiling.run("rows", n.commits, 1),
  });
  workloads.push({
    id: "ceiling-rows",
    label: "SQLite ceiling, 1 row/message",
    kind: "ceiling",
    messages: n.ceiling,
    wireBytes: 0,
    rowsPerMessage: 1,
    run: () => ceiling.run("rows", n.ceiling, CEILING_BATCH),
  });
  workloads.push({
    id: "ceiling-batch",
    label: "SQLite ceiling, 1 row/1,000 messages",
    kind: "ceiling",
    messages: n.ceiling,
    wireBytes: 0,
    rowsPerMessage: 1 / CEILING_BATCH,
    run: () => ceiling.run("batch", n.ceiling, CEILING_BATCH),
  });
  return workloads;
}

/** Payload megabytes per second for a message rate. */
export function megabytesPerSecond(messagesPerSecond: number): number {
  return (messagesPerSecond * PAYLOAD_BYTES) / 1e6;
}
