// Scheduled messages as the Java client depends on them, over real sockets with Java-shaped
// requests: a schedule is delivered at its deadline's index (`deadline << 16`), a rescheduled one at
// its new deadline's, periodic chains built on the delivered index do not drift, and a deadline of
// 0 or less is due now instead of wedging its Scheduler shard.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schedulerShard } from "../../src/scheduling/client";
import { stringifyJson } from "../../src/protocol/json";
import { FluxSocket, type Json, payloadOf } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { javaMessage, javaRead, javaSchedule } from "../support/java-shapes";

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

const indexOf = (ms: number) => BigInt(ms) << 16n;
const millisOf = (index: bigint | number) => Number(BigInt(index) >> 16n);

/** A schedule reader of its own consumer that collects every delivered message, storing positions as the client does. */
async function reader(projectId: string, consumer: string) {
  const socket = await FluxSocket.open(hub.wsUrl, "tracking/readschedule", { projectId });
  const delivered: Json[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const r = await socket.request(javaRead("SCHEDULE", consumer, `${consumer}-t`, { lastIndex: -1, maxTimeout: 1_000 }), 5_000);
      if (r["@type"] !== "readResult") throw new Error(`read failed: ${JSON.stringify(r)}`);
      const batch = r.messageBatch;
      delivered.push(...batch.messages);
      if (batch.lastIndex !== null) {
        await socket.request({
          "@type": "storePosition", messageType: "SCHEDULE", consumer, segment: batch.segment, lastIndex: batch.lastIndex, guarantee: "STORED",
        });
      }
    }
  })();
  return {
    delivered,
    async waitFor(n: number, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (delivered.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(delivered.length).toBeGreaterThanOrEqual(n);
    },
    async stop() {
      stopped = true;
      await loop.catch(() => {});
      await socket.close();
    },
  };
}

async function scheduling(projectId: string) {
  return FluxSocket.open(hub.wsUrl, "scheduling", { projectId });
}

