import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Aggregate } from "../../../durable-objects/Aggregate";
import { AggregateStream } from "../../../src/eventsourcing/aggregate-stream";
import { OutboxForwarder, RETRY_DELAY_MS } from "../../../src/eventsourcing/outbox-forwarder";
import { appendToLog } from "../../../src/log/log-client";
import type { SerializedMessage } from "../../../src/protocol/messages";
import { event, eventLogIds } from "./helpers";

const aggregate = (projectId: string, aggregateId: string) => env.AGGREGATE.get(env.AGGREGATE.idFromName(`${projectId}/${aggregateId}`));

describe("outbox to the EVENT log", () => {
  it("publishes appended events on the EVENT log, storeOnly ones only in the stream (golden 20)", async () => {
    const stub = aggregate("outbox-publish", "order-1");
    const published = [event(1), event(2)];
    const storeOnly = event(3);
    await stub.append("outbox-publish", "order-1", [{ events: published, storeOnly: false }, { events: [storeOnly], storeOnly: true }]);
    expect(await eventLogIds("outbox-publish")).toEqual(published.map((e) => e.messageId));
    expect((await stub.getEvents(-1, 10)).events).toHaveLength(3);
    expect(await stub.pendingCount()).toBe(0);
    await runInDurableObject(stub, async (_i: Aggregate, state) => expect(await state.storage.getAlarm()).toBeNull());
  });

  it("loses nothing when the object dies between storing and forwarding: the alarm forwards each event once", async () => {
    const stub = aggregate("outbox-crash", "order-1");
    const events = [event("a"), event("b"), event("c")];
    // The durable half of an append, then the object is gone before it could forward.
    await runInDurableObject(stub, (instance: Aggregate) => instance.store("outbox-crash", "order-1", [{ events, storeOnly: false }]));
    await evictDurableObject(stub);
    expect(await eventLogIds("outbox-crash")).toEqual([]);
    expect(await stub.pendingCount()).toBe(3);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await eventLogIds("outbox-crash")).toEqual(events.map((e) => e.messageId));
    expect(await stub.pendingCount()).toBe(0);
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });

  it("duplicates nothing when the log stored a batch but the object died before clearing its outbox", async () => {
    const stub = aggregate("outbox-dup", "order-1");
    const events = [event("a"), event("b")];
    await runInDurableObject(stub, (instance: Aggregate) => instance.store("outbox-dup", "order-1", [{ events, storeOnly: false }]));
    // The forward reached the log, the acknowledgement did not reach storage.
    const stored = (await stub.getEvents(-1, 10)).events.map((t) => JSON.parse(t) as SerializedMessage);
    await appendToLog(env, { projectId: "outbox-dup", type: "EVENT", topic: null }, stored);
    await evictDurableObject(stub);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.pendingCount()).toBe(0);
    expect(await eventLogIds("outbox-dup")).toEqual(events.map((e) => e.messageId));
  });

  it("keeps entries and re-arms the alarm while the log fails, then drains in order", async () => {
    const stub = aggregate("outbox-failing", "order-1");
    await runInDurableObject(stub, async (_i: Aggregate, state) => {
      const stream = new AggregateStream(state.storage);
      const sent: string[] = [];
      let failing = true;
      const forwarder = new OutboxForwarder(stream, state.storage, async (projectId, messages) => {
        expect(projectId).toBe("outbox-failing");
        if (failing) throw new Error("log unavailable");
        sent.push(...messages.map((m) => m.messageId!));
      });
      const events = [event(1), event(2), event(3)];
      stream.append("outbox-failing", "order-1", [{ events: events.slice(0, 2), storeOnly: false }]);
      forwarder.arm();
      stream.append("outbox-failing", "order-1", [{ events: events.slice(2), storeOnly: false }]);
      forwarder.arm();

      const before = Date.now();
      await expect(forwarder.flush()).rejects.toThrow("log unavailable");
      await forwarder.retry();
      expect(stream.pendingCount()).toBe(3);
      expect(await state.storage.getAlarm()).toBeGreaterThanOrEqual(before + RETRY_DELAY_MS);

      failing = false;
      // Concurrent flushes are serialised: each entry is sent once.
      await Promise.all([forwarder.flush(), forwarder.flush(), forwarder.retry()]);
      expect(sent).toEqual(events.map((e) => e.messageId));
      expect(stream.pendingCount()).toBe(0);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });
});
