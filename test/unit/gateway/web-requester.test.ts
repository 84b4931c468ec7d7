// The requester side of web requests with a fake host: one Read parked while requests are open,
// responses matched by requestId, chunks joined, timeouts, stale results ignored.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type GatewayHost, WebRequester } from "../../../src/gateway/web-requester";
import type { WebRequestInit } from "../../../src/gateway/web-request";
import { stringifyJson } from "../../../src/protocol/json";
import type { SerializedMessage } from "../../../src/protocol/messages";
import type { ReadSettings } from "../../../src/tracking/tracker";

const b64 = (text: string) => btoa(text);
const text = (body: Uint8Array | null) => new TextDecoder().decode(body ?? new Uint8Array());
const GET: WebRequestInit = { url: "/x", method: "GET", headers: [], body: null };

/** A host that records publishes and Reads; each Read stays parked until the test answers it. */
function fakeHost() {
  const published: SerializedMessage[] = [];
  const reads: { settings: ReadSettings; requestId: number }[] = [];
  const host: GatewayHost = {
    publish: async (m) => void published.push(m),
    read: async (settings, requestId) => (reads.push({ settings, requestId }), null),
    now: () => Date.now(),
  };
  return { host, published, reads };
}

function readResult(readId: number, messages: unknown[], lastIndex: bigint | null = null): string {
  return stringifyJson({ "@type": "readResult", requestId: readId, messageBatch: { segment: [0, 128], messages, lastIndex, caughtUp: true } });
}

function response(requestId: number, body: string, metadata: Record<string, string> = { status: "200" }) {
  return { data: { value: b64(body), type: null, revision: 0 }, metadata, requestId, target: "me" };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("WebRequester", () => {
  it("publishes as its client, keeps one Read parked, and answers each request from its response", async () => {
    const { host, published, reads } = fakeHost();
    const gateway = new WebRequester(host, { clientId: "me", consumer: "me_$proxy-request-handler" }, 30_000);
    const first = gateway.send(GET);
    const second = gateway.send({ ...GET, url: "/y" });
    await vi.advanceTimersByTimeAsync(0);
    expect(published.map((m) => m.source)).toEqual(["me", "me"]);
    expect(reads).toHaveLength(1);
    expect(reads[0].settings).toMatchObject({ consumer: "me_$proxy-request-handler", trackerId: "me", filterMessageTarget: true, ignoreSegment: true, clientControlledIndex: true });
    const [a, b] = published.map((m) => m.requestId!);
    // The second response first, with the first's in a later batch.
    gateway.deliver(readResult(reads[0].requestId, [response(b, "second")], 100n));
    expect(text((await second).body)).toBe("second");
    expect(reads).toHaveLength(2);
    expect(reads[1].settings.lastIndex).toBeGreaterThanOrEqual(100n);
    gateway.deliver(readResult(reads[1].requestId, [response(a, "first")], 200n));
    expect(text((await first).body)).toBe("first");
    // Nothing open: no further Read.
    expect(reads).toHaveLength(2);
    expect(gateway.openRequests).toBe(0);
  });

  it("ignores results of Reads it no longer waits for, and responses to unknown requests", async () => {
    const { host, published, reads } = fakeHost();
    const gateway = new WebRequester(host, { clientId: "me", consumer: "c" }, 30_000);
    const reply = gateway.send(GET);
    await vi.advanceTimersByTimeAsync(0);
    gateway.deliver(readResult(reads[0].requestId + 7, [response(published[0].requestId!, "stale")]));
    gateway.deliver(readResult(reads[0].requestId, [response(published[0].requestId! + 1, "not mine")]));
    expect(gateway.openRequests).toBe(1);
    gateway.deliver(readResult(reads[1].requestId, [response(published[0].requestId!, "mine")]));
    expect(text((await reply).body)).toBe("mine");
  });

  it("joins chunked responses and ends with the final chunk", async () => {
    const { host, published, reads } = fakeHost();
    const gateway = new WebRequester(host, { clientId: "me", consumer: "c" }, 30_000);
    const reply = gateway.send(GET);
    await vi.advanceTimersByTimeAsync(0);
    const id = published[0].requestId!;
    gateway.deliver(readResult(reads[0].requestId, [
      response(id, "ab", { status: "200", $finalChunk: "false" }),
      response(id, "cd", { status: "200", $finalChunk: "false" }),
    ]));
    expect(gateway.openRequests).toBe(1);
    gateway.deliver(readResult(reads[1].requestId, [response(id, "ef", { status: "200", $finalChunk: "true" })]));
    expect(text((await reply).body)).toBe("abcdef");
  });

  it("answers 504 after the timeout and 500 when publishing fails", async () => {
    const { host } = fakeHost();
    const gateway = new WebRequester(host, { clientId: "me", consumer: "c" }, 5000);
    const reply = gateway.send(GET);
    await vi.advanceTimersByTimeAsync(5000);
    expect((await reply).status).toBe(504);
    const failing = new WebRequester({ ...host, publish: async () => { throw new Error("log down"); } }, { clientId: "me", consumer: "c" }, 5000);
    const error = await failing.send(GET);
    expect(error.status).toBe(500);
    expect(text(error.body)).not.toContain("log down");
  });

  it("reads again after a failed Read while requests are open", async () => {
    const { host, published, reads } = fakeHost();
    let fail = true;
    const gateway = new WebRequester(
      { ...host, read: async (s, id) => (fail ? ((fail = false), Promise.reject(new Error("consumer busy"))) : host.read(s, id)) },
      { clientId: "me", consumer: "c" },
      30_000,
    );
    const reply = gateway.send(GET);
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads).toHaveLength(1);
    gateway.deliver(readResult(reads[0].requestId, [response(published[0].requestId!, "ok")]));
    expect((await reply).status).toBe(200);
  });
});
