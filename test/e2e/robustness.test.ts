/**
 * The findings of the adversarial campaign, each as the input that showed it, against a real hub:
 * none may crash, stall or wedge the hub, and each gets a clear error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compress } from "../../src/protocol/compression";
import { encodeDocument } from "../../src/protocol/document";
import { FluxSocket, type Json, message, payloadOf } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { readRequest } from "../support/tracking";
import { until } from "../support/wait";

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

const api = (project: string, path: string) => `${hub.url}/api/projects/${project}/${path}`;
const post = (url: string, body: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });

/** Sends `text` as one frame in the socket's compression; resolves with every result it gets within `ms`. */
async function sendText(socket: FluxSocket, text: string, ms = 300): Promise<Json[]> {
  const before = socket.received.length;
  socket.sendRaw(await compress(new TextEncoder().encode(text), socket.compression));
  const deadline = Date.now() + 10_000;
  let last = before;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    if (socket.received.length !== last) {
      last = socket.received.length;
      quietSince = Date.now();
    } else if (last > before && Date.now() - quietSince > ms) break;
  }
  return socket.received.slice(before);
}

/** The session still answers a plain request. */
async function stillServes(socket: FluxSocket, request: Json): Promise<void> {
  const r = await socket.request(request);
  expect(r["@type"]).not.toBe("error");
}

describe("no single request takes the hub down", () => {
  it("bounds the replies of one frame: 130 readFromIndex over large messages (finding 2)", async () => {
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishevent", { projectId: "big" });
    const payload = "x".repeat(100_000); // ~137 KB of base64 per message
    for (let i = 0; i < 10; i++) {
      await pub.request({ "@type": "append", messages: Array.from({ length: 10 }, () => message(payload)), guarantee: "STORED" });
    }
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readevent", { projectId: "big" });
    const requests = Array.from({ length: 130 }, (_, i) => ({ "@type": "readFromIndex", minIndex: 0, maxSize: 100, requestId: 50_000 + i }));
    const results = await sendText(reader, JSON.stringify({ "@type": "requestBatch", requests }), 1000);
    expect(results).toHaveLength(130);
    // Each read holds at most 8 MiB of messages (finding 3), and the replies of the frame at most
    // 16 Mi characters: the first reads are answered, the rest refused with the limit named.
    expect(results[0]["@type"]).toBe("readFromIndexResult");
    expect(results[0].messages.length).toBeGreaterThan(0);
    const refused = results.filter((r) => r["@type"] === "error");
    expect(refused.length).toBeGreaterThan(100);
    for (const r of refused) expect(r.message).toMatch(/replies to one frame may hold at most 16777216 characters/);
    expect(new Set(results.map((r) => r.requestId)).size).toBe(130);
    await stillServes(reader, { "@type": "readFromIndex", minIndex: 0, maxSize: 1 });
    const other = await FluxSocket.open(hub.wsUrl, "keyValue", { projectId: "other" });
    await stillServes(other, { "@type": "getValue", key: "nothing" });
    await Promise.all([pub.close(), reader.close(), other.close()]);
  });

  it("reads past 32 MiB of large messages in batches capped by bytes, at least one message each (finding 3)", async () => {
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishevent", { projectId: "huge" });
    const payload = "y".repeat(1_050_000); // ~1.4 MB of base64 per message
    for (let i = 0; i < 26; i++) await pub.request({ "@type": "append", messages: [message(i === 0 ? payload : `${i}${payload}`)], guarantee: "STORED" });
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readevent", { projectId: "huge" });
    const fromIndex = await reader.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 1024 }, 30_000);
    expect(fromIndex["@type"]).toBe("readFromIndexResult");
    expect(fromIndex.messages.length).toBeGreaterThan(0);
    expect(fromIndex.messages.length).toBeLessThan(26);
    let got = 0;
    let lastIndex: unknown = -1;
    for (let i = 0; i < 26 && got < 26; i++) {
      const r = await reader.request(readRequest("huge-consumer", "t1", { lastIndex, maxSize: 1024, maxTimeout: 0 }), 30_000);
      expect(r["@type"]).toBe("readResult");
      expect(r.messageBatch.messages.length).toBeGreaterThan(0);
      got += r.messageBatch.messages.length;
      lastIndex = r.messageBatch.lastIndex;
      await reader.request({ "@type": "storePosition", consumer: "huge-consumer", segment: r.messageBatch.segment, lastIndex, guarantee: "STORED" });
      reader.received.length = 0;
    }
    expect(got).toBe(26);
    await Promise.all([pub.close(), reader.close()]);
  });

  it("evaluates typeFilter in linear time: (a+)+b stalls nothing (finding 4)", async () => {
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishevent", { projectId: "regex" });
    await pub.request({ "@type": "append", messages: [message(1, { type: "a".repeat(30) + "!" })], guarantee: "STORED" });
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readevent", { projectId: "regex" });
    const started = Date.now();
    const [id] = await reader.send(readRequest("regex-consumer", "t1", { typeFilter: "(a+)+b", maxTimeout: 0, lastIndex: -1 }));
    const health = await fetch(`${hub.url}/health`);
    expect(health.status).toBe(200);
    const result = await reader.result(id);
    expect(result["@type"]).toBe("readResult");
    expect(result.messageBatch.messages).toEqual([]);
    // Backtracking took ~2.4 s at 29 a's and doubles with each one; RE2 takes microseconds.
    expect(Date.now() - started).toBeLessThan(1500);
    const bad = await reader.request(readRequest("regex-consumer", "t2", { typeFilter: "(x)\\1", maxTimeout: 0 }));
    expect(bad).toMatchObject({ "@type": "error" });
    expect(bad.message).toMatch(/typeFilter/);
    await Promise.all([pub.close(), reader.close()]);
  });

  it("stops inflating a GZIP bomb at the limit and keeps the session (finding 6)", async () => {
    const socket = await FluxSocket.open(hub.wsUrl, "keyValue", { projectId: "bomb" }, "GZIP");
    const bomb = await compress(new Uint8Array(256 * 1024 * 1024).fill(0x20), "GZIP");
    socket.sendRaw(bomb);
    await stillServes(socket, { "@type": "getValue", key: "k" });
    const refused = socket.received.find((r) => r["@type"] === "error");
    expect(refused?.message).toMatch(/inflates past 16777216 bytes/);
    await socket.close();
  });
});

