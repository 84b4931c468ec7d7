// Scheduler objects end to end: the Flux endpoint, the HTTP routes, and delivery to the real
// SCHEDULE log through alarms, including after a restart.
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { HubError } from "../../../src/errors";
import { schedulingRoutes } from "../../../src/http/scheduling";
import { readFromIndex } from "../../../src/log/log-client";
import type { SessionInfo } from "../../../src/protocol/endpoint";
import { parseJson } from "../../../src/protocol/json";
import type { SerializedMessage } from "../../../src/protocol/messages";
import { putSchedules, schedulerShard, schedulerStub } from "../../../src/scheduling/client";
import { schedulingEndpoint } from "../../../src/scheduling/endpoint";
import { parseFluxSchedules } from "../../../src/scheduling/input";

const message = (id: string) => ({ data: { value: "e30=", type: "com.example.Ping" }, metadata: {}, messageId: id, timestamp: Date.now() });

function session(projectId: string): SessionInfo {
  return { projectId, clientId: "c1", clientName: "app", sessionId: "s1", path: "scheduling", topic: null };
}

async function scheduleLog(projectId: string): Promise<SerializedMessage[]> {
  const { messages } = await readFromIndex(env, { projectId, type: "SCHEDULE", topic: null }, 0n, 10_000);
  return messages.map((m) => parseJson(m) as SerializedMessage);
}

/** `n` schedule ids that all live in the same shard. */
function idsInOneShard(n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < n; i++) if (schedulerShard(`job-${i}`) === 0) ids.push(`job-${i}`);
  return ids;
}

describe("schedulingEndpoint", () => {
  it("schedules, gets and cancels with Flux shapes", async () => {
    const s = session("sched-flux-1");
    const deadline = Date.now() + 3_600_000;
    const schedule = { "@type": "schedule", messages: [{ scheduleId: "later", timestamp: deadline, message: message("m-later"), ifAbsent: false }] };
    expect(await schedulingEndpoint.schedule(schedule, s, env)).toEqual({ "@type": "void" });

    const got = await schedulingEndpoint.getSchedule({ "@type": "getSchedule", scheduleId: "later" }, s, env);
    expect(got).toEqual({
      "@type": "getScheduleResult",
      schedule: {
        scheduleId: "later",
        timestamp: deadline,
        message: { ...message("m-later"), timestamp: expect.any(Number), metadata: { $scheduleId: "later" } },
        ifAbsent: false,
      },
    });

    expect(await schedulingEndpoint.cancelSchedule({ "@type": "cancelSchedule", scheduleId: "later" }, s, env)).toEqual({ "@type": "void" });
    expect(await schedulingEndpoint.getSchedule({ "@type": "getSchedule", scheduleId: "later" }, s, env))
      .toEqual({ "@type": "getScheduleResult", schedule: null });
  });

  it("delivers a due schedule once to the SCHEDULE log, with $scheduleId, and holds back the future one", async () => {
    const projectId = "sched-flux-2";
    const s = session(projectId);
    const messages = [
      { scheduleId: "now", timestamp: Date.now() - 1_000, message: message("m-now") },
      { scheduleId: "future", timestamp: Date.now() + 3_600_000, message: message("m-future") },
    ];
    await schedulingEndpoint.schedule({ "@type": "schedule", messages }, s, env);
    await runDurableObjectAlarm(schedulerStub(env, projectId, schedulerShard("now")));
    await vi.waitFor(async () => expect(await scheduleLog(projectId)).toHaveLength(1));
    const [delivered] = await scheduleLog(projectId);
    expect(delivered.messageId).toBe("m-now");
    expect(delivered.metadata?.$scheduleId).toBe("now");
    expect((await schedulingEndpoint.getSchedule({ "@type": "getSchedule", scheduleId: "now" }, s, env))?.schedule).toBeNull();
  });

  it("accepts deadlines at and before the epoch as overdue and delivers them", async () => {
    const projectId = "sched-flux-epoch";
    const s = session(projectId);
    const messages = [0, -5_000].map((timestamp, i) => ({ scheduleId: `old-${i}`, timestamp, message: message(`m-old-${i}`) }));
    expect(await schedulingEndpoint.schedule({ "@type": "schedule", messages }, s, env)).toEqual({ "@type": "void" });
    for (const id of ["old-0", "old-1"]) await runDurableObjectAlarm(schedulerStub(env, projectId, schedulerShard(id)));
    await vi.waitFor(async () => expect((await scheduleLog(projectId)).map((m) => m.messageId).sort()).toEqual(["m-old-0", "m-old-1"]));
  });

  it("rejects a malformed schedule with a BadRequest", async () => {
    await expect(schedulingEndpoint.schedule({ "@type": "schedule", messages: [{ scheduleId: "x", timestamp: "soon" }] }, session("sched-flux-3"), env))
      .rejects.toThrow("messages[0].timestamp: must be a number (epoch milliseconds)");
  });
});

