/**
 * Workloads through the TypeScript SDK (src/client), mirroring the raw-protocol ones of the
 * tracking suite: `flux.publish` of 1,000-payload batches (STORED, several in flight) and a
 * `flux.consume` handler counting them; `flux.query` answered by a `flux.consume` QUERY handler.
 * The SDK encodes payloads itself, so its publish clock includes that client-side work.
 */
import { connect } from "../../src/client";
import { payloadText } from "../shared/payload";
import type { ConsumeRun } from "../shared/consume";
import { lanes } from "../shared/query";

/** Payload batches of a run, parsed once so every run publishes the same objects. */
export function payloadBatches(messages: number, batch: number): unknown[][] {
  return Array.from({ length: Math.ceil(messages / batch) }, (_, b) =>
    Array.from({ length: Math.min(batch, messages - b * batch) }, (_, i) => JSON.parse(payloadText(b * batch + i))),
  );
}

/** Publishes `batches` to a fresh event log of `projectId` with `inFlight` publishes at a time, then drains it with one consumer. */
export async function runSdkPublishConsume(url: string, batches: unknown[][], inFlight: number, projectId: string): Promise<ConsumeRun> {
  const messages = batches.reduce((n, b) => n + b.length, 0);
  const flux = connect({ url, projectId, clientName: "bench-sdk" });
  try {
    let next = 0;
    const published = performance.now();
    await lanes(batches.length, inFlight, async () => {
      await flux.publish("EVENT", batches[next++], { guarantee: "STORED", timeoutMs: 60_000 });
      return 0;
    });
    const publish = messages / ((performance.now() - published) / 1000);
    let handled = 0;
    let finished: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const consumed = performance.now();
    const consumer = flux.consume({
      consumer: "bench-sdk-consumer",
      messageType: "EVENT",
      fromBeginning: true,
      maxTimeoutMs: 5000,
      handler: () => {
        if (++handled === messages) finished();
      },
    });
    await done;
    const consume = messages / ((performance.now() - consumed) / 1000);
    await consumer.stop();
    return { publish, consume };
  } finally {
    await flux.close();
  }
}

/** A requester and a QUERY handler, each its own SDK client, connected once and measured repeatedly. */
export function startSdkQueryRig(url: string, projectId: string) {
  const handler = connect({ url, projectId, clientName: "bench-sdk-handler" });
  const requester = connect({ url, projectId, clientName: "bench-sdk-requester" });
  const consumer = handler.consume<unknown>({ consumer: "bench-sdk-queries", messageType: "QUERY", fromBeginning: true, maxTimeoutMs: 5000, handler: (m) => m.payload });
  let n = 0;
  return {
    /** `count` queries, `inFlight` at a time; milliseconds each. */
    roundTrips: (count: number, inFlight: number) =>
      lanes(count, inFlight, async () => {
        const start = performance.now();
        await requester.query({ query: ++n }, { timeoutMs: 10_000 });
        return performance.now() - start;
      }),
    async close() {
      await consumer.stop();
      await Promise.all([handler.close(), requester.close()]);
    },
  };
}