describe("replies are never built by pasting user text (finding 7)", () => {
  it("refuses requestIds that are not a long, and answers with valid JSON", async () => {
    const socket = await FluxSocket.open(hub.wsUrl, "tracking/readevent", { projectId: "ids" });
    for (const requestId of ["abc", '1,"@type":"void"', "\u0000raw0"]) {
      const [r] = await sendText(socket, JSON.stringify({ "@type": "readFromIndex", minIndex: 0, maxSize: 1, requestId }));
      expect(r).toMatchObject({ "@type": "error", requestId: -1 });
      expect(r.message).toMatch(/requestId must be a 64-bit integer/);
    }
    await socket.close();
  });

  it("echoes ids shaped like the old raw-JSON placeholder as they are", async () => {
    const es = await FluxSocket.open(hub.wsUrl, "eventSourcing", { projectId: "raw" });
    const aggregateId = "\u0000raw5";
    await es.request({ "@type": "appendEvents", eventBatches: [{ aggregateId, events: [message({ n: 1 })], storeOnly: false }], guarantee: "STORED" });
    const got = await es.request({ "@type": "getEvents", aggregateId });
    expect(got.eventBatch.aggregateId).toBe(aggregateId);
    expect(got.eventBatch.events).toHaveLength(1);
    const http = await (await fetch(api("raw", "aggregates/%00raw5/events"))).json();
    expect(http.aggregateId).toBe(aggregateId);
    expect(http.events).toHaveLength(1);

    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishevent", { projectId: "raw-audit" });
    await pub.request({ "@type": "append", messages: [message(1, { messageId: "\u0000raw0" })], guarantee: "STORED" });
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readevent", { projectId: "raw-audit" });
    const [stored] = (await reader.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 1 })).messages;
    let audit!: Response;
    await until(async () => (audit = await fetch(api("raw-audit", `audit/messages/event/${stored.index}`))).status !== 404);
    expect(audit.status).toBe(200);
    expect((await audit.json()).message.messageId).toBe("\u0000raw0");
    await Promise.all([es.close(), pub.close(), reader.close()]);
  });
});

