import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { LogPartition } from "../../../durable-objects/LogPartition";
import { AppendQueue } from "../../../src/log/append-queue";
import { type EncodedBatch, LogStore } from "../../../src/log/log-store";
import { encodeForPartitions } from "../../../src/log/message-codec";

const batchOf = (id: string): EncodedBatch => encodeForPartitions([{ data: { value: "e30=" }, messageId: id }], 1).get(0)!;

describe("AppendQueue", () => {
  it("stores appends that arrive together in one transaction, each with its own outcome", async () => {
    const stub = env.LOG_PARTITION.get(env.LOG_PARTITION.idFromName(crypto.randomUUID()));
    await runInDurableObject(stub, async (_: LogPartition, state) => {
      const store = new LogStore(state.storage, { dedupeWindowMillis: 60_000 });
      const groups: number[] = [];
      let woken = 0;
      const queue = new AppendQueue(
        (batches) => {
          groups.push(batches.length);
          return store.appendMany(batches);
        },
        () => woken++,
      );
      const outcomes = await Promise.all([queue.submit(batchOf("a")), queue.submit(batchOf("b")), queue.submit(batchOf("a"))]);
      expect(groups).toEqual([3]);
      expect(woken).toBe(1);
      expect(outcomes.map((o) => o.stored)).toEqual([1, 1, 0]);
      expect(outcomes[1].lastIndex).toBe(outcomes[0].lastIndex + 1n);
      expect(store.read(-1n, 10).indexes).toHaveLength(2);
      await queue.submit(batchOf("c"));
      expect(groups).toEqual([3, 1]);
    });
  });
});