describe("Scheduler", () => {
  it("catches up overdue schedules after a restart, each exactly once", async () => {
    const projectId = "sched-restart";
    const ids = idsInOneShard(3);
    const stub = schedulerStub(env, projectId, 0);
    const deadline = Date.now() + 200;
    await putSchedules(env, projectId, parseFluxSchedules(ids.map((id) => ({ scheduleId: id, timestamp: deadline, message: message(`m-${id}`) })), Date.now()));
    await evictDurableObject(stub);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await runDurableObjectAlarm(stub); // the overdue alarm, unless the runtime already ran it
    await runDurableObjectAlarm(stub); // nothing left: must not deliver again
    await vi.waitFor(async () => expect((await scheduleLog(projectId)).length).toBeGreaterThanOrEqual(3));
    expect((await scheduleLog(projectId)).map((m) => m.metadata?.$scheduleId).sort()).toEqual([...ids].sort());
    await runInDurableObject(stub, async (instance) => expect(await instance.list(null, 10)).toEqual([]));
  });

  it("keeps one alarm at the earliest due time", async () => {
    const projectId = "sched-alarm";
    const [a, b] = idsInOneShard(2);
    const now = Date.now();
    await putSchedules(env, projectId, parseFluxSchedules([
      { scheduleId: a, timestamp: now + 7_200_000, message: message("m-a") },
      { scheduleId: b, timestamp: now + 3_600_000, message: message("m-b") },
    ], now));
    const stub = schedulerStub(env, projectId, 0);
    await runInDurableObject(stub, async (_i, state) => expect(await state.storage.getAlarm()).toBe(now + 3_600_000));
    await stub.cancel(b);
    await runInDurableObject(stub, async (_i, state) => expect(await state.storage.getAlarm()).toBe(now + 7_200_000));
    await stub.cancel(a);
    await runInDurableObject(stub, async (_i, state) => expect(await state.storage.getAlarm()).toBeNull());
  });
});

describe("schedulingRoutes", () => {
  const app = new Hono<{ Bindings: Cloudflare.Env }>().route("/api/projects/:projectId/schedules", schedulingRoutes);
  app.onError((err, c) => (err instanceof HubError ? c.json(err.toJSON(), err.status as 400) : c.json({ error: "internal", message: String(err) }, 500)));
  const base = "/api/projects/sched-http/schedules";
  const post = (body: unknown) => app.request(base, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }, env);
  const far = Date.now() + 86_400_000;

  it("creates, reads, lists across shards page by page, and cancels", async () => {
    const created = await post({ scheduleId: "daily-report", deadline: far, message: message("m-r"), recurrence: { cron: "0 9 * * *", timeZone: "Europe/Amsterdam" } });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ scheduleId: "daily-report", written: true });
    const kept = await post({ scheduleId: "daily-report", deadline: far + 1, message: message("m-r2"), ifAbsent: true });
    expect(kept.status).toBe(200);
    expect(await kept.json()).toEqual({ scheduleId: "daily-report", written: false });

    const got = await app.request(`${base}/daily-report`, {}, env);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ scheduleId: "daily-report", deadline: far, recurrence: { cron: "0 9 * * *", timeZone: "Europe/Amsterdam" } });

    for (let i = 0; i < 6; i++) expect((await post({ scheduleId: `p${i}`, deadline: far + 10 + (i % 3), message: message(`m-p${i}`) })).status).toBe(201);
    const seen: string[] = [];
    let after: string | null = `${far}`;
    do {
      const page: { schedules: { scheduleId: string }[]; next: string | null } =
        await (await app.request(`${base}?limit=4&after=${encodeURIComponent(after)}`, {}, env)).json();
      seen.push(...page.schedules.map((s) => s.scheduleId));
      after = page.next;
    } while (after);
    expect(seen).toEqual(["p0", "p3", "p1", "p4", "p2", "p5"]);

    expect((await app.request(`${base}/daily-report`, { method: "DELETE" }, env)).status).toBe(204);
    expect((await app.request(`${base}/daily-report`, { method: "DELETE" }, env)).status).toBe(404);
    expect((await app.request(`${base}/daily-report`, {}, env)).status).toBe(404);
  });

  it("answers bad input with 400s naming the problem", async () => {
    const cases: [unknown, string][] = [
      [{ deadline: far, message: message("m") }, "scheduleId: is required"],
      [{ scheduleId: "x", deadline: "tomorrow", message: message("m") }, "deadline: must be a number (epoch milliseconds)"],
      [{ scheduleId: "x", deadline: far, message: message("m"), recurrence: { cron: "every day" } }, "invalid cron expression"],
      [{ scheduleId: "x", deadline: far, message: message("m"), recurrence: { cron: "0 9 * * *", timeZone: "Nowhere/Land" } }, "unknown time zone: Nowhere/Land"],
    ];
    for (const [body, text] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: string; message: string };
      expect(json.error).toBe("bad_request");
      expect(json.message).toContain(text);
    }
    const notJson = await app.request(base, { method: "POST", body: "{", headers: { "content-type": "application/json" } }, env);
    expect(notJson.status).toBe(400);
    expect((await app.request(`${base}?limit=0`, {}, env)).status).toBe(400);
    expect((await app.request(`${base}?after=yesterday`, {}, env)).status).toBe(400);
  });
});
