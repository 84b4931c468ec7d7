import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { LogPartition } from "../../../durable-objects/LogPartition";
import { AppendQueue } from "../../../src/log/append-queue";
import { type EncodedBatch, LogStore, type PreparedGroup } from "../../../src/log/log-store";
import { encodeForPartitions } from "../../../src/log/message-codec";

const batchOf = (id: string): EncodedBatch => encodeForPartitions([{ data: { value: "e30=" }, messageId: id }], 1).get(0)!;

/** A queue over a real store that records what happened in which order; `answers` says whether a group answered a read. */
function recordingQueue(store: LogStore, answers: () => boolean) {
  const steps: string[] = [];
  let woken = 0;
  const queue = new AppendQueue<PreparedGroup>({
    prepare: (batches) => (steps.push(`prepare ${batches.length}`), store.prepare(batches)),
    answer: () => (steps.push("answer"), answers()),
    write: (prepared) => (steps.push("write"), store.write(prepared)),
    committed: () => void woken++,
  });
  return { queue, steps, woken: () => woken };
}

describe("AppendQueue", () => {
  it("stores appends that arrive together in one transaction, each with its own outcome", async () => {
    const stub = env.LOG_PARTITION.get(env.LOG_PARTITION.idFromName(crypto.randomUUID()));
    await runInDurableObject(stub, async (_: LogPartition, state) => {
      const store = new LogStore(state.storage, { dedupeWindowMillis: 60_000 });
      const { queue, steps, woken } = recordingQueue(store, () => false);
      const outcomes = await Promise.all([queue.submit(batchOf("a")), queue.submit(batchOf("b")), queue.submit(batchOf("a"))]);
      expect(steps).toEqual(["prepare 3", "answer", "write"]);
      expect(woken()).toBe(1);
      expect(outcomes.map((o) => o.stored)).toEqual([1, 1, 0]);
      expect(outcomes[1].lastIndex).toBe(outcomes[0].lastIndex + 1n);
      expect(store.read(-1n, 10).indexes).toHaveLength(2);
      await queue.submit(batchOf("c"));
      expect(steps.slice(3)).toEqual(["prepare 1", "answer", "write"]);
    });
  });

  it("writes a group that answered reads one turn after its answers, and makes reads and the next group wait for that write", async () => {
    const stub = env.LOG_PARTITION.get(env.LOG_PARTITION.idFromName(crypto.randomUUID()));
    await runInDurableObject(stub, async (_: LogPartition, state) => {
      const store = new LogStore(state.storage, { dedupeWindowMillis: 60_000 });
      const { queue, steps } = recordingQueue(store, () => true);
      const first = queue.submit(batchOf("a"));
      // Wait until the group has answered: it is then between its answers and its write.
      while (!steps.includes("answer")) await new Promise((r) => setTimeout(r, 0));
      expect(steps).toEqual(["prepare 1", "answer"]);
      expect(store.head).toBe(-1n);
      // A duplicate arriving now must not be stored twice: its group waits for the first one's write.
      const again = queue.submit(batchOf("a"));
      await queue.settled();
      expect(steps.slice(0, 3)).toEqual(["prepare 1", "answer", "write"]);
      expect(store.read(-1n, 10).indexes).toHaveLength(1);
      expect((await first).stored).toBe(1);
      expect((await again).stored).toBe(0);
      expect(store.read(-1n, 10).indexes).toHaveLength(1);
    });
  });
});

describe("AppendQueue with requested indexes", () => {
  it("writes a group whose indexes a client asked for before answering its reads (the gate then holds the answers until durable)", async () => {
    const stub = env.LOG_PARTITION.get(env.LOG_PARTITION.idFromName(crypto.randomUUID()));
    await runInDurableObject(stub, async (_: LogPartition, state) => {
      const store = new LogStore(state.storage, { dedupeWindowMillis: 60_000 });
      const { queue, steps } = recordingQueue(store, () => true);
      const scheduled = { ...batchOf("s"), requestedIndexes: [BigInt(Date.now() + 60_000) << 16n] };
      expect((await queue.submit(scheduled)).stored).toBe(1);
      expect(steps).toEqual(["prepare 1", "write", "answer"]);
    });
  });

  it("also writes first a clock-indexed group that follows a future deadline (its indexes lie above the clock)", async () => {
    const stub = env.LOG_PARTITION.get(env.LOG_PARTITION.idFromName(crypto.randomUUID()));
    await runInDurableObject(stub, async (_: LogPartition, state) => {
      const store = new LogStore(state.storage, { dedupeWindowMillis: 60_000 });
      const { queue, steps } = recordingQueue(store, () => true);
      await queue.submit({ ...batchOf("s"), requestedIndexes: [BigInt(Date.now() + 60_000) << 16n] });
      // A crash before this group's write would let the next one after restart take its indexes again.
      expect((await queue.submit(batchOf("after"))).stored).toBe(1);
      expect(steps).toEqual(["prepare 1", "write", "answer", "prepare 1", "write", "answer"]);
    });
  });
});

describe("LogPartition between a group's answers and its write", () => {
  const lease = (trackerId: string) => ({
    consumer: "c", trackerId, epoch: 1, recipient: { sessionId: `gone-${trackerId}`, deliverTo: "session" as const }, requestId: 7,
    after: -1n, maxSize: 10, filter: {}, segment: [0, 128] as [number, number], position: [], deadline: Date.now() + 10_000,
  });

  it("makes a lease served then read the group's messages instead of parking past them", async () => {
    const stub = env.LOG_PARTITION.get(env.LOG_PARTITION.idFromName(crypto.randomUUID()));
    await runInDurableObject(stub, async (partition: LogPartition) => {
      expect((await partition.serve(lease("parked"), true)).parked).toBe(true);
      const appending = partition.append(batchOf("a"));
      // One turn: the group is prepared and has answered the parked lease; its write waits a turn more.
      await new Promise((r) => setTimeout(r, 0));
      const service = await partition.serve(lease("late"), true);
      expect(service).toMatchObject({ answered: true, parked: false });
      expect((await appending).stored).toBe(1);
    });
  });
});
