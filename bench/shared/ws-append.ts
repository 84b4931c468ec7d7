/**
 * Workload: Append with guarantee STORED through the Flux protocol (WebSocket, LZ4 frames), a few
 * connections each keeping several appends in flight. Frames are encoded before the clock starts,
 * so the clock measures the hub rather than the Node client sharing its cores.
 */
import { compress } from "../../src/protocol/compression";
import { stringifyJson } from "../../src/protocol/json";
import { FluxSocket, message } from "../../test/support/flux-socket";
import { payloadText } from "./payload";

/** Partitions per log in the hub: one, the unit the append suite's ceiling object compares with. */
export const PARTITIONS = 1;
/** The protocol workloads' spread: connections, and appends in flight per connection. */
export const SPREAD = { connections: 4, inFlight: 8 };

/** How a run is shaped. */
export interface AppendPlan {
  /** Messages per Append. */
  batch: number;
  /** Messages per run, split evenly over the connections. */
  messages: number;
  connections: number;
  /** Appends awaiting their acknowledgement per connection. */
  inFlight: number;
}

interface Frame {
  requestId: number;
  bytes: Uint8Array;
}

/** Encoded frames, one list per connection, reusable across runs that publish to fresh logs. */
export interface PreparedAppend {
  plan: AppendPlan;
  frames: Frame[][];
  wireBytes: number;
}

const utf8 = new TextEncoder();

/** Encodes every Append of a run as the LZ4 frame a Flux client would send. */
export async function prepareAppend(plan: AppendPlan): Promise<PreparedAppend> {
  const frames: Frame[][] = Array.from({ length: plan.connections }, () => []);
  let wireBytes = 0;
  for (let sent = 0, n = 0; sent < plan.messages; sent += plan.batch, n++) {
    const requestId = n + 1;
    const messages = Array.from({ length: plan.batch }, (_, i) => message(JSON.parse(payloadText(sent + i))));
    const body = { "@type": "append", messageType: "EVENT", messages, guarantee: "STORED", requestId };
    const bytes = await compress(utf8.encode(stringifyJson(body)), "LZ4");
    frames[n % plan.connections].push({ requestId, bytes });
    wireBytes += bytes.length;
  }
  return { plan, frames, wireBytes };
}

/** Sends a prepared run to the event log of `projectId`; resolves with the seconds it took. */
export async function runAppend(wsUrl: string, prepared: PreparedAppend, projectId: string): Promise<number> {
  const sockets = await Promise.all(
    prepared.frames.map((_, c) => FluxSocket.open(wsUrl, "tracking/publishevent", { projectId, clientId: `bench-${c}`, clientName: "bench" })),
  );
  try {
    const start = performance.now();
    await Promise.all(sockets.map((socket, c) => pipeline(socket, prepared.frames[c], prepared.plan.inFlight)));
    return (performance.now() - start) / 1000;
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
  }
}

/** Sends `frames` over one socket with at most `inFlight` unacknowledged at any time. */
async function pipeline(socket: FluxSocket, frames: Frame[], inFlight: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < frames.length) {
      const frame = frames[next++];
      // Registered before sending, so the result never needs to be looked up among earlier ones.
      const result = socket.result(frame.requestId, 60_000);
      socket.sendRaw(frame.bytes);
      const r = await result;
      if (r["@type"] !== "void") throw new Error(`append failed: ${JSON.stringify(r)}`);
      // The history FluxSocket keeps is not needed here; emptying it keeps result() lookups cheap.
      socket.received.length = 0;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}
