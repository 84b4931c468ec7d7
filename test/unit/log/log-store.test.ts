import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { LogPartition } from "../../../durable-objects/LogPartition";
import { type EncodedBatch, LogStore, type ReadOutcome } from "../../../src/log/log-store";
import { type ReadInputs, nextRead } from "../../../src/log/read-ahead";
import { encodeForPartitions } from "../../../src/log/message-codec";
import { parseJson } from "../../../src/protocol/json";

function batchOf(n: number, prefix = "m", extra: Partial<{ type: string; target: string }> = {}): EncodedBatch {
  const messages = Array.from({ length: n }, (_, i) => ({
    data: { value: btoa(`{"n":${i}}`), type: extra.type ?? "com.example.Thing", revision: 0 },
    messageId: `${prefix}${i}`,
    target: extra.target ?? null,
    metadata: {},
  }));
  return encodeForPartitions(messages, 1).get(0)!;
}

/** Runs `fn` with a LogStore on the SQLite storage of a fresh partition object. */
function withStore<T>(fn: (store: LogStore, storage: DurableObjectStorage) => T | Promise<T>, name = crypto.randomUUID()) {
  const stub = env.LOG_PARTITION.get(env.LOG_PARTITION.idFromName(name));
  return runInDurableObject(stub, (_: LogPartition, state) => fn(new LogStore(state.storage, { dedupeWindowMillis: 120_000 }), state.storage));
}

/** Real storage whose next transaction fails once `failNext()` is called, as a full disk or a lost lock would. */
function faultyStorage(storage: DurableObjectStorage) {
  let fail = false;
  const faulty = {
    sql: storage.sql,
    transactionSync: <T>(fn: () => T): T => {
      if (fail) {
        fail = false;
        throw new Error("disk full");
      }
      return storage.transactionSync(fn);
    },
  };
  return { faulty, failNext: () => void (fail = true) };
}

