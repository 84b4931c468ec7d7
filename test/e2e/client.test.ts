import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type FluxClient, FluxError, type FluxMessage, type WebSocketConstructor, connect, message } from "../../src/client";
import { startHub } from "../support/hub";
import { useSdkHub } from "../support/sdk-hub";
import { proxyTo } from "../support/tcp-proxy";
import { sleep, until } from "../support/wait";

const sdk = useSdkHub();
const client = sdk.client;



describe("client SDK against the real hub", () => {
  it("publishes events and consumes them in order, storing the position", async () => {
    const flux = client();
    await flux.publish("EVENT", [{ n: 1 }, message({ n: 2 }, { type: "Second", metadata: { k: "v" } })], { type: "First", guarantee: "STORED" });
    const seen: FluxMessage<{ n: number }>[] = [];
    const consumer = flux.consume<{ n: number }>({ consumer: "roundtrip", messageType: "EVENT", fromBeginning: true, handler: (m) => void seen.push(m) });
    await until(() => seen.length >= 2);
    expect(seen.map((m) => [m.payload.n, m.type])).toEqual([[1, "First"], [2, "Second"]]);
    expect(seen[1].metadata).toEqual({ k: "v" });
    expect(typeof seen[0].index).toBe("bigint");
    await flux.publish("EVENT", [{ n: 3 }], { guarantee: "STORED" });
    await until(() => seen.length >= 3);
    await consumer.stop();
    // A new consumer instance of the same name continues after the stored position.
    const again: number[] = [];
    const resumed = flux.consume<{ n: number }>({ consumer: "roundtrip", messageType: "EVENT", fromBeginning: true, handler: (m) => void again.push(m.payload.n) });
    await flux.publish("EVENT", [{ n: 4 }], { guarantee: "STORED" });
    await until(() => again.length >= 1);
    await sleep(300);
    expect(again).toEqual([4]);
    await resumed.stop();
  });

  it("answers a query from another client and throws typed errors for failures and timeouts", async () => {
    const server = client("pricing");
    const asker = client("shop");
    const handler = server.consume<{ sku: string }>({
      consumer: "prices",
      messageType: "QUERY",
      handler: (m) => {
        if (m.payload.sku === "bad") throw new Error("unknown sku bad");
        return { sku: m.payload.sku, price: 42 };
      },
    });
    expect(await asker.query({ sku: "a-1" }, { type: "GetPrice" })).toEqual({ sku: "a-1", price: 42 });
    const failed = await asker.query({ sku: "bad" }).catch((e) => e);
    expect(failed).toBeInstanceOf(FluxError);
    expect(failed).toMatchObject({ code: "handler_error", message: "unknown sku bad" });
    await handler.stop();
    const timedOut = await asker.send({ nobody: "listens" }, { timeoutMs: 500 }).catch((e) => e);
    expect(timedOut).toMatchObject({ code: "timeout" });
    const refused = await client("refused", { projectId: "not a project" }).publish("EVENT", [1]).catch((e) => e);
    expect(refused).toMatchObject({ code: "connection_refused", status: 400 });
    const readOnly = await asker.publish("NOTIFICATION" as never, [1]).catch((e) => e);
    expect(readOnly).toMatchObject({ code: "invalid_argument" });
  });

  it("iterates messages of a custom topic", async () => {
    const flux = client();
    await flux.publish("CUSTOM", ["a", "b", "c"], { topic: "letters", guarantee: "STORED" });
    const got: string[] = [];
    for await (const m of flux.messages<string>({ consumer: "letters", messageType: "CUSTOM", topic: "letters", fromBeginning: true })) {
      got.push(m.payload);
      if (got.length === 3) break;
    }
    expect(got).toEqual(["a", "b", "c"]);
  });

  it("sends an iterated batch's StorePosition in the frame of the next Read, and a new stream resumes after it", async () => {
    const frames: string[][] = [];
    class RecordingWebSocket extends WebSocket {
      override send(data: Uint8Array) {
        const frame = JSON.parse(new TextDecoder().decode(data)) as { "@type": string; requests?: { "@type": string }[] };
        frames.push((frame.requests ?? [frame]).map((r) => r["@type"]));
        super.send(data);
      }
    }
    const flux = client("iterating", { WebSocket: RecordingWebSocket as never, compression: "NONE" });
    await flux.publish("CUSTOM", ["a", "b"], { topic: "paired", guarantee: "STORED" });
    const got: string[] = [];
    for await (const m of flux.messages<string>({ consumer: "paired", messageType: "CUSTOM", topic: "paired", fromBeginning: true })) {
      got.push(m.payload);
      if (got.length === 2) await flux.publish("CUSTOM", ["c"], { topic: "paired", guarantee: "STORED" });
      if (got.length === 3) break;
    }
    expect(got).toEqual(["a", "b", "c"]);
    expect(frames).toContainEqual(["storePosition", "read"]);
    const resumed: string[] = [];
    await flux.publish("CUSTOM", ["d"], { topic: "paired", guarantee: "STORED" });
    for await (const m of flux.messages<string>({ consumer: "paired", messageType: "CUSTOM", topic: "paired", fromBeginning: true })) {
      resumed.push(m.payload);
      break;
    }
    // "c" was never committed (the loop broke before asking for more): at-least-once redelivers it.
    expect(resumed).toEqual(["c"]);
  });

  it("routes messages with one routing key to one segment, as Flux's @RoutingKey does", async () => {
    const flux = client();
    await flux.publish("CUSTOM", [message(1, { routingKey: "order-123" }), message(2, { routingKey: "foo" })], { topic: "routed", guarantee: "STORED" });
    const segments: number[] = [];
    for await (const m of flux.messages<number>({ consumer: "routed", messageType: "CUSTOM", topic: "routed", fromBeginning: true })) {
      segments.push(m.segment!);
      if (segments.length === 2) break;
    }
    expect(segments).toEqual([67, 96]);
  });

  it.each<[string, string, () => [FluxClient, FluxClient | undefined]]>([
    ["two instances", "split-instances", () => [client("orders"), client("orders")]],
    ["two consume() calls of one client", "split-calls", () => [client("orders"), undefined]],
  ])("splits a consumer's segments between %s", async (_, consumerName, clientsOf) => {
    const [a, second] = clientsOf();
    const b = second ?? a;
    const handled: number[][] = [[], []];
    const consumers = [a, b].map((flux, i) =>
      flux.consume<number>({ consumer: consumerName, messageType: "CUSTOM", topic: consumerName, handler: (m) => void handled[i].push(m.segment!) }),
    );
    await Promise.all(consumers.map((c) => c.ready()));
    await a.publish("CUSTOM", Array.from({ length: 128 }, (_, s) => message(s, { segment: s })), { topic: consumerName, guarantee: "STORED" });
    await until(() => handled[0].length + handled[1].length >= 128);
    await sleep(300);
    expect(handled.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 128 }, (_, s) => s));
    const halves = handled.map((list) => [Math.min(...list), Math.max(...list)]).sort((x, y) => x[0] - y[0]);
    expect(halves).toEqual([[0, 63], [64, 127]]);
    await Promise.all(consumers.map((c) => c.stop()));
  });

  it("sends appends queued together in frames of about 1,000 messages, so that large ones travel on their own", async () => {
    const frames: number[][] = [];
    class RecordingWebSocket extends WebSocket {
      override send(data: Uint8Array) {
        const frame = JSON.parse(new TextDecoder().decode(data)) as { messages?: unknown[]; requests?: { messages: unknown[] }[] };
        frames.push((frame.requests ?? [frame]).map((r) => r.messages?.length ?? 0));
        super.send(data);
      }
    }
    const flux = client("framing", { WebSocket: RecordingWebSocket as never, compression: "NONE" });
    const publish = (n: number, from: number) => flux.publish("CUSTOM", Array.from({ length: n }, (_, i) => from + i), { topic: "framed", guarantee: "STORED" });
    // Four appends of 1,000, then twelve of 100 and one of 2,000: one frame each for the large, ten small ones to a frame.
    await Promise.all([...[0, 1, 2, 3].map((k) => publish(1000, k * 1000)), ...Array.from({ length: 12 }, (_, k) => publish(100, 4000 + k * 100)), publish(2000, 5200)]);
    expect(frames).toEqual([[1000], [1000], [1000], [1000], Array(10).fill(100), [100, 100], [2000]]);
    const read: number[] = [];
    for await (const m of flux.messages<number>({ consumer: "framed", messageType: "CUSTOM", topic: "framed", fromBeginning: true, maxSize: 8192 })) {
      read.push(m.payload);
      if (read.length === 7200) break;
    }
    // Stored in the order the appends were made.
    expect(read).toEqual(Array.from({ length: 7200 }, (_, i) => i));
  });

  it("batches requests queued in the same tick into one frame and keeps sockets alive with pings", async () => {
    const frames: number[] = [];
    class CountingWebSocket extends WebSocket {
      override send(data: Uint8Array) {
        frames.push(data.length);
        super.send(data);
      }
    }
    const warnings: string[] = [];
    const flux = client("batching", {
      WebSocket: CountingWebSocket as never,
      pingIntervalMs: 100,
      pingTimeoutMs: 1000,
      logger: { warn: (m: string) => void warnings.push(m), error() {} },
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => flux.publish("CUSTOM", [i], { topic: "batched", guarantee: "STORED" })));
    expect(frames.length).toBe(1);
    await sleep(1500);
    expect(warnings).toEqual([]);
    const got = [];
    for await (const m of flux.messages<number>({ consumer: "batched", messageType: "CUSTOM", topic: "batched", fromBeginning: true })) {
      got.push(m.payload);
      if (got.length === 20) break;
    }
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it.each<[string, WebSocketConstructor | undefined]>([
    ["ws (the default)", undefined],
    ["Node's built-in WebSocket, which fires error but no close when a handshake fails", globalThis.WebSocket as unknown as WebSocketConstructor],
  ])("reconnects after the hub restarts with %s: parked Reads and queued calls are re-sent, nothing lost, positions kept", async (_, WebSocket) => {
    let current = await startHub();
    const proxy = proxyTo(() => current);
    const url = await proxy.listen();
    try {
      const producer = client("restart-producer", { url, WebSocket });
      const consumerClient = client("restart-consumer", { url, WebSocket });
      const seen: number[] = [];
      const consumer = consumerClient.consume<number>({ consumer: "restart", messageType: "EVENT", fromBeginning: true, handler: (m) => void seen.push(m.payload) });
      await producer.publish("EVENT", [1, 2, 3, 4, 5], { guarantee: "STORED" });
      await producer.keyValue.storeValues({ survivor: "kept" });
      await until(() => seen.length >= 5);
      await sleep(500);
      await current.stop();
      proxy.cut();
      const late = producer.publish("EVENT", [6, 7, 8, 9, 10], { guarantee: "STORED" });
      const value = producer.keyValue.getValue("survivor");
      await sleep(500);
      current = await startHub({ dataDir: current.dataDir });
      await late;
      expect(await value).toBe("kept");
      await until(() => seen.length >= 10, 20_000);
      await sleep(1000);
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await consumer.stop();
    } finally {
      await proxy.close();
      await current.dispose();
    }
  });

  it("drops a silent socket when a ping goes unanswered, reconnects and re-sends", async () => {
    const proxy = proxyTo(() => sdk.hub);
    const url = await proxy.listen();
    const warnings: string[] = [];
    const flux = client("silent", { url, pingIntervalMs: 200, pingTimeoutMs: 500, logger: { warn: (m: string) => void warnings.push(m), error() {} } });
    try {
      await flux.publish("CUSTOM", ["before"], { topic: "silent", guarantee: "STORED" });
      proxy.freeze();
      await flux.publish("CUSTOM", ["after"], { topic: "silent", guarantee: "STORED", timeoutMs: 10_000 });
      expect(warnings.some((w) => w.includes("no pong"))).toBe(true);
      const got: string[] = [];
      for await (const m of flux.messages<string>({ consumer: "silent", messageType: "CUSTOM", topic: "silent", fromBeginning: true })) {
        got.push(m.payload);
        if (got.length === 2) break;
      }
      expect(got).toEqual(["before", "after"]);
    } finally {
      await proxy.close();
    }
  });

  it("retries a failing handler with backoff and reports each failure to the ERROR log", async () => {
    const flux = client("retrying");
    let calls = 0;
    const consumer = flux.consume<string>({
      consumer: "flaky",
      messageType: "CUSTOM",
      topic: "flaky",
      fromBeginning: true,
      retryDelayMs: 50,
      handler: () => {
        if (++calls < 3) throw new Error(`flaky failure ${calls}`);
      },
    });
    await flux.publish("CUSTOM", ["job"], { topic: "flaky", guarantee: "STORED" });
    await until(() => calls === 3);
    await consumer.stop();
    const errors: string[] = [];
    for await (const m of flux.messages<{ message: string }>({ consumer: "errors", messageType: "ERROR", fromBeginning: true })) {
      if (m.metadata.$consumer === "flaky") errors.push(m.payload.message);
      if (errors.length === 2) break;
    }
    expect(errors).toEqual(["flaky failure 1", "flaky failure 2"]);
  });

  it("stores, reads and deletes key-value entries", async () => {
    const kv = client("kv").keyValue;
    await kv.storeValues({ "cart/1": { items: 2 }, "cart/2": [1n << 60n] });
    expect(await kv.getValue("cart/1")).toEqual({ items: 2 });
    expect(await kv.getValue("cart/2")).toEqual([1n << 60n]);
    expect(await kv.storeValueIfAbsent("cart/1", "other")).toBe(false);
    expect(await kv.storeValueIfAbsent("cart/3", "new")).toBe(true);
    await kv.deleteValue("cart/1");
    expect(await kv.getValue("cart/1")).toBeUndefined();
  });
});
