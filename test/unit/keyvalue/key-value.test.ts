import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { KeyValueShard } from "../../../durable-objects/KeyValueShard";
import { KeyValueStore } from "../../../src/keyvalue/key-value-store";
import { KV_SHARDS, groupByShard, shardOf } from "../../../src/keyvalue/shards";
import { segmentOf } from "../../../src/protocol/segment";

const data = (text: string) => ({ value: btoa(text), type: "com.example.Thing", revision: 1, format: null });

describe("KeyValueStore", () => {
  it("upserts, inserts if absent, gets and deletes over real SQLite", async () => {
    const stub = env.KEY_VALUE.get(env.KEY_VALUE.idFromName("kv-store-test"));
    await runInDurableObject(stub, (_instance: KeyValueShard, state) => {
      const store = new KeyValueStore(state.storage.sql);
      expect(store.get("a")).toBeNull();
      store.store([{ key: "a", value: data("1") }, { key: "b", value: data("2") }, { key: "a", value: data("3") }]);
      expect(store.get("a")).toEqual(data("3"));
      expect(store.get("b")).toEqual(data("2"));
      expect(store.storeIfAbsent({ key: "a", value: data("4") })).toBe(false);
      expect(store.get("a")).toEqual(data("3"));
      expect(store.storeIfAbsent({ key: "c", value: data("5") })).toBe(true);
      expect(store.get("c")).toEqual(data("5"));
      store.delete("a");
      store.delete("missing");
      expect(store.get("a")).toBeNull();
    });
  });

  it("keeps unknown Data fields so values round-trip exactly", async () => {
    const stub = env.KEY_VALUE.get(env.KEY_VALUE.idFromName("kv-roundtrip-test"));
    const value = { ...data("x"), originalRevision: 0 };
    await stub.storeValues([{ key: "k", value }]);
    expect(await stub.getValue("k")).toEqual(value);
  });
});

describe("shards", () => {
  it("routes a key to segmentOf(key) % 16 and groups batches by shard in order", () => {
    expect(KV_SHARDS).toBe(16);
    expect(shardOf("foo")).toBe(segmentOf("foo") % 16);
    expect(shardOf("order-123")).toBe(67 % 16);
    const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`);
    const groups = groupByShard(keys, (k) => k);
    expect([...groups.values()].flat().sort()).toEqual([...keys].sort());
    for (const [shard, group] of groups) {
      for (const k of group) expect(shardOf(k)).toBe(shard);
      expect(group).toEqual(keys.filter((k) => shardOf(k) === shard));
    }
  });
});
