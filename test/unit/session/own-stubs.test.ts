import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { LogPartition } from "../../../durable-objects/LogPartition";
import { withOwnPartitionStubs } from "../../../src/session/own-stubs";

/** A namespace whose stubs' `head()` waits while `hold` is set, until `release` fails it with `error`. */
function fakeNamespace(error: () => unknown) {
  let holding = false;
  let made = 0;
  const held: ((e: unknown) => void)[] = [];
  const namespace = {
    idFromName: (name: string) => ({ toString: () => name }),
    get: () => {
      const n = ++made;
      return { head: () => (holding ? new Promise<number>((_, reject) => held.push(reject)) : Promise.resolve(n)) };
    },
  };
  return {
    namespace,
    hold: (on: boolean) => void (holding = on),
    release: async (count: number) => {
      for (const reject of held.splice(0, count)) reject(error());
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe("a session's own partition stubs", () => {
  it("hands out one stub per partition, and keeps it when the object's own code throws", async () => {
    const own = withOwnPartitionStubs(env).LOG_PARTITION;
    const first = own.getByName("own-stubs/EVENT//0") as unknown as DurableObjectStub<LogPartition>;
    expect(own.get(own.idFromName("own-stubs/EVENT//0"))).toBe(first);
    expect(own.getByName("own-stubs/EVENT//1")).not.toBe(first);
    expect(await first.head()).toBe(-1n);
    // The partition refuses the typeFilter: an error of its own (remote), the stub still works.
    await expect(first.read(-1n, 10, { typeFilter: "(x)\\1" })).rejects.toThrow(/typeFilter/);
    expect(own.getByName("own-stubs/EVENT//0")).toBe(first);
    expect(await first.head()).toBe(-1n);
  });

  it("replaces a stub the runtime broke, and a late failure on the old one does not drop the new one", async () => {
    const { namespace, hold, release } = fakeNamespace(() => new Error("Network connection lost."));
    const own = withOwnPartitionStubs({ ...env, LOG_PARTITION: namespace as never }).LOG_PARTITION;
    const first = own.getByName("p") as unknown as { head(): Promise<number> };
    expect(await first.head()).toBe(1);
    hold(true);
    const failed = first.head().catch((e: Error) => e.message);
    const late = first.head().catch((e: Error) => e.message);
    await release(1);
    expect(await failed).toMatch(/connection lost/);
    hold(false);
    const second = own.getByName("p") as unknown as { head(): Promise<number> };
    expect(second).not.toBe(first);
    // The old stub's other call fails after its successor exists: the successor stays.
    await release(1);
    expect(await late).toMatch(/connection lost/);
    expect(own.getByName("p")).toBe(second);
    expect(await second.head()).toBe(2);
  });
});