describe("LogStore", () => {
  it("never hands out again the indexes of a write that failed after readers saw them", async () => {
    await withStore((_, storage) => {
      const { faulty, failNext } = faultyStorage(storage);
      // A clock that stands still: the next index comes from the last one handed out, not from time.
      const store = new LogStore(faulty, { dedupeWindowMillis: 120_000, now: () => 1_700_000_000_000 });
      store.append(batchOf(1, "before"));
      const head = store.head;
      failNext();
      const shown: bigint[] = [];
      expect(() => store.appendMany([batchOf(1, "failing")], (group) => shown.push(...group.stored.map((m) => m.index)))).toThrow("disk full");
      expect(shown).toHaveLength(1);
      expect(store.head).toBe(head);
      const next = store.appendMany([batchOf(1, "after")]);
      expect(next.stored[0].index).toBeGreaterThan(shown[0]);
      expect(store.read(-1n, 10).indexes).toEqual([head, next.stored[0].index]);
    });
  });

  it("reads the same messages from the lines it holds as from SQLite after a restart, and holds none of a failed write", async () => {
    await withStore((_, storage) => {
      const { faulty, failNext } = faultyStorage(storage);
      const store = new LogStore(faulty, { dedupeWindowMillis: 120_000 });
      // Large rows (several per batch) and many batches, so held lines run past their budget.
      const big = (prefix: string) => {
        const b = batchOf(400, prefix);
        b.lines = b.lines.map((l) => l.replace('"data":{', `"data":{"pad":"${"x".repeat(3000)}",`));
        return b;
      };
      for (let i = 0; i < 20; i++) store.append(big(`b${i}-`));
      failNext();
      expect(() => store.append(batchOf(5, "failed"))).toThrow("disk full");
      store.append(batchOf(5, "last"));
      const reads = (s: LogStore) => [
        s.read(-1n, 100_000, {}, 100_000, 1e9),
        // A consumer's four trackers, each its own segments.
        ...[0, 32, 64, 96].map((from) => s.read(-1n, 100_000, { range: [from, from + 32] }, 100_000, 1e9)),
        s.read(s.read(-1n, 4000, {}, 100_000, 1e9).indexes.at(-1)!, 100_000, {}, 100_000, 1e9),
      ];
      const held = reads(store);
      const restarted = reads(new LogStore(storage, { dedupeWindowMillis: 120_000 }));
      expect(held.map((r) => r.messages)).toEqual(restarted.map((r) => r.messages));
      expect(held[0].messages).toHaveLength(20 * 400 + 5);
      expect(held[0].messages.some((m) => m.includes('"messageId":"failed'))).toBe(false);
      expect(held.slice(1, 5).reduce((n, r) => n + r.messages.length, 0)).toBe(20 * 400 + 5);
    });
  });

  it("assigns consecutive indexes above now << 16 and reads them back in order", async () => {
    await withStore((store) => {
      const before = BigInt(Date.now()) << 16n;
      const out = store.append(batchOf(3));
      expect(out.stored).toBe(3);
      const read = store.read(-1n, 10);
      expect(read.indexes).toHaveLength(3);
      expect(read.indexes[0]).toBeGreaterThanOrEqual(before);
      expect(read.indexes[1]).toBe(read.indexes[0] + 1n);
      expect(read.indexes[2]).toBe(out.lastIndex);
      const first = JSON.parse(read.messages[0]);
      expect(first.messageId).toBe("m0");
      expect(first.data.type).toBe("com.example.Thing");
    });
  });

  it("grants requested indexes above the head and gives the rest the head's next index", async () => {
    await withStore((store) => {
      const now = Date.now();
      const at = (ms: number) => BigInt(ms) << 16n;
      // Deadlines 5 s and 3 s ago (out of order: the second is below the first) and one now.
      const messages = ["a", "b", "c", "d"].map((id) => ({ data: { value: null, type: "T", revision: 0 }, messageId: id, metadata: {} }));
      const requested = [at(now - 5_000), at(now - 3_000), at(now - 4_000), at(now - 3_000)];
      const out = store.append(encodeForPartitions(messages, 1, requested).get(0)!);
      const read = store.read(-1n, 10);
      expect(read.indexes).toEqual([at(now - 5_000), at(now - 3_000), at(now - 3_000) + 1n, at(now - 3_000) + 2n]);
      expect(read.messages.map((m) => BigInt((parseJson(m) as { index: bigint | number }).index))).toEqual(read.indexes);
      expect(out.lastIndex).toBe(at(now - 3_000) + 2n);
      // Reads from inside the jumps find exactly what follows.
      expect(store.read(at(now - 5_000), 10).indexes).toEqual(read.indexes.slice(1));
      expect(store.read(at(now - 4_000), 10).indexes).toEqual(read.indexes.slice(1));
      // An ordinary append continues from the clock, a request below the head from head + 1.
      const clocked = store.append(batchOf(1, "e")).lastIndex;
      expect(clocked).toBeGreaterThanOrEqual(at(now));
      const late = store.append(encodeForPartitions([{ ...messages[0], messageId: "f" }], 1, [at(now - 10_000)]).get(0)!);
      expect(late.lastIndex).toBe(clocked + 1n);
      expect(store.head).toBe(clocked + 1n);
    });
  });

  it("keeps indexes exact above 2^53, in SQLite and in the message JSON", async () => {
    const stub = env.LOG_PARTITION.get(env.LOG_PARTITION.idFromName("exact"));
    await runInDurableObject(stub, (_: LogPartition, state) => {
      const now = 1_800_000_000_123;
      const store = new LogStore(state.storage, { dedupeWindowMillis: 1000, now: () => now });
      store.append(batchOf(1));
      store.append(batchOf(1, "n"));
      const { indexes, messages } = store.read(-1n, 2);
      expect(indexes[0]).toBe(BigInt(now) << 16n);
      // Exactly the next index: a double would round 2^53+ values to even neighbours.
      expect(indexes[1]).toBe((BigInt(now) << 16n) + 1n);
      expect(messages[1]).toContain(`"index":${(BigInt(now) << 16n) + 1n},`);
    });
  });

  it("stays strictly increasing when the clock goes backwards", async () => {
    const stub = env.LOG_PARTITION.get(env.LOG_PARTITION.idFromName("clock"));
    await runInDurableObject(stub, (_: LogPartition, state) => {
      let now = 2_000_000_000_000;
      const store = new LogStore(state.storage, { dedupeWindowMillis: 1000, now: () => now });
      const a = store.append(batchOf(2, "a")).lastIndex;
      now -= 60_000;
      const b = store.append(batchOf(2, "b")).lastIndex;
      expect(b).toBe(a + 2n);
    });
  });

  it("reads from an index, inclusive of nothing at or below it, and honours maxSize", async () => {
    await withStore((store) => {
      store.append(batchOf(10));
      const all = store.read(-1n, 100).indexes;
      const after = store.read(all[3], 4);
      expect(after.indexes).toEqual(all.slice(4, 8));
    });
  });

  it("deduplicates by messageId within the window, also after a restart", async () => {
    const name = crypto.randomUUID();
    await withStore((store) => {
      store.append(batchOf(5));
      const again = store.append(batchOf(5));
      expect(again).toMatchObject({ stored: 0, duplicates: 5 });
    }, name);
    // A new LogStore over the same storage is what a restarted object builds.
    await withStore((store) => {
      expect(store.append(batchOf(6)).stored).toBe(1);
      expect(store.read(-1n, 100).indexes).toHaveLength(6);
    }, name);
  });

  it("splits large batches over several rows and reads them as one sequence", async () => {
    await withStore((store, storage) => {
      const big = batchOf(3000);
      big.lines = big.lines.map((l) => l.replace("{", `{"pad":"${"x".repeat(400)}",`));
      store.append(big);
      const rows = storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM batches").one().n;
      expect(rows).toBeGreaterThan(1);
      const read = store.read(-1n, 5000);
      expect(read.indexes).toHaveLength(3000);
      for (let i = 1; i < 3000; i++) expect(read.indexes[i]).toBe(read.indexes[i - 1] + 1n);
      expect(JSON.parse(read.messages[2999]).messageId).toBe("m2999");
    });
  });

  it("filters by segment range, per-segment position, type and target", async () => {
    await withStore((store) => {
      const b = batchOf(50);
      store.append(b);
      store.append(batchOf(3, "r", { type: "com.example.Other", target: "client-2" }));
      const inRange = store.read(-1n, 100, { range: [0, 64] });
      expect(inRange.segments.every((s) => s < 64)).toBe(true);
      const all = store.read(-1n, 100);
      expect(inRange.indexes).toEqual(all.indexes.filter((_, i) => all.segments[i] < 64));
      expect(inRange.indexes.length).toBeGreaterThan(0);
      expect(inRange.indexes.length).toBeLessThan(all.indexes.length);
      const typed = store.read(-1n, 100, { typeFilter: "com\\.example\\.Oth.*" });
      expect(typed.indexes).toHaveLength(3);
      const notMine = store.read(-1n, 100, { target: { clientId: "client-1", trackerId: "t1" }, typeFilter: "com\\.example\\.Other" });
      expect(notMine.indexes).toHaveLength(0);
      const mine = store.read(-1n, 100, { target: { clientId: "client-2", trackerId: "t1" }, typeFilter: "com\\.example\\.Other" });
      expect(mine.indexes).toHaveLength(3);
      const positions: bigint[] = Array(128).fill(inRange.indexes[0]);
      const afterFirst = store.read(-1n, 100, { range: [0, 64], positions });
      expect(afterFirst.indexes).toEqual(inRange.indexes.slice(1));
    });
  });

  it("answers a tracker's next read from the batch read ahead for it, only while that is what a fresh read gives", async () => {
    /**
     * A store with 60 messages, a first read of 25 by tracker t1 over segments [0, 64), its next
     * read held ahead, and then every row deleted behind the store's back: a fresh read now finds
     * nothing, so whatever `check` reads shows where its answer came from.
     */
    const readAhead = (check: (store: LogStore, next: ReadInputs, expected: ReadOutcome) => void, maxSize = 25) =>
      withStore((store, storage) => {
        store.append(batchOf(60));
        const first = { after: -1n, maxSize, filter: { range: [0, 64] as [number, number], positions: Array<bigint | null>(128).fill(null) } };
        const next = nextRead(first, store.readFor("t1", first.after, first.maxSize, first.filter), false)!;
        const expected = store.read(next.after, next.maxSize, next.filter);
        expect(expected.indexes.length).toBeGreaterThan(0);
        store.readAhead("t1", next);
        storage.sql.exec("DELETE FROM batches");
        check(store, next, expected);
      });
    await readAhead((store, next, expected) => {
      expect(store.readFor("t1", next.after, next.maxSize, next.filter)).toEqual(expected);
      // Taken once: the read after it is fresh.
      expect(store.readFor("t1", next.after, next.maxSize, next.filter).indexes).toEqual([]);
    });
    await readAhead((store, next) => expect(store.readFor("t2", next.after, next.maxSize, next.filter).indexes).toEqual([]));
    await readAhead((store, next) => expect(store.readFor("t1", next.after, next.maxSize + 1, next.filter).indexes).toEqual([]));
    await readAhead((store, next) => {
      const moved = next.filter.positions!.map((p, s) => (s === 5 ? -1n : p));
      expect(store.readFor("t1", next.after, next.maxSize, { ...next.filter, positions: moved }).indexes).toEqual([]);
    });
    await readAhead((store, next, expected) => {
      // Outside the range positions select nothing: the read is the same.
      const outside = next.filter.positions!.map((p, s) => (s === 100 ? 7n : p));
      expect(store.readFor("t1", next.after, next.maxSize, { ...next.filter, positions: outside })).toEqual(expected);
    });
    await readAhead((store, next, expected) => {
      // The read ahead reached the head: a write may have added to it.
      expect(expected.scannedTo).toBe(expected.head);
      store.append(batchOf(1, "later"));
      expect(store.readFor("t1", next.after, next.maxSize, next.filter).indexes).toHaveLength(1);
    });
    await readAhead((store, next, expected) => {
      // A read ahead that stopped at maxSize is what a read returns after an append too, at the new head.
      expect(expected.scannedTo).toBeLessThan(expected.head);
      store.append(batchOf(1, "later"));
      expect(store.readFor("t1", next.after, next.maxSize, next.filter)).toEqual({ ...expected, head: store.head });
    }, 5);
    await readAhead((store, next) => {
      store.setRetention(3600);
      expect(store.readFor("t1", next.after, next.maxSize, next.filter).indexes).toEqual([]);
    });
  });

  it("reads ahead after a full batch, with the positions StorePosition gives its range", () => {
    const positions: (bigint | null)[] = Array(128).fill(null);
    positions[3] = 900n;
    const read = { after: -1n, maxSize: 2, filter: { range: [0, 64] as [number, number], positions } };
    const outcome = { indexes: [10n, 20n], segments: [1, 2], messages: ["{}", "{}"], scannedTo: 25n, head: 99n, bytes: 4 };
    const next = nextRead(read, outcome, false)!;
    expect(next.after).toBe(25n);
    expect(next.filter.positions![0]).toBe(25n);
    expect(next.filter.positions![3]).toBe(900n);
    expect(next.filter.positions![100]).toBeNull();
    expect(nextRead(read, outcome, true)).toBeNull();
    expect(nextRead(read, { ...outcome, indexes: [], messages: [], segments: [] }, false)).toBeNull();
  });

  it("purges and hides messages past the retention time", async () => {
    const stub = env.LOG_PARTITION.get(env.LOG_PARTITION.idFromName("retention"));
    await runInDurableObject(stub, (_: LogPartition, state) => {
      let now = 2_000_000_000_000;
      const store = new LogStore(state.storage, { dedupeWindowMillis: 1000, now: () => now });
      store.append(batchOf(2, "old"));
      now += 10_000;
      store.append(batchOf(2, "new"));
      store.setRetention(5);
      const ids = store.read(-1n, 10).messages.map((m) => JSON.parse(m).messageId);
      expect(ids).toEqual(["new0", "new1"]);
      expect(store.retentionSeconds).toBe(5);
    });
  });

  it("keeps each message's audit keys beside it", async () => {
    await withStore((store) => {
      const batch = encodeForPartitions(
        [{ data: { value: "e30=", type: "T" }, messageId: "k1", timestamp: 42, metadata: { $correlationId: "c-1", $traceId: "t-1" } }],
        1,
      ).get(0)!;
      store.append(batch);
      const [row] = store.readKeys(-1n, 10).rows;
      expect(row).toMatchObject({ messageId: "k1", type: "T", keys: [42, "c-1", "t-1", { $correlationId: "c-1", $traceId: "t-1" }] });
    });
  });
});
