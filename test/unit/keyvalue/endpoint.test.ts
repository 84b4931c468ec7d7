import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { KeyValueShard } from "../../../durable-objects/KeyValueShard";
import { HubError } from "../../../src/errors";
import { keyValueEndpoint } from "../../../src/keyvalue/endpoint";
import { shardOf, shardStub } from "../../../src/keyvalue/shards";
import { MAX_VALUE_CHARS } from "../../../src/keyvalue/validation";
import type { SessionInfo } from "../../../src/protocol/endpoint";

const session = (projectId: string): SessionInfo => ({
  projectId, clientId: "c", clientName: "test", sessionId: "s", path: "keyValue", topic: null,
});
const data = (text: string) => ({ value: btoa(text), type: "com.example.Thing", revision: 0, format: "json" });

function call(type: string, fields: Record<string, unknown>, projectId = "kv-endpoint") {
  const handler = keyValueEndpoint[type];
  return handler({ "@type": type, requestId: 1, ...fields }, session(projectId), env);
}

async function rejection(p: Promise<unknown>): Promise<HubError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(HubError);
  return e as HubError;
}

describe("keyValueEndpoint", () => {
  it("stores, gets and deletes values (golden 22: a missing key has a null value)", async () => {
    expect(await call("getValue", { key: "missing" })).toEqual({ "@type": "getValueResult", value: null });
    expect(await call("storeValues", { values: [{ key: "a", value: data("1") }, { key: "b", value: data("2") }], guarantee: "STORED" })).toEqual({ "@type": "void" });
    expect(await call("getValue", { key: "a" })).toEqual({ "@type": "getValueResult", value: data("1") });
    expect(await call("storeValuesAndWait", { values: [{ key: "a", value: data("3") }] })).toEqual({ "@type": "void" });
    expect(await call("getValue", { key: "a" })).toEqual({ "@type": "getValueResult", value: data("3") });
    expect(await call("deleteValue", { key: "a", guarantee: "STORED" })).toEqual({ "@type": "void" });
    expect(await call("getValue", { key: "a" })).toEqual({ "@type": "getValueResult", value: null });
    expect(await call("getValue", { key: "b" })).toEqual({ "@type": "getValueResult", value: data("2") });
  });

  it("StoreValueIfAbsent answers true then false and never overwrites (golden 22)", async () => {
    expect(await call("storeValueIfAbsent", { value: { key: "once", value: data("first") } })).toEqual({ "@type": "boolean", success: true });
    expect(await call("storeValueIfAbsent", { value: { key: "once", value: data("second") } })).toEqual({ "@type": "boolean", success: false });
    expect(await call("getValue", { key: "once" })).toEqual({ "@type": "getValueResult", value: data("first") });
  });

  it("stores a batch with one shard object per key's shard, and keeps projects apart", async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `batch-${i}`);
    await call("storeValues", { values: keys.map((key) => ({ key, value: data(key) })) }, "kv-batch");
    for (const key of keys) {
      await runInDurableObject(shardStub(env, "kv-batch", shardOf(key)), async (shard: KeyValueShard) => {
        expect(shard.getValue(key)).toEqual(data(key));
      });
      expect(await call("getValue", { key }, "kv-other-project")).toEqual({ "@type": "getValueResult", value: null });
    }
  });

  it("stores snapshots under $snapshot_<aggregateId> like any key", async () => {
    const snapshot = data(JSON.stringify({ id: "order-1", sequenceNumber: 41 }));
    await call("storeValues", { values: [{ key: "$snapshot_order-1", value: snapshot }], guarantee: "STORED" });
    expect(await call("getValue", { key: "$snapshot_order-1" })).toEqual({ "@type": "getValueResult", value: snapshot });
    await call("deleteValue", { key: "$snapshot_order-1" });
    expect(await call("getValue", { key: "$snapshot_order-1" })).toEqual({ "@type": "getValueResult", value: null });
  });

  it("rejects empty keys, malformed Data and oversized values", async () => {
    expect((await rejection(call("getValue", { key: "" }))).code).toBe("bad_request");
    expect((await rejection(call("storeValues", { values: [{ key: "", value: data("x") }] }))).code).toBe("bad_request");
    expect((await rejection(call("storeValues", { values: "nope" }))).code).toBe("bad_request");
    const notBase64 = await rejection(call("storeValues", { values: [{ key: "k", value: { value: "not base64!", type: "t" } }] }));
    expect(notBase64.code).toBe("bad_request");
    expect(notBase64.message).toContain("base64");
    expect((await rejection(call("storeValues", { values: [{ key: "k", value: { value: "AA==", revision: 1.5 } }] }))).code).toBe("bad_request");
    expect((await rejection(call("storeValueIfAbsent", { value: { key: "k", value: "AA==" } }))).code).toBe("bad_request");
    const big = await rejection(call("storeValues", { values: [{ key: "k", value: { value: "A".repeat(MAX_VALUE_CHARS + 4) } }] }));
    expect(big.code).toBe("payload_too_large");
    expect(await call("getValue", { key: "k" })).toEqual({ "@type": "getValueResult", value: null });
  });
});