describe("what the door lets in, every reader can read (finding 8)", () => {
  it("refuses deep nesting, drops unknown fields and serves payloads too deep to rewrite", async () => {
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishevent", { projectId: "deep" });
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const m = JSON.stringify(message(1));
    const [refused] = await sendText(pub, `{"@type":"append","guarantee":"STORED","requestId":1,"messages":[${m.slice(0, -1)},"x":${deep}}]}`);
    expect(refused).toMatchObject({ "@type": "error", requestId: 1 });
    expect(refused.message).toMatch(/nests deeper than 64 levels/);

    const extra = { ...message(2), unknownField: { a: [[1]] } };
    const deepPayload = message(0);
    deepPayload.data.value = Buffer.from(deep).toString("base64");
    await pub.request({ "@type": "append", messages: [extra, deepPayload], guarantee: "STORED" });
    const read = await fetch(api("deep", "logs/event/messages?from=0&limit=10"));
    expect(read.status).toBe(200);
    const body = await read.json();
    expect(body.messages).toHaveLength(2);
    expect(body.messages[0].unknownField).toBeUndefined();
    expect(body.messages[0].payload).toBe(2);
    expect(body.messages[1].payload).toBeUndefined();
    expect(body.messages[1].data.value).toBe(deepPayload.data.value);
    await pub.close();
  });
});

describe("what the door lets in, every reader can read: search documents (finding 8)", () => {
  it("refuses a document whose entry path nests 20,000 levels, which GET could never rebuild", async () => {
    const path = Array(20_000).fill("a").join("/");
    const value = encodeDocument({ id: "deep", collection: "c", timestamp: 1, end: 1, entries: [{ type: 0, value: "x", paths: [path] }] });
    const search = await FluxSocket.open(hub.wsUrl, "search", { projectId: "deep-docs" });
    const document = { id: "deep", collection: "c", timestamp: 1, end: 1, document: { value, type: "T", revision: 0, format: "document" } };
    const refused = await search.request({ "@type": "indexDocuments", guarantee: "STORED", documents: [document] });
    expect(refused).toMatchObject({ "@type": "error", message: "document deep: entry 0 has a path deeper than 64 levels" });
    expect((await fetch(api("deep-docs", "search/collections/c/documents/deep"))).status).toBe(404);
    await search.close();
  });
});

describe("garbage is refused with an error result (finding 9)", () => {
  it("refuses a bogus guarantee, a data.value that is not base64 and a type that is not UTF-8", async () => {
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishevent", { projectId: "garbage" });
    for (const guarantee of ["BOGUS", { a: 1 }, ["STORED"]]) {
      const r = await pub.request({ "@type": "append", messages: [message(1)], guarantee });
      expect(r).toMatchObject({ "@type": "error" });
      expect(r.message).toMatch(/guarantee must be NONE, SENT or STORED/);
    }
    const notBase64 = message(1);
    notBase64.data.value = "not base64!";
    const r = await pub.request({ "@type": "append", messages: [notBase64], guarantee: "STORED" });
    expect(r.message).toMatch(/messages\[0\]\.data\.value: must be a base64 string/);

    const text = new TextEncoder().encode(JSON.stringify({ "@type": "append", guarantee: "STORED", requestId: 77, messages: [message(1, { type: "T\u00e9" })] }));
    text[text.indexOf(0xc3)] = 0xff;
    pub.sendRaw(await compress(text, "LZ4"));
    const utf8 = await pub.result(77);
    expect(utf8.message).toMatch(/data\.type is not valid UTF-8/);

    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readevent", { projectId: "garbage" });
    expect((await reader.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 10 })).messages).toEqual([]);
    await Promise.all([pub.close(), reader.close()]);
  });
});

describe("a message too large for one stored row is refused before it is stored", () => {
  it("answers an append and an event carrying 1.6 MB of metadata with payload_too_large, and stores none of the batch", async () => {
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishevent", { projectId: "oversized" });
    const big = message(1, { metadata: { note: "m".repeat(1_600_000) } });
    const r = await pub.request({ "@type": "append", messages: [message(0), big], guarantee: "STORED" });
    expect(r).toMatchObject({ "@type": "error" });
    expect(r.message).toMatch(/messages\[1\]: carries 1600\d+ characters, more than the 1500000 a message may/);
    // Under the character limit but over the row's bytes once UTF-8: refused too.
    const wide = await pub.request({ "@type": "append", messages: [message(3, { metadata: { note: "\u00e9".repeat(1_000_000) } })], guarantee: "STORED" });
    expect(wide.message).toMatch(/messages\[0\]: takes 2000\d+ bytes as JSON, more than the 1900000 a message may/);
    // The session still serves, and a message at the limit's side is stored.
    expect(await pub.request({ "@type": "append", messages: [message(2, { metadata: { note: "m".repeat(1_000_000) } })], guarantee: "STORED" })).toMatchObject({ "@type": "void" });
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readevent", { projectId: "oversized" });
    const read = await reader.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 10 });
    expect(read.messages.map(payloadOf)).toEqual([2]);
    const event = await post(api("oversized", "aggregates/a-1/events"), JSON.stringify({ events: [big] }));
    expect(event.status).toBe(413);
    expect((await event.json()).message).toMatch(/more than the 1500000 a message may/);
    await Promise.all([pub.close(), reader.close()]);
  });
});

