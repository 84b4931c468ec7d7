import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { segmentOf } from "../../src/protocol/segment";
import { FluxSocket, message, payloadOf } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { publish, readRequest } from "../support/tracking";

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

const open = (type = "event", clientId = "client-a") => FluxSocket.open(hub.wsUrl, `tracking/read${type}`, { clientId });
const batchOf = (r: any) => r.messageBatch;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("tracking over real sockets (golden behaviours 4-18)", () => {
  it("gives one tracker everything, two trackers halves, three trackers Flux's thirds (5)", async () => {
    const consumer = "balance";
    const s = await open();
    const ids = ["t1", "t2", "t3"];
    const requests: number[] = [];
    for (const id of ids) {
      const [rid] = await s.send(readRequest(consumer, id, { maxTimeout: 1500 }));
      requests.push(rid);
      await sleep(100);
    }
    const results = await Promise.all(requests.map((r) => s.result(r, 5000)));
    expect(results.map((r) => batchOf(r).segment)).toEqual([[0, 42], [42, 85], [85, 128]]);
    expect(results.every((r) => batchOf(r).caughtUp && batchOf(r).messages.length === 0)).toBe(true);
    const two = await open();
    const a = two.request(readRequest("balance-2", "a", { maxTimeout: 800 }));
    await sleep(100);
    const b = two.request(readRequest("balance-2", "b", { maxTimeout: 800 }));
    expect([(await a).messageBatch.segment, (await b).messageBatch.segment]).toEqual([[0, 64], [64, 128]]);
    await s.close();
    await two.close();
  });

  it("answers a parked Read within milliseconds of an append, and times out empty and caught up (8)", async () => {
    const s = await open("custom");
    const topicParams = { topic: "wake" };
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "c", ...topicParams });
    const started = Date.now();
    const timedOut = await reader.request(readRequest("wake-idle", "t", { maxTimeout: 600 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(batchOf(timedOut)).toMatchObject({ messages: [], caughtUp: true });
    const [rid] = await reader.send(readRequest("wake", "t", { maxTimeout: 20_000 }));
    await sleep(300);
    const t0 = Date.now();
    await publish(hub.wsUrl, "custom", ["ping"], () => ({}), topicParams);
    const woke = await reader.result(rid, 5000);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(batchOf(woke).messages.map(payloadOf)).toEqual(["ping"]);
    await s.close();
    await reader.close();
  });

  it("skips history without a position and lastIndex null, reads all with -1 (10)", async () => {
    await publish(hub.wsUrl, "custom", ["old-1", "old-2"], () => ({}), { topic: "history" });
    await sleep(1500);
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "c", topic: "history" });
    const fresh = await reader.request(readRequest("history-new", "t", { maxTimeout: 300 }));
    expect(batchOf(fresh).messages).toEqual([]);
    const all = await reader.request(readRequest("history-all", "t", { lastIndex: -1 }));
    expect(batchOf(all).messages.map(payloadOf)).toEqual(["old-1", "old-2"]);
    await reader.close();
  });

  it("delivers a segment's messages to one tracker in order, honours stored positions, and redelivers after a reset (6, 9, 11)", async () => {
    const topic = { topic: "orders" };
    const keys = ["order-1", "order-2", "order-3", "order-4"];
    const sent = await publish(hub.wsUrl, "custom", keys.flatMap((k) => [1, 2, 3].map((n) => `${k}#${n}`)), (i) => ({ segment: segmentOf(keys[Math.floor(i / 3)]) }), topic);
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "c", ...topic });
    const first = batchOf(await reader.request(readRequest("orders", "t1", { lastIndex: -1, maxSize: 5 })));
    expect(first.segment).toEqual([0, 128]);
    expect(first.messages.map(payloadOf)).toEqual(sent.slice(0, 5).map(payloadOf));
    expect(first.caughtUp).toBe(false);
    await reader.request({ "@type": "storePosition", consumer: "orders", segment: first.segment, lastIndex: first.lastIndex, guarantee: "STORED" });
    const second = batchOf(await reader.request(readRequest("orders", "t1", { lastIndex: -1 })));
    expect(second.messages.map(payloadOf)).toEqual(sent.slice(5).map(payloadOf));
    await reader.request({ "@type": "storePosition", consumer: "orders", segment: second.segment, lastIndex: second.lastIndex, guarantee: "STORED" });
    // StorePosition never lowers a segment (9).
    await reader.request({ "@type": "storePosition", consumer: "orders", segment: [0, 128], lastIndex: first.lastIndex, guarantee: "STORED" });
    const pos = await reader.request({ "@type": "getPosition", consumer: "orders" });
    expect(pos.position).toEqual([[0, 128], second.lastIndex]);
    const none = batchOf(await reader.request(readRequest("orders", "t1", { maxTimeout: 300 })));
    expect(none.messages).toEqual([]);
    // ResetPosition lowers every segment and causes redelivery (9).
    await reader.request({ "@type": "resetPosition", consumer: "orders", lastIndex: first.lastIndex, guarantee: "STORED" });
    const again = batchOf(await reader.request(readRequest("orders", "t1")));
    expect(again.messages.map(payloadOf)).toEqual(sent.slice(5).map(payloadOf));
    // Two trackers: every message of a routing key goes to the tracker owning its segment, in order (6).
    const a = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "a", ...topic });
    const b = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "b", ...topic });
    const ra = a.request(readRequest("orders-split", "ta", { lastIndex: -1, maxTimeout: 1000 }));
    const rb = b.request(readRequest("orders-split", "tb", { lastIndex: -1, maxTimeout: 1000 }));
    const batches = [batchOf(await ra), batchOf(await rb)];
    const got = batches.flatMap((bt) => bt.messages.map((m: any) => ({ key: payloadOf(m).split("#")[0], seg: m.segment, range: bt.segment })));
    for (const g of got) expect(g.seg >= g.range[0] && g.seg < g.range[1]).toBe(true);
    for (const bt of batches) {
      const perKey = new Map<string, string[]>();
      for (const m of bt.messages) perKey.set(payloadOf(m).split("#")[0], [...(perKey.get(payloadOf(m).split("#")[0]) ?? []), payloadOf(m)]);
      for (const [k, list] of perKey) expect(list).toEqual([1, 2, 3].map((n) => `${k}#${n}`));
    }
    await Promise.all([reader.close(), a.close(), b.close()]);
  });

  it("answers a tracker's next Read as a fresh read would, also when its partition read (and compressed) that batch ahead", async () => {
    const topic = { topic: "ahead" };
    // Payloads of every kind, byte-exact through the frames made around batches compressed ahead.
    const kinds = (i: number) => [i, `ünïcødé 🚀 ${i}`, "", { nested: [i, "x".repeat(i * 50)] }, "\u0000\"quoted\""][i % 5];
    const sent = await publish(hub.wsUrl, "custom", Array.from({ length: 60 }, (_, i) => kinds(i)), () => ({}), topic);
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "c", ...topic });
    const read = async () => batchOf(await reader.request(readRequest("ahead", "t1", { lastIndex: -1, maxSize: 25, maxTimeout: 300 })));
    const store = (lastIndex: unknown) => reader.request({ "@type": "storePosition", consumer: "ahead", segment: [0, 128], lastIndex, guarantee: "STORED" });
    const payloads = (b: any) => b.messages.map(payloadOf);
    const first = await read();
    expect(payloads(first)).toEqual(sent.slice(0, 25).map(payloadOf));
    // A full batch: the partition reads the next one ahead. Not stored, the same batch comes again.
    await sleep(50);
    expect(payloads(await read())).toEqual(payloads(first));
    await store(first.lastIndex);
    const second = await read();
    expect(payloads(second)).toEqual(sent.slice(25, 50).map(payloadOf));
    await store(second.lastIndex);
    await sleep(50);
    // A position moved back under the batch read ahead: read again from there, fresh, and the same
    // batch as the one sent from the read ahead, field by field.
    await reader.request({ "@type": "resetPosition", consumer: "ahead", lastIndex: first.lastIndex, guarantee: "STORED" });
    expect(second.caughtUp).toBe(false);
    expect(await read()).toEqual(second);
    await store(second.lastIndex);
    await sleep(50);
    // Messages appended after the read ahead (10 were left) are in the next batch.
    const more = await publish(hub.wsUrl, "custom", [60, 61, 62, 63, 64], () => ({}), topic);
    expect(payloads(await read())).toEqual([...sent.slice(50), ...more].map(payloadOf));
    await reader.close();
  });

  it("keeps an active tracker's range; a newcomer gets [0,0] until that tracker reads again (7)", async () => {
    await publish(hub.wsUrl, "custom", ["x", "y"], () => ({}), { topic: "active" });
    const a = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "a", topic: "active" });
    const b = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "b", topic: "active" });
    const got = batchOf(await a.request(readRequest("active", "ta", { lastIndex: -1 })));
    expect(got.segment).toEqual([0, 128]);
    // ta is active (holds a batch). tb joins and gets nothing until ta reads again.
    const [rb] = await b.send(readRequest("active", "tb", { lastIndex: -1, maxTimeout: 3000 }));
    await sleep(300);
    expect(b.received.find((r) => r.requestId === rb)).toBeUndefined();
    await a.request({ "@type": "storePosition", consumer: "active", segment: got.segment, lastIndex: got.lastIndex, guarantee: "STORED" });
    const [ra] = await a.send(readRequest("active", "ta", { lastIndex: -1, maxTimeout: 1000 }));
    const tb = batchOf(await b.result(rb, 5000));
    const ta = batchOf(await a.result(ra, 5000));
    expect(ta.segment).toEqual([0, 64]);
    expect(tb.segment).toEqual([64, 128]);
    await Promise.all([a.close(), b.close()]);
  });

  it("frees a closed session's segments and wakes the other parked trackers (12)", async () => {
    const a = await open("event", "a");
    const b = await open("event", "b");
    const [ra] = await a.send(readRequest("closing", "ta", { maxTimeout: 1000 }));
    await sleep(100);
    const [rb1] = await b.send(readRequest("closing", "tb", { maxTimeout: 1000 }));
    expect(batchOf(await b.result(rb1, 5000)).segment).toEqual([64, 128]);
    await a.result(ra, 5000);
    const [rb2] = await b.send(readRequest("closing", "tb", { maxTimeout: 20_000 }));
    await sleep(200);
    await a.close();
    await publish(hub.wsUrl, "event", ["after-close"], () => ({ segment: 3 }));
    const woke = batchOf(await b.result(rb2, 5000));
    expect(woke.segment).toEqual([0, 128]);
    expect(woke.messages.map(payloadOf)).toEqual(["after-close"]);
    await b.close();
  });

  it("answers a parked Read with an empty [0,0] batch on DisconnectTracker(sendFinalEmptyBatch) (13)", async () => {
    const s = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "d", topic: "disconnecting" });
    const [rid] = await s.send(readRequest("disconnecting", "td", { maxTimeout: 20_000 }));
    await sleep(200);
    await s.request({ "@type": "disconnectTracker", consumer: "disconnecting", trackerId: "td", sendFinalEmptyBatch: true, guarantee: "STORED" });
    expect(batchOf(await s.result(rid, 3000))).toMatchObject({ segment: [0, 0], messages: [] });
    await s.close();
  });

  it("purges a tracker busy longer than purgeTimeout (14)", async () => {
    await publish(hub.wsUrl, "custom", ["p"], () => ({}), { topic: "purge" });
    const a = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "a", topic: "purge" });
    const b = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "b", topic: "purge" });
    const got = batchOf(await a.request(readRequest("purge", "ta", { lastIndex: -1, purgeTimeout: 500 })));
    expect(got.segment).toEqual([0, 128]);
    const [rb] = await b.send(readRequest("purge", "tb", { lastIndex: -1, maxTimeout: 10_000 }));
    // ta never reads again: after purgeTimeout it loses its segments and tb gets everything.
    const tb = batchOf(await b.result(rb, 5000));
    expect(tb.segment).toEqual([0, 128]);
    expect(tb.messages.map(payloadOf)).toEqual(["p"]);
    await Promise.all([a.close(), b.close()]);
  });

  it("routes a RESULT only to the client it targets (15, 16)", async () => {
    const asker = await FluxSocket.open(hub.wsUrl, "tracking/readresult", { clientId: "asker" });
    const other = await FluxSocket.open(hub.wsUrl, "tracking/readresult", { clientId: "other" });
    const settings = { filterMessageTarget: true, ignoreSegment: true, clientControlledIndex: true, maxTimeout: 3000 };
    const [ra] = await asker.send(readRequest("app_$request-handler", "asker_t", settings));
    const [ro] = await other.send(readRequest("other_$request-handler", "other_t", { ...settings, maxTimeout: 1500 }));
    await sleep(200);
    const chunks = [1, 2, 3].map((n) => message(`chunk-${n}`, { target: "asker", requestId: 7, metadata: { $finalChunk: String(n === 3) } }));
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishresult");
    await pub.request({ "@type": "append", messages: chunks, guarantee: "STORED" });
    const got = batchOf(await asker.result(ra, 5000));
    expect(got.messages.map(payloadOf)).toEqual(["chunk-1", "chunk-2", "chunk-3"]);
    expect(got.messages.every((m: any) => m.requestId === 7)).toBe(true);
    expect(batchOf(await other.result(ro, 5000)).messages).toEqual([]);
    await Promise.all([asker.close(), other.close(), pub.close()]);
  });

  it("filters by typeFilter as a full-match regex; untyped messages pass (17)", async () => {
    await publish(hub.wsUrl, "custom", ["a", "b", "c"], (i) => ({ type: ["com.shop.OrderPlaced", "com.shop.OrderPlacedLater", "x"][i] }), { topic: "types" });
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishcustom", { topic: "types" });
    const untyped = message("untyped");
    untyped.data.type = null;
    await pub.request({ "@type": "append", messages: [untyped], guarantee: "STORED" });
    const r = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "c", topic: "types" });
    const got = batchOf(await r.request(readRequest("types", "t", { lastIndex: -1, typeFilter: "com\\.shop\\.OrderPlaced" })));
    expect(got.messages.map(payloadOf)).toEqual(["a", "untyped"]);
    const bad = await r.request(readRequest("types-bad", "t", { typeFilter: "(" }));
    expect(bad["@type"]).toBe("error");
    expect(bad.message).toContain("typeFilter");
    await Promise.all([pub.close(), r.close()]);
  });

  it("gives a singleTracker consumer's messages to exactly one tracker; notifications reach every reader (18)", async () => {
    await publish(hub.wsUrl, "custom", ["s1", "s2"], (i) => ({ segment: i * 100 }), { topic: "single" });
    const a = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "a", topic: "single" });
    const b = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "b", topic: "single" });
    const ra = a.request(readRequest("single", "ta", { lastIndex: -1, singleTracker: true, maxTimeout: 800 }));
    await sleep(100);
    const rb = b.request(readRequest("single", "tb", { lastIndex: -1, singleTracker: true, maxTimeout: 800 }));
    const [ba, bb] = [batchOf(await ra), batchOf(await rb)];
    expect([ba.messages.length + bb.messages.length]).toEqual([2]);
    expect(bb.segment).toEqual([0, 0]);
    const n1 = await open("notification", "n1");
    const n2 = await open("notification", "n2");
    const [r1] = await n1.send(readRequest("notify", "n1_t", { maxTimeout: 5000 }));
    const [r2] = await n2.send(readRequest("notify", "n2_t", { maxTimeout: 5000 }));
    await sleep(200);
    await publish(hub.wsUrl, "event", ["broadcast"], () => ({ segment: 5 }));
    expect(batchOf(await n1.result(r1)).messages.map(payloadOf)).toContain("broadcast");
    expect(batchOf(await n2.result(r2)).messages.map(payloadOf)).toContain("broadcast");
    await Promise.all([a.close(), b.close(), n1.close(), n2.close()]);
  });

  it("reports consumer lag per partition, with or without a connected tracker", async () => {
    await publish(hub.wsUrl, "custom", ["l1", "l2", "l3"], () => ({}), { topic: "lag" });
    const lagOf = async () => (await fetch(`${hub.url}/api/projects/public/consumers/custom/lagging/lag?topic=lag`)).json();
    const before = await lagOf();
    expect(before.messagesBehind).toBe(3);
    expect(before.partitions[0].segment).toEqual([0, 128]);
    const r = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "c", topic: "lag" });
    const got = batchOf(await r.request(readRequest("lagging", "t", { lastIndex: -1, maxSize: 2 })));
    await r.request({ "@type": "storePosition", consumer: "lagging", segment: got.segment, lastIndex: got.lastIndex, guarantee: "STORED" });
    const during = await lagOf();
    expect(during.messagesBehind).toBe(1);
    expect(during.trackers.map((t: any) => t.trackerId)).toEqual(["t"]);
    expect(during.secondsBehind).toBeGreaterThanOrEqual(0);
    await r.close();
    await sleep(200);
    const after = await lagOf();
    expect(after.trackers).toEqual([]);
    expect(after.messagesBehind).toBe(1);
    const bad = await fetch(`${hub.url}/api/projects/public/consumers/bogus/x/lag`);
    expect(bad.status).toBe(400);
  });

  it("rejects bad tracker requests with errors and leaves other trackers alone", async () => {
    const s = await open("event", "bad");
    const noTracker = await s.request({ "@type": "read", consumer: "bad", maxTimeout: 100 });
    expect(noTracker.message).toContain("trackerId");
    const first = s.request(readRequest("bad-config", "t1", { maxTimeout: 500 }));
    await sleep(100);
    const conflicting = await s.request(readRequest("bad-config", "t2", { ignoreSegment: true }));
    expect(conflicting.message).toContain("ignoreSegment");
    expect(batchOf(await first).segment).toEqual([0, 128]);
    await s.close();
  });
});
