/**
 * The hub through its own Node SDK (src/client): Appends of 1,000 messages with guarantee STORED,
 * trackers that Read and StorePosition per batch, and query → handler → RESULT request/response.
 * Every run is its own project, so its logs start empty. Frames are LZ4 (Flux's default) unless
 * the suite runs with `--compression NONE`.
 */
import { type FluxClient, connect } from "../../src/client";
import { Endpoints, readPath } from "../../src/client/endpoints";
import type { Logger } from "../../src/client/logger";
import { type MessageBatch, Tracker } from "../../src/client/tracker";
import type { Compression } from "../../src/protocol/compression";
import type { Hub } from "../../test/support/hub";
import { Arrivals, Countdown, steady, timedRoundTrips, windowed, within } from "./flow";
import { type PayloadPool, payload } from "../shared/payload";
import { BATCH, IN_FLIGHT, type System } from "./system";

/** SDK diagnostics (reconnects, retries) go to stderr; a bench run should show none. */
const logger: Logger = {
  warn: (m, ...d) => process.stderr.write(`bench: hub client: ${m} ${d.map(String).join(" ")}\n`),
  error: (m, ...d) => process.stderr.write(`bench: hub client: ${m} ${d.map(String).join(" ")}\n`),
};

/** Where the bench's clients connect, and how they compress frames. */
interface Target {
  wsUrl: string;
  compression: Compression;
}

const client = (hub: Target, projectId: string, clientName: string): FluxClient => connect({ url: hub.wsUrl, projectId, clientName, logger, compression: hub.compression });

/** A tracker on the EVENT log of `projectId` (the SDK's own Tracker, Read + StorePosition). */
function tracker(hub: Target, projectId: string, consumer: string, id: string, lastIndex: bigint | null, signal: AbortSignal) {
  const endpoints = new Endpoints({
    url: hub.wsUrl, projectId, clientName: "bench-consumer", clientId: id, compression: hub.compression, logger, pingIntervalMs: 10_000, pingTimeoutMs: 5_000, timeoutMs: 30_000,
  });
  const t = new Tracker(
    endpoints.connection(readPath("EVENT")),
    {
      messageType: "EVENT", consumer, trackerId: id, maxSize: BATCH, maxTimeoutMs: 1000, typeFilter: null, filterMessageTarget: false,
      ignoreSegment: false, singleTracker: false, clientControlledIndex: false, lastIndex, storePositions: true,
    },
    signal,
    logger,
  );
  return { tracker: t, close: () => endpoints.close() };
}

/**
 * Reads batch after batch until `stopped()`, handing each to `received`; a batch's StorePosition
 * leaves in the same frame as the next Read (as the SDK's consume() sends them) and `committed`
 * runs once it is stored.
 */
async function pipelined(t: Tracker, stopped: () => boolean, received: (b: MessageBatch) => unknown, committed: (b: MessageBatch) => void): Promise<void> {
  let committing: Promise<void> = Promise.resolve();
  while (!stopped()) {
    const batch = await t.read();
    await committing;
    if (!batch) continue;
    received(batch);
    committing = t.commit(batch).then(() => committed(batch));
  }
  await committing;
}

/**
 * Waits until the audit trail of `projectId` holds every message, at most `ms`: with `--settle`,
 * a consume starts only once the feed's D1 inserts of the backlog, which the local runtime runs on
 * the same thread as the log, are done (deployed, D1 does that work elsewhere).
 */
async function auditSettled(url: string, projectId: string, ms = 60_000): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const lag = (await fetch(`${url}/api/projects/${projectId}/audit/lag`).then((r) => r.json())) as { messagesBehind: number };
    if (lag.messagesBehind === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the audit trail of ${projectId} did not catch up within ${ms} ms`);
}

export function hubSystem(running: Hub, compression: Compression = "LZ4", settle = false): System {
  const hub: Target = { wsUrl: running.wsUrl, compression };
  const project = (run: string) => `peers-${run}`;
  return {
    id: "hub",
    async publish(run, pool: PayloadPool, count) {
      const c = client(hub, project(run), "bench-publisher");
      try {
        const start = performance.now();
        await windowed(count, BATCH, IN_FLIGHT, (from, n) =>
          c.publish("EVENT", Array.from({ length: n }, (_, k) => pool.values[(from + k) % pool.values.length]), { guarantee: "STORED", timeoutMs: 60_000 }),
        );
        return (performance.now() - start) / 1000;
      } finally {
        await c.close();
      }
    },
    async drop() {
      // Logs live in the hub's temporary data folder, deleted when the hub stops.
    },
    async consume(run, group, consumers, count) {
      if (settle) await auditSettled(running.url, project(run));
      const countdown = new Countdown(count);
      const controller = new AbortController();
      const trackers = Array.from({ length: consumers }, (_, k) => tracker(hub, project(run), group, `${group}-${k}`, -1n, controller.signal));
      const start = performance.now();
      // Counted once committed; each StorePosition leaves with the next Read, as in the SDK's consume().
      const loops = trackers.map(({ tracker: t }) => pipelined(t, () => countdown.done || controller.signal.aborted, () => {}, (b) => countdown.add(b.messages.length)));
      try {
        return ((await within(120_000, `hub consume ${group}`, countdown.of(loops))) - start) / 1000;
      } finally {
        controller.abort();
        await Promise.allSettled(loops);
        await Promise.all(trackers.map(async ({ tracker: t, close }) => (await t.disconnect(), close())));
      }
    },
    async latency(run, rate, seconds, size, arrivals: Arrivals) {
      const controller = new AbortController();
      const { tracker: t, close } = tracker(hub, project(run), "latency", "latency-0", -1n, controller.signal);
      const loop = pipelined(t, () => controller.signal.aborted, (b) => b.messages.forEach((m) => arrivals.add((m.payload as { t: number }).t)), () => {});
      const c = client(hub, project(run), "bench-publisher");
      try {
        arrivals.sent = await steady(rate, seconds, 5, (from, n) =>
          c.publish("EVENT", Array.from({ length: n }, (_, k) => JSON.parse(payload(from + k, size, performance.now()))), { guarantee: "STORED" }),
        );
        await arrivals.drained();
      } finally {
        controller.abort();
        await c.close();
        await Promise.allSettled([loop]);
        await t.disconnect();
        close();
      }
    },
    async requestReply(run, count, size) {
      const handler = client(hub, project(run), "bench-handler");
      const asker = client(hub, project(run), "bench-asker");
      const consumer = handler.consume({ consumer: "echo", messageType: "QUERY", fromBeginning: true, maxTimeoutMs: 5_000, handler: (m) => m.payload });
      const body = JSON.parse(payload(0, size));
      try {
        return await timedRoundTrips(count, () => asker.query(body, { timeoutMs: 10_000 }));
      } finally {
        await consumer.stop();
        await Promise.all([asker.close(), handler.close()]);
      }
    },
    async close() {
      // The runner stops the hub itself.
    },
  };
}
