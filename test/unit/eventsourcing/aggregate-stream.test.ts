import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Aggregate } from "../../../durable-objects/Aggregate";
import { AggregateStream } from "../../../src/eventsourcing/aggregate-stream";
import { segmentOf } from "../../../src/protocol/segment";
import type { SerializedMessage } from "../../../src/protocol/messages";
import { event } from "./helpers";

function withStream<R>(name: string, fn: (stream: AggregateStream) => R): Promise<R> {
  const stub = env.AGGREGATE.get(env.AGGREGATE.idFromName(name));
  return runInDurableObject(stub, (_instance: Aggregate, state) => fn(new AggregateStream(state.storage)));
}

const parsed = (texts: string[]) => texts.map((t) => JSON.parse(t) as SerializedMessage);

describe("AggregateStream", () => {
  it("numbers events from 0 and reads those after a sequence number (golden 21)", () =>
    withStream("stream-read", (stream) => {
      expect(stream.read(-1, 10)).toEqual({ events: [], lastSequenceNumber: -1 });
      const events = Array.from({ length: 5 }, (_, i) => event({ n: i }));
      expect(stream.append("p", "order-1", [{ events: events.slice(0, 2), storeOnly: true }])).toEqual({ ok: true, firstSequenceNumber: 0, lastSequenceNumber: 1 });
      expect(stream.append("p", "order-1", [{ events: events.slice(2), storeOnly: true }])).toEqual({ ok: true, firstSequenceNumber: 2, lastSequenceNumber: 4 });
      expect(stream.lastSequenceNumber()).toBe(4);

      const all = stream.read(-1, 100);
      expect(all.lastSequenceNumber).toBe(4);
      expect(parsed(all.events).map((e) => e.messageId)).toEqual(events.map((e) => e.messageId));
      const tail = stream.read(2, 100);
      expect(parsed(tail.events).map((e) => e.messageId)).toEqual(events.slice(3).map((e) => e.messageId));
      expect(tail.lastSequenceNumber).toBe(4);
      expect(stream.read(4, 100)).toEqual({ events: [], lastSequenceNumber: 4 });
      expect(stream.read(9, 100)).toEqual({ events: [], lastSequenceNumber: 9 });
    }));

  it("pages with a batch size", () =>
    withStream("stream-paging", (stream) => {
      stream.append("p", "a", [{ events: Array.from({ length: 7 }, (_, i) => event({ i })), storeOnly: true }]);
      const pages: number[][] = [];
      for (let after = -1; ; ) {
        const page = stream.read(after, 3);
        if (page.events.length === 0) break;
        pages.push(parsed(page.events).map((e) => JSON.parse(atob(e.data.value!)).i));
        after = page.lastSequenceNumber;
      }
      expect(pages).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    }));

  it("fills in segment, $aggregateId, $sequenceNumber, messageId and timestamp, keeping what the client set", () =>
    withStream("stream-metadata", (stream) => {
      const bare: SerializedMessage = { data: { value: "e30=", type: "T", revision: 0 } };
      const own: SerializedMessage = { ...event({}), segment: 7, metadata: { $aggregateId: "order-9", $sequenceNumber: "1", $aggregateType: "Order" } };
      stream.append("p", "order-9", [{ events: [bare, own], storeOnly: true }]);
      const [first, second] = parsed(stream.read(-1, 10).events);
      expect(first.segment).toBe(segmentOf("order-9"));
      expect(first.metadata).toEqual({ $aggregateId: "order-9", $sequenceNumber: "0" });
      expect(first.messageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof first.timestamp).toBe("number");
      expect(second.segment).toBe(7);
      expect(second.metadata).toEqual(own.metadata);
      expect(second.messageId).toBe(own.messageId);
      expect(second.timestamp).toBe(own.timestamp);
    }));

  it("puts only published events in the outbox, in the same transaction", () =>
    withStream("stream-outbox", (stream) => {
      const published = [event(1), event(2)];
      stream.append("p", "a", [{ events: [event(0)], storeOnly: true }, { events: published, storeOnly: false }]);
      const pending = stream.pending(10, 1 << 20);
      expect(pending.map((e) => e.message.messageId)).toEqual(published.map((e) => e.messageId));
      expect(pending.every((e) => e.projectId === "p")).toBe(true);
      // A character budget smaller than one entry still yields that entry.
      expect(stream.pending(10, 1).map((e) => e.id)).toEqual([pending[0].id]);
      stream.acknowledge(pending[0].id);
      expect(stream.pendingCount()).toBe(1);
      stream.acknowledge(pending[1].id);
      expect(stream.pendingCount()).toBe(0);
    }));

  it("rejects a stale expected sequence number and stores nothing of the call", () =>
    withStream("stream-expected", (stream) => {
      expect(stream.append("p", "a", [{ events: [event(0)], storeOnly: false, expectedSequenceNumber: -1 }])).toMatchObject({ ok: true, lastSequenceNumber: 0 });
      expect(stream.append("p", "a", [{ events: [event(1)], storeOnly: false, expectedSequenceNumber: 5 }])).toEqual({ ok: false, expectedSequenceNumber: 5, actualSequenceNumber: 0 });
      // The first batch fits, the second does not: neither is stored.
      const outcome = stream.append("p", "a", [
        { events: [event(2)], storeOnly: false, expectedSequenceNumber: 0 },
        { events: [event(3)], storeOnly: false, expectedSequenceNumber: 0 },
      ]);
      expect(outcome).toEqual({ ok: false, expectedSequenceNumber: 0, actualSequenceNumber: 1 });
      expect(stream.lastSequenceNumber()).toBe(0);
      expect(stream.pendingCount()).toBe(1);
      expect(stream.append("p", "a", [{ events: [event(4)], storeOnly: false }])).toMatchObject({ ok: true, firstSequenceNumber: 1 });
    }));

  it("deletes the stream, after which numbering restarts at 0", () =>
    withStream("stream-delete", (stream) => {
      stream.append("p", "a", [{ events: [event(0), event(1)], storeOnly: true }]);
      stream.delete();
      expect(stream.read(-1, 10)).toEqual({ events: [], lastSequenceNumber: -1 });
      expect(stream.append("p", "a", [{ events: [event(2)], storeOnly: true }])).toMatchObject({ ok: true, firstSequenceNumber: 0 });
    }));
});
