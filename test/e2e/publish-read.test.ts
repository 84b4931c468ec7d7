import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FluxSocket, message, payloadOf, refusedUpgrade } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { segmentOf } from "../../src/protocol/segment";

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

describe("publish and read over the Flux protocol", () => {
  it("answers GET /health with Healthy", async () => {
    const res = await fetch(`${hub.url}/health`);
    expect(await res.text()).toBe("Healthy");
  });

  for (const compression of ["LZ4", "GZIP", "NONE"] as const) {
    it(`appends with STORED and reads back with ReadFromIndex (${compression})`, async () => {
      const topic = `t-${compression.toLowerCase()}`;
      const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishcustom", { topic }, compression);
      const messages = Array.from({ length: 100 }, (_, i) => message({ i, text: "x".repeat(150) }));
      const ack = await pub.request({ "@type": "append", messageType: "CUSTOM", messages, guarantee: "STORED" });
      expect(ack["@type"]).toBe("void");
      const reader = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { topic }, compression);
      const res = await reader.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 1000 });
      expect(res["@type"]).toBe("readFromIndexResult");
      expect(res.messages.map((m: any) => payloadOf(m).i)).toEqual(messages.map((_, i) => i));
      const indexes = res.messages.map((m: any) => BigInt(m.index));
      expect(indexes[0]).toBeGreaterThan(2n ** 53n);
      expect(typeof res.messages[0].index).toBe("bigint");
      for (let i = 1; i < indexes.length; i++) expect(indexes[i]).toBe(indexes[i - 1] + 1n);
      // ReadFromIndex is inclusive of minIndex.
      const from = await reader.request({ "@type": "readFromIndex", minIndex: res.messages[10].index, maxSize: 5 });
      expect(from.messages.map((m: any) => m.index)).toEqual(res.messages.slice(10, 15).map((m: any) => m.index));
      await pub.close();
      await reader.close();
    });
  }

  it("acknowledges only STORED appends, and answers each item of a requestBatch", async () => {
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishevent");
    const [none, sent, stored] = await pub.send(
      { "@type": "append", messageType: "EVENT", messages: [message(1)], guarantee: "NONE" },
      { "@type": "append", messageType: "EVENT", messages: [message(2)], guarantee: "SENT" },
      { "@type": "append", messageType: "EVENT", messages: [message(3)], guarantee: "STORED" },
    );
    await pub.result(stored);
    expect(pub.received.map((r) => r.requestId)).toEqual([stored]);
    expect(pub.received.some((r) => r.requestId === none || r.requestId === sent)).toBe(false);
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readevent");
    const [a, b] = await reader.send(
      { "@type": "readFromIndex", minIndex: 0, maxSize: 10 },
      { "@type": "getPosition", consumer: "nobody" },
    );
    expect((await reader.result(a)).messages.map(payloadOf)).toEqual([1, 2, 3]);
    expect((await reader.result(b))["@type"]).toBeDefined();
    await pub.close();
    await reader.close();
  });

  it("stores a requestBatch of appends in request order as one append, answering each, a bad one alone", async () => {
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishcustom", { projectId: "coalesce", topic: "frames" });
    const requests = Array.from({ length: 20 }, (_, i) => ({
      "@type": "append",
      messages: i === 7 ? [{ data: { value: 7 } }] : [message(i)],
      guarantee: "STORED",
    }));
    const ids = await pub.send(...requests);
    const results = await Promise.all(ids.map((id) => pub.result(id)));
    expect(results.map((r) => r["@type"])).toEqual(ids.map((_, i) => (i === 7 ? "error" : "void")));
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { projectId: "coalesce", topic: "frames" });
    const res = await reader.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 100 });
    expect(res.messages.map(payloadOf)).toEqual(Array.from({ length: 20 }, (_, i) => i).filter((i) => i !== 7));
    // One append reached the partition for the whole frame.
    const metrics = await (await fetch(`${hub.url}/api/projects/coalesce/metrics?log=custom/frames`)).json();
    expect(metrics.logs[0]).toMatchObject({ messagesAppended: 19, appends: 1 });
    await pub.close();
    await reader.close();
  });

  it("starts the next frame while the last one's append is stored, keeping the order frames were sent in", async () => {
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishcustom", { projectId: "pipelined", topic: "frames" });
    // A frame of 3 MB, slow to store, then a frame the session answers itself, then ten small appends.
    const big = Array.from({ length: 1000 }, (_, i) => message({ i, pad: "x".repeat(3000) }));
    const [bigId] = await pub.send({ "@type": "append", messages: big, guarantee: "STORED" });
    const [badId] = await pub.send({ "@type": "noSuchRequest" });
    const ids = [bigId];
    for (let i = 0; i < 10; i++) ids.push(...(await pub.send({ "@type": "append", messages: [message({ i: 1000 + i })], guarantee: "STORED" })));
    const results = await Promise.all(ids.map((id) => pub.result(id, 30_000)));
    expect(results.every((r) => r["@type"] === "void")).toBe(true);
    // The frame after the large one was answered while the large one was still being stored.
    const order = pub.received.map((r) => r.requestId);
    expect(order.indexOf(badId)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(badId)).toBeLessThan(order.indexOf(bigId));
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { projectId: "pipelined", topic: "frames" });
    const res = await reader.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 2000 });
    expect(res.messages.map((m: any) => payloadOf(m).i)).toEqual(Array.from({ length: 1010 }, (_, i) => i));
    await pub.close();
    await reader.close();
  });

  it("finishes a frame of other requests before it starts the next: two writes to one key keep their order", async () => {
    const kv = await FluxSocket.open(hub.wsUrl, "keyValue", { projectId: "in-order" });
    const value = (text: string) => ({ value: Buffer.from(JSON.stringify(text)).toString("base64"), type: "java.lang.String", revision: 0 });
    // Slow to store: 3,000 keys over every shard, "k" among them.
    const many = Array.from({ length: 3000 }, (_, i) => ({ key: i === 1500 ? "k" : `k${i}`, value: value(i === 1500 ? "v1" : `x${i}`) }));
    const [first] = await kv.send({ "@type": "storeValues", values: many, guarantee: "STORED" });
    const [bad] = await kv.send({ "@type": "noSuchRequest" });
    const [second] = await kv.send({ "@type": "storeValues", values: [{ key: "k", value: value("v2") }], guarantee: "STORED" });
    await Promise.all([kv.result(first), kv.result(bad), kv.result(second)]);
    // The frame the session answers itself waited for the store before it.
    const order = kv.received.map((r) => r.requestId);
    expect(order.indexOf(first)).toBeLessThan(order.indexOf(bad));
    const got = await kv.request({ "@type": "getValue", key: "k" });
    expect(JSON.parse(Buffer.from(got.value.value, "base64").toString())).toBe("v2");
    await kv.close();
  });

  it("deduplicates a retried append by messageId", async () => {
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishcommand");
    const batch = [message("a"), message("b")];
    await pub.request({ "@type": "append", messageType: "COMMAND", messages: batch, guarantee: "STORED" });
    await pub.request({ "@type": "append", messageType: "COMMAND", messages: batch, guarantee: "STORED" });
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readcommand");
    const res = await reader.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 10 });
    expect(res.messages.map(payloadOf)).toEqual(["a", "b"]);
    await pub.close();
    await reader.close();
  });

  it("answers bad frames and bad requests with errors and keeps the session open", async () => {
    const pub = await FluxSocket.open(hub.wsUrl, "tracking/publishevent", {}, "NONE");
    pub.sendRaw(new Uint8Array([1, 2, 3]));
    const unknown = await pub.request({ "@type": "bogus" });
    expect(unknown).toMatchObject({ "@type": "error" });
    expect(unknown.message).toContain("bogus");
    const bad = await pub.request({ "@type": "append", messages: [{ data: { value: 5 } }], guarantee: "STORED" });
    expect(bad.message).toContain("messages[0].data.value");
    const notArray = await pub.request({ "@type": "append", messages: "x", guarantee: "STORED" });
    expect(notArray.message).toContain("array");
    expect(pub.received.some((r) => r.requestId === -1 && r["@type"] === "error")).toBe(true);
    const ok = await pub.request({ "@type": "append", messages: [message("fine")], guarantee: "STORED" });
    expect(ok["@type"]).toBe("void");
    await pub.close();
  });

  it("refuses connections without clientId or with a bad projectId, as JSON", async () => {
    const noClient = await refusedUpgrade(`${hub.wsUrl}/tracking/publishevent?clientName=x`);
    expect(noClient.status).toBe(400);
    expect(noClient.body.message).toContain("clientId");
    const bad = await refusedUpgrade(`${hub.wsUrl}/tracking/publishevent?clientId=a&clientName=x&projectId=a%20b`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("projectId");
    const none = await refusedUpgrade(`${hub.wsUrl}/tracking/publishnothing?clientId=a&clientName=x`);
    expect(none.status).toBe(404);
    const compression = await refusedUpgrade(`${hub.wsUrl}/tracking/publishevent?clientId=a&clientName=x&compression=ZIP`);
    expect(compression.body.message).toContain("compression");
  });
});