describe("every identifiable request gets its own answer (finding 10)", () => {
  it("answers the valid entries of a batch whose one entry lacks @type", async () => {
    const kv = await FluxSocket.open(hub.wsUrl, "keyValue", { projectId: "batch" });
    const results = await sendText(kv, JSON.stringify({ "@type": "requestBatch", requests: [
      { "@type": "getValue", key: "a", requestId: 901 },
      { key: "b", requestId: 902 },
      { "@type": "getValue", key: "c", requestId: 903 },
    ] }));
    expect(results.map((r) => [r.requestId, r["@type"]])).toEqual([[901, "getValueResult"], [902, "error"], [903, "getValueResult"]]);
    await kv.close();
  });
});

describe("problems with a name are named (finding 11)", () => {
  it("names a revision beyond a double and nesting in document.type or requestId", async () => {
    const search = await FluxSocket.open(hub.wsUrl, "search", { projectId: "named" });
    const [revision] = await sendText(search, '{"@type":"indexDocuments","guarantee":"STORED","requestId":11,"documents":[{"id":"d","collection":"c","revision":-1e400,"timestamp":1,"document":{"value":"e30=","type":"T"}}]}');
    expect(revision).toMatchObject({ "@type": "error", requestId: 11 });
    expect(revision.message).toMatch(/documents\[0\]\.revision is a number beyond a double's range/);
    // Found by the fuzzer: an integer beyond a long reached the search store as a bigint.
    const [long] = await sendText(search, '{"@type":"indexDocuments","guarantee":"STORED","requestId":13,"documents":[{"id":"d","collection":"c","timestamp":1,"revision":9223372036854775808,"document":{"value":"e30=","type":"T"}}]}');
    expect(long).toMatchObject({ "@type": "error", requestId: 13, message: "request 0: documents[0].revision is an integer beyond a 64-bit long" });
    const deep = "[".repeat(200) + "]".repeat(200);
    const [type] = await sendText(search, `{"@type":"indexDocuments","guarantee":"STORED","requestId":12,"documents":[{"id":"d","collection":"c","timestamp":1,"document":{"value":"e30=","type":${deep}}}]}`);
    expect(type.message).toMatch(/nests deeper than 64 levels/);
    const [id] = await sendText(search, `{"@type":"getDocument","id":"d","collection":"c","requestId":${deep}}`);
    expect(id).toMatchObject({ "@type": "error", requestId: -1 });
    expect(id.message).not.toBe("internal error");
    await search.close();
  });
});

describe("HTTP bodies over the limit get 413 with a JSON body (finding 12)", () => {
  const expect413 = async (response: Response) => {
    expect(response.status).toBe(413);
    const body = await response.json();
    expect(body.error).toBe("payload_too_large");
    expect(body.message).toMatch(/16777216 bytes/);
  };

  it("refuses a 40 MB body, 10,000 x 3 KB messages, 2,000 x 20 KB events and a 5 MB document", async () => {
    await expect413(await post(api("limits", "logs/event/messages"), "x".repeat(40 * 1024 * 1024)));
    const messages = Array.from({ length: 10_000 }, () => ({ payload: "m".repeat(3000) }));
    await expect413(await post(api("limits", "logs/event/messages"), JSON.stringify({ messages })));
    const events = Array.from({ length: 2000 }, () => ({ payload: "e".repeat(20_000) }));
    await expect413(await post(api("limits", "aggregates/a-1/events"), JSON.stringify({ events })));
    const document = await post(api("limits", "search/collections/c/documents"), JSON.stringify({ documents: [{ id: "d", value: { text: "t".repeat(5 * 1024 * 1024) } }] }));
    expect(document.status).toBe(413);
    expect((await document.json()).message).toMatch(/more than the 900000 one may/);
  });
});