describe("scheduled messages carry their deadline as index", () => {
  it("delivers a schedule with index deadline << 16, and GetSchedule reports that deadline", async () => {
    const sched = await scheduling("idx-one");
    const r = await reader("idx-one", "app_SCHEDULE");
    const deadline = Date.now() + 1_200;
    const ack = await sched.request(javaSchedule([{ scheduleId: "reminder", timestamp: deadline, message: javaMessage("due") }]));
    expect(ack["@type"]).toBe("void");
    expect((await sched.request({ "@type": "getSchedule", scheduleId: "reminder" })).schedule.timestamp).toBe(deadline);
    await r.waitFor(1);
    const [m] = r.delivered;
    expect(payloadOf(m)).toBe("due");
    expect(BigInt(m.index)).toBe(indexOf(deadline));
    expect(m.metadata.$scheduleId).toBe("reminder");
    await Promise.all([r.stop(), sched.close()]);
  });

  it("gives schedules due in the same millisecond consecutive indexes", async () => {
    const sched = await scheduling("idx-same");
    const r = await reader("idx-same", "app_SCHEDULE");
    const deadline = Date.now() + 1_000;
    await sched.request(javaSchedule(["a", "b", "c"].map((id) => ({ scheduleId: id, timestamp: deadline, message: javaMessage(id, { segment: 7 }) }))));
    await r.waitFor(3);
    expect(r.delivered.map((m) => BigInt(m.index))).toEqual([0n, 1n, 2n].map((k) => indexOf(deadline) + k));
    await Promise.all([r.stop(), sched.close()]);
  });

  it("moves a schedule that is scheduled again under its id, earlier or later, to its new deadline's index", async () => {
    const sched = await scheduling("idx-move");
    const r = await reader("idx-move", "app_SCHEDULE");
    const now = Date.now();
    await sched.request(javaSchedule([
      { scheduleId: "earlier", timestamp: now + 60_000, message: javaMessage("earlier") },
      { scheduleId: "later", timestamp: now + 700, message: javaMessage("later") },
    ]));
    const earlier = now + 1_000;
    const later = now + 1_800;
    await sched.request(javaSchedule([
      { scheduleId: "earlier", timestamp: earlier, message: javaMessage("earlier, moved") },
      { scheduleId: "later", timestamp: later, message: javaMessage("later, moved") },
    ]));
    await r.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.delivered.map((m) => [payloadOf(m), BigInt(m.index)])).toEqual([
      ["earlier, moved", indexOf(earlier)],
      ["later, moved", indexOf(later)],
    ]);
    await Promise.all([r.stop(), sched.close()]);
  });

  it("chains a periodic schedule on the delivered index, as SchedulingInterceptor does, without drift", async () => {
    const sched = await scheduling("idx-periodic");
    const r = await reader("idx-periodic", "app_SCHEDULE");
    const period = 1_000;
    const first = Date.now() + 600;
    await sched.request(javaSchedule([{ scheduleId: "tick", timestamp: first, message: javaMessage(0) }]));
    for (let n = 1; n <= 4; n++) {
      await r.waitFor(n);
      // The Java client takes the deadline from the index it received (millisFromIndex) and
      // schedules the next occurrence a period later, under the same $scheduleId.
      const deadline = millisOf(r.delivered[n - 1].index);
      await sched.request(javaSchedule([{ scheduleId: r.delivered[n - 1].metadata.$scheduleId, timestamp: deadline + period, message: javaMessage(n) }]));
    }
    await r.waitFor(5);
    expect(r.delivered.map((m) => BigInt(m.index))).toEqual([0, 1, 2, 3, 4].map((k) => indexOf(first + k * period)));
    await sched.request({ "@type": "cancelSchedule", scheduleId: "tick", guarantee: "STORED" });
    await Promise.all([r.stop(), sched.close()]);
  }, 20_000);

  it("never lets a reader miss a schedule below a position it stored: indexes only grow", async () => {
    const sched = await scheduling("idx-order");
    const r = await reader("idx-order", "app_SCHEDULE");
    // Many schedules over a short span, across all Scheduler shards, delivered by independent alarms.
    const now = Date.now();
    const entries = Array.from({ length: 60 }, (_, i) => ({ scheduleId: `s${i}`, timestamp: now + 800 + (i % 10) * 15, message: javaMessage(i) }));
    await sched.request(javaSchedule(entries));
    await r.waitFor(60, 15_000);
    const indexes = r.delivered.map((m) => BigInt(m.index));
    expect([...indexes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(indexes);
    expect(new Set(r.delivered.map(payloadOf)).size).toBe(60);
    // Every index is its deadline's, or above it when a later deadline reached the log first.
    r.delivered.forEach((m) => expect(millisOf(m.index)).toBeGreaterThanOrEqual(entries[payloadOf(m)].timestamp));
    await Promise.all([r.stop(), sched.close()]);
  }, 25_000);
});

describe("a schedule with a deadline of 0 or less", () => {
  /** Another scheduleId held by the same Scheduler shard as `id`. */
  const sameShard = (id: string) => {
    for (let n = 0; ; n++) if (schedulerShard(`next-${n}`) === schedulerShard(id) && `next-${n}` !== id) return `next-${n}`;
  };

  it("over the protocol (timestamp 0, -1, 1e-400) is due now, and its shard keeps delivering", async () => {
    const projectId = "deadline-zero";
    const sched = await FluxSocket.open(hub.wsUrl, "scheduling", { projectId }, "NONE");
    const r = await reader(projectId, "app_SCHEDULE");
    const before = Date.now();
    const results: Json[] = [];
    for (const [id, timestamp] of [["zero", "0"], ["minus-one", "-1"], ["underflow", "1e-400"]] as const) {
      const request = { ...javaSchedule([{ scheduleId: id, timestamp: 424242, message: javaMessage(id) }]), requestId: 9000 + results.length };
      // Written as text, so that 1e-400 reaches the hub as the Java client's double would print it.
      sched.sendRaw(new TextEncoder().encode(stringifyJson(request).replace('"timestamp":424242', `"timestamp":${timestamp}`)));
      results.push(await sched.result(request.requestId));
    }
    expect(results.map((x) => x["@type"])).toEqual(["void", "void", "void"]);
    const later = Date.now() + 800;
    const next = sameShard("zero");
    expect((await sched.request(javaSchedule([{ scheduleId: next, timestamp: later, message: javaMessage(next) }])))["@type"]).toBe("void");
    await r.waitFor(4);
    const byId = new Map(r.delivered.map((m) => [m.metadata.$scheduleId, m]));
    for (const id of ["zero", "minus-one", "underflow"]) {
      expect(millisOf(byId.get(id)!.index)).toBeGreaterThanOrEqual(before);
    }
    expect(BigInt(byId.get(next)!.index)).toBe(indexOf(later));
    await Promise.all([r.stop(), sched.close()]);
  });

  it("over HTTP (deadline 0, -1) is created as due now and delivered, and the shard keeps delivering", async () => {
    const projectId = "deadline-zero-http";
    const r = await reader(projectId, "app_SCHEDULE");
    const post = (body: Json) =>
      fetch(`${hub.url}/api/projects/${projectId}/schedules`, { method: "POST", headers: { "content-type": "application/json" }, body: stringifyJson(body) });
    const before = Date.now();
    for (const [id, deadline] of [["h-zero", 0], ["h-minus-one", -1]] as const) {
      const res = await post({ scheduleId: id, deadline, message: javaMessage(id) });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ scheduleId: id, written: true });
    }
    const later = Date.now() + 800;
    const next = sameShard("h-zero");
    expect((await post({ scheduleId: next, deadline: later, message: javaMessage(next) })).status).toBe(201);
    await r.waitFor(3);
    const byId = new Map(r.delivered.map((m) => [m.metadata.$scheduleId, m]));
    expect(millisOf(byId.get("h-zero")!.index)).toBeGreaterThanOrEqual(before);
    expect(millisOf(byId.get("h-minus-one")!.index)).toBeGreaterThanOrEqual(before);
    expect(BigInt(byId.get(next)!.index)).toBe(indexOf(later));
    const bad = await post({ scheduleId: "h-far", deadline: 2 ** 53, message: javaMessage("far") });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toContain("deadline");
    await r.stop();
  });
});