describe("session metrics", () => {
  it("publishes ConnectEvent and DisconnectEvent to the METRICS log (25)", async () => {
    const s = await FluxSocket.open(hub.wsUrl, "tracking/publishevent", { clientId: "metered", clientName: "meter-app", projectId: "metrics" });
    await s.close();
    const types = async () => {
      const r = await FluxSocket.open(hub.wsUrl, "tracking/readmetrics", { projectId: "metrics" });
      const res = await r.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 100 });
      await r.close();
      return res.messages.filter((m: any) => payloadOf(m).clientId === "metered");
    };
    let events: any[] = [];
    for (let i = 0; i < 50 && events.length < 2; i++) {
      events = await types();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(events.map((m) => m.data.type)).toEqual(["io.fluxcapacitor.common.api.ConnectEvent", "io.fluxcapacitor.common.api.DisconnectEvent"]);
    expect(payloadOf(events[0])).toMatchObject({ client: "meter-app", clientId: "metered", service: "tracking/publishevent" });
    expect(payloadOf(events[1]).code).toBe(1000);
  });
});

describe("HTTP API for logs", () => {
  it("publishes plain JSON payloads and reads them back with decoded payloads", async () => {
    const res = await fetch(`${hub.url}/api/projects/shop/logs/event/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ payload: { order: 1 }, type: "OrderPlaced", routingKey: "order-1" }, { payload: { order: 2 }, type: "OrderPlaced" }] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ stored: 2, duplicates: 0 });
    const read = await (await fetch(`${hub.url}/api/projects/shop/logs/event/messages?limit=10`)).json();
    expect(read.messages.map((m: any) => m.payload)).toEqual([{ order: 1 }, { order: 2 }]);
    expect(read.messages[0].segment).toBe(segmentOf("order-1"));
    expect(read.nextIndex).toMatch(/^\d+$/);
  });

  it("answers bad input with a 4xx JSON body naming the problem", async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${hub.url}/api/projects/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
    const notJson = await post("shop/logs/event/messages", "{");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).message).toContain("JSON");
    const empty = await post("shop/logs/event/messages", { messages: [] });
    expect(empty.status).toBe(400);
    expect((await empty.json()).message).toContain("messages");
    const badType = await post("shop/logs/nonsense/messages", { messages: [{ payload: 1 }] });
    expect(badType.status).toBe(400);
    expect((await badType.json()).message).toContain("nonsense");
    const badProject = await post("bad%20project/logs/event/messages", { messages: [{ payload: 1 }] });
    expect(badProject.status).toBe(400);
    const noTopic = await post("shop/logs/custom/messages", { messages: [{ payload: 1 }] });
    expect((await noTopic.json()).message).toContain("topic");
    const huge = await fetch(`${hub.url}/api/projects/shop/logs/event/messages?limit=1000000`);
    expect(huge.status).toBe(400);
  });
});
