// How the SDK fails, against a real local hub: fast and typed when the hub cannot be reached or
// refuses (with either WebSocket), a timeout on every call, queries nobody handles, conflicts;
// and the readiness of consumers that replaces waiting and hoping.
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { FluxError, type WebSocketConstructor, connect } from "../../src/client";
import { useSdkHub } from "../support/sdk-hub";
import { proxyTo } from "../support/tcp-proxy";
import { until } from "../support/wait";

const sdk = useSdkHub();
const client = sdk.client;

/** Node's built-in WebSocket: on a failed handshake it fires `error` and never `close`. */
const builtIn = globalThis.WebSocket as unknown as WebSocketConstructor;
const sockets: [string, WebSocketConstructor | undefined][] = [
  ["ws (the default)", undefined],
  ["Node's built-in WebSocket", builtIn],
];

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe("failing fast", () => {
  it("throws invalid_argument from connect() for a URL that is not a ws or http URL", () => {
    expect(() => connect({ url: "127.0.0.1:8787", clientName: "x" })).toThrow(FluxError);
    expect(() => connect({ url: "ftp://127.0.0.1", clientName: "x" })).toThrow(/url must be/);
  });

  it.each(sockets)("rejects the first call with unreachable when nothing listens, with %s", async (_, WebSocket) => {
    const flux = client("nowhere", { url: `ws://127.0.0.1:${await closedPort()}`, WebSocket });
    const started = Date.now();
    const [kv, published] = await Promise.all([flux.keyValue.getValue("k").catch((e) => e), flux.publish("EVENT", [1]).catch((e) => e)]);
    expect(kv).toBeInstanceOf(FluxError);
    expect(kv.code).toBe("unreachable");
    expect(published.code).toBe("unreachable");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each(sockets)("rejects with connection_refused when the hub refuses the upgrade, with %s", async (_, WebSocket) => {
    const flux = client("refused", { projectId: "not a project", WebSocket });
    const refused = await flux.keyValue.getValue("k").catch((e) => e);
    expect(refused).toBeInstanceOf(FluxError);
    expect(refused.code).toBe("connection_refused");
    // `ws` reports the HTTP status of the refusal; the built-in WebSocket does not.
    if (!WebSocket) expect(refused.status).toBe(400);
  });

  it("times out a call the hub never answers, once the client has reached it", async () => {
    const proxy = proxyTo(() => sdk.hub);
    const url = await proxy.listen();
    try {
      const flux = client("silent-hub", { url, requestTimeoutMs: 400 });
      await flux.keyValue.storeValues({ k: 1 });
      proxy.freeze();
      const started = Date.now();
      const e = await flux.keyValue.getValue("k").catch((err) => err);
      expect(e).toMatchObject({ code: "timeout" });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await proxy.close();
    }
  });
});

describe("queries", () => {
  it("fails a query with no_handler when no tracker reads the QUERY log, and answers once one does", async () => {
    const asker = client("asker");
    const started = Date.now();
    const unanswered = await asker.query({ sku: "a" }, { type: "GetPrice" }).catch((e) => e);
    expect(unanswered).toBeInstanceOf(FluxError);
    expect(unanswered.code).toBe("no_handler");
    expect(Date.now() - started).toBeLessThan(5000);

    const handler = client("pricing").consume<{ sku: string }>({ consumer: "prices", messageType: "QUERY", handler: (m) => ({ sku: m.payload.sku, price: 1 }) });
    await handler.ready();
    expect(await asker.query({ sku: "a" }, { type: "GetPrice" })).toEqual({ sku: "a", price: 1 });
    await handler.stop();
    expect(await asker.query({ sku: "b" }).catch((e) => e.code)).toBe("no_handler");
  });
});

describe("event streams", () => {
  it("returns the new sequence number from appendEvents and raises conflict with expected and actual", async () => {
    const store = client("events").eventStore;
    expect(await store.appendEvents("order-9", [{ n: 0 }], { storeOnly: true })).toBe(0);
    expect(await store.appendEvents("order-9", [{ n: 1 }, { n: 2 }], { storeOnly: true, expectedSequenceNumber: 0 })).toBe(2);
    const conflict = await store.appendEvents("order-9", [{ n: 3 }], { storeOnly: true, expectedSequenceNumber: 0 }).catch((e) => e);
    expect(conflict).toBeInstanceOf(FluxError);
    expect(conflict).toMatchObject({ code: "conflict", expected: 0, actual: 2 });
    expect((await store.getEvents("order-9")).map((e) => e.payload)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });
});

describe("readiness", () => {
  it("is ready once the trackers hold segments: a message published right then is handled, from 'now'", async () => {
    const flux = client("ready");
    const seen: string[] = [];
    const consumer = flux.consume<string>({ consumer: "fresh", messageType: "CUSTOM", topic: "ready", threads: 2, handler: (m) => void seen.push(m.payload) });
    await consumer.ready();
    await flux.publish("CUSTOM", ["right after ready"], { topic: "ready" });
    await until(() => seen.length === 1);
    expect(seen).toEqual(["right after ready"]);
    await consumer.stop();
  });

  it("keeps a standby singleTracker consumer unready until it takes over", async () => {
    const options = { consumer: "single", messageType: "CUSTOM" as const, topic: "single", singleTracker: true, handler: () => {} };
    const active = client("single-a").consume(options);
    await active.ready();
    const standby = client("single-b").consume(options);
    expect(await standby.ready(500).catch((e) => e.code)).toBe("timeout");
    await active.stop();
    await standby.ready();
    await standby.stop();
  });

  it("rejects ready() with closed when the consumer stops before it got segments", async () => {
    const consumer = client("never-ready", { url: `ws://127.0.0.1:${await closedPort()}` }).consume({ consumer: "x", messageType: "EVENT", handler: () => {} });
    const ready = consumer.ready().catch((e) => e.code);
    await consumer.stop();
    expect(await ready).toBe("closed");
  });
});
