import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { LogPartition } from "../../../durable-objects/LogPartition";
import { withOwnPartitionStubs } from "../../../src/session/own-stubs";

describe("a session's own partition stubs", () => {
  it("hands out one stub per partition, and a new one after a call through it failed", async () => {
    const own = withOwnPartitionStubs(env).LOG_PARTITION;
    const first = own.getByName("own-stubs/EVENT//0") as unknown as DurableObjectStub<LogPartition>;
    expect(own.get(own.idFromName("own-stubs/EVENT//0"))).toBe(first);
    expect(own.getByName("own-stubs/EVENT//1")).not.toBe(first);
    expect(await first.head()).toBe(-1n);
    expect(own.getByName("own-stubs/EVENT//0")).toBe(first);
    // A read whose typeFilter the partition refuses fails inside it: the caller sees the failure, and the stub is let go.
    await expect(first.read(-1n, 10, { typeFilter: "(x)\\1" })).rejects.toThrow(/typeFilter/);
    const second = own.getByName("own-stubs/EVENT//0") as unknown as DurableObjectStub<LogPartition>;
    expect(second).not.toBe(first);
    expect(await second.head()).toBe(-1n);
  });
});
