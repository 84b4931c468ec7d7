// ScheduleStore on a real Durable Object SQLite database, with a recording deliver function and
// alarm callback and an explicit clock.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SerializedMessage } from "../../../src/protocol/messages";
import type { Recurrence } from "../../../src/scheduling/recurrence";
import type { ScheduleEntry } from "../../../src/scheduling/schedule";
import { MAX_DELIVERY_BATCH, MAX_DELIVERY_CHARS, ScheduleStore } from "../../../src/scheduling/store";

const T = Date.UTC(2026, 2, 28, 8, 0, 0); // 2026-03-28 09:00 in Amsterdam (CET)

interface Harness {
  store: ScheduleStore;
  /** Each deliver call's messages. */
  deliveries: SerializedMessage[][];
  /** Each alarm the store set (null = deleted). */
  alarms: (number | null)[];
  /** Replaces what deliver does before recording (e.g. throw, or write meanwhile). */
  onDeliver: { run: (messages: SerializedMessage[], deadlines: number[]) => Promise<void> };
}

async function withStore(test: (h: Harness) => Promise<void>): Promise<void> {
  const stub = env.SCHEDULER.get(env.SCHEDULER.newUniqueId());
  await runInDurableObject(stub, async (_instance, state) => {
    const deliveries: SerializedMessage[][] = [];
    const alarms: (number | null)[] = [];
    const onDeliver = { run: async (_m: SerializedMessage[], _d: number[]) => {} };
    const store = new ScheduleStore({
      sql: state.storage.sql,
      setAlarm: async (at) => void alarms.push(at),
      deliver: async (messages, deadlines) => {
        await onDeliver.run(messages, deadlines);
        deliveries.push(messages);
      },
    });
    await test({ store, deliveries, alarms, onDeliver });
  });
}

function entry(scheduleId: string, deadline: number, more: Partial<ScheduleEntry> = {}): ScheduleEntry {
  return {
    scheduleId,
    deadline,
    message: { data: { value: "e30=", type: "com.example.Ping" }, metadata: { $scheduleId: scheduleId }, messageId: `msg-${scheduleId}`, timestamp: T - 1 },
    ifAbsent: false,
    recurrence: null,
    ...more,
  };
}

const ids = (h: Harness) => h.deliveries.flat().map((m) => m.metadata?.$scheduleId);
const lastAlarm = (h: Harness) => h.alarms[h.alarms.length - 1];

describe("ScheduleStore", () => {
  it("never delivers before the deadline and arms the alarm at it", () =>
    withStore(async (h) => {
      await h.store.schedule([entry("a", T + 60_000)]);
      expect(lastAlarm(h)).toBe(T + 60_000);
      expect(await h.store.deliverDue(T)).toBe(0);
      expect(await h.store.deliverDue(T + 59_999)).toBe(0);
      expect(h.deliveries).toEqual([]);
      expect(lastAlarm(h)).toBe(T + 60_000);
      expect(await h.store.deliverDue(T + 60_000)).toBe(1);
      expect(ids(h)).toEqual(["a"]);
      expect(h.store.get("a")).toBeNull();
      expect(lastAlarm(h)).toBeNull();
    }));

  it("treats a past deadline as due now", () =>
    withStore(async (h) => {
      await h.store.schedule([entry("late", T - 5_000)]);
      expect(lastAlarm(h)).toBe(T - 5_000);
      expect(await h.store.deliverDue(T)).toBe(1);
      expect(ids(h)).toEqual(["late"]);
    }));

  it("hands each message's deadline to deliver, for the index it gets on the log", () =>
    withStore(async (h) => {
      const deadlines: number[][] = [];
      h.onDeliver.run = async (_m, d) => void deadlines.push(d);
      await h.store.schedule([entry("b", T + 2), entry("a", T + 1)]);
      await h.store.deliverDue(T + 10);
      expect(ids(h)).toEqual(["a", "b"]);
      expect(deadlines).toEqual([[T + 1, T + 2]]);
    }));

  it("makes deadlines <= 0 stored by earlier versions due now, so the shard's alarm can be set again", async () => {
    const stub = env.SCHEDULER.get(env.SCHEDULER.newUniqueId());
    await runInDurableObject(stub, async (_instance, state) => {
      // A row stored before the repairing migration (the latest one) ran.
      state.storage.sql.exec("INSERT INTO scheduling_pending (schedule_id, due, message) VALUES ('wedged', -1, '{}')");
      state.storage.sql.exec("DELETE FROM _migrations WHERE capability = 'scheduling' AND version = (SELECT MAX(version) FROM _migrations WHERE capability = 'scheduling')");
      const before = Date.now();
      new ScheduleStore({ sql: state.storage.sql, setAlarm: async () => {}, deliver: async () => {} });
      const due = state.storage.sql.exec<{ due: number }>("SELECT due FROM scheduling_pending").one().due;
      expect(due).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(due).toBeLessThanOrEqual(Date.now());
    });
  });

  it("moves a schedule rescheduled under the same id, later or earlier", () =>
    withStore(async (h) => {
      await h.store.schedule([entry("a", T + 10_000)]);
      await h.store.schedule([entry("a", T + 60_000)]);
      expect(h.store.get("a")?.deadline).toBe(T + 60_000);
      expect(lastAlarm(h)).toBe(T + 60_000);
      expect(await h.store.deliverDue(T + 10_000)).toBe(0);
      await h.store.schedule([entry("a", T + 20_000)]);
      expect(lastAlarm(h)).toBe(T + 20_000);
      expect(await h.store.deliverDue(T + 20_000)).toBe(1);
      expect(await h.store.deliverDue(T + 60_000)).toBe(0);
      expect(ids(h)).toEqual(["a"]);
    }));

  it("cancels a pending schedule and clears the alarm", () =>
    withStore(async (h) => {
      await h.store.schedule([entry("a", T + 10_000), entry("b", T + 20_000)]);
      expect(await h.store.cancel("a")).toBe(true);
      expect(lastAlarm(h)).toBe(T + 20_000);
      expect(await h.store.cancel("a")).toBe(false);
      expect(await h.store.cancel("b")).toBe(true);
      expect(lastAlarm(h)).toBeNull();
      expect(await h.store.deliverDue(T + 30_000)).toBe(0);
      expect(h.deliveries).toEqual([]);
    }));

  it("ifAbsent keeps a pending schedule and writes when there is none", () =>
    withStore(async (h) => {
      await h.store.schedule([entry("a", T + 10_000)]);
      expect(await h.store.schedule([entry("a", T + 99_000, { ifAbsent: true }), entry("b", T + 5_000, { ifAbsent: true })])).toEqual([false, true]);
      expect(h.store.get("a")?.deadline).toBe(T + 10_000);
      expect(h.store.get("b")?.deadline).toBe(T + 5_000);
    }));

  it("ifAbsent is judged against the state before the request, as in Flux", () =>
    withStore(async (h) => {
      expect(await h.store.schedule([entry("a", T + 1_000), entry("a", T + 2_000, { ifAbsent: true })])).toEqual([true, true]);
      expect(h.store.get("a")?.deadline).toBe(T + 2_000);
    }));

  it("keeps the client's messageId for one-off schedules and derives one per occurrence otherwise", () =>
    withStore(async (h) => {
      const anonymous = entry("anon", T);
      anonymous.message = { ...anonymous.message, messageId: null };
      await h.store.schedule([entry("own", T), anonymous, entry("rec", T, { recurrence: { delayMs: 60_000 } })]);
      await h.store.deliverDue(T);
      const byId = Object.fromEntries(h.deliveries.flat().map((m) => [m.metadata?.$scheduleId, m.messageId]));
      expect(byId).toEqual({ own: "msg-own", anon: `anon@${T}`, rec: `msg-rec@${T}` });
    }));

  it("keeps everything pending when delivery fails and retries with backoff", () =>
    withStore(async (h) => {
      await h.store.schedule([entry("a", T)]);
      h.onDeliver.run = async () => {
        throw new Error("log unavailable");
      };
      expect(await h.store.deliverDue(T)).toBe(0);
      expect(lastAlarm(h)).toBe(T + 1_000);
      expect(await h.store.deliverDue(T + 1_000)).toBe(0);
      expect(lastAlarm(h)).toBe(T + 3_000);
      // A write while failing does not pull the retry forward.
      await h.store.schedule([entry("b", T)]);
      expect(lastAlarm(h)).toBe(T + 3_000);
      h.onDeliver.run = async () => {};
      expect(await h.store.deliverDue(T + 3_000)).toBe(2);
      expect(ids(h).sort()).toEqual(["a", "b"]);
      expect(lastAlarm(h)).toBeNull();
    }));

  it("leaves a schedule that a client moved or re-created while its delivery was in flight", () =>
    withStore(async (h) => {
      await h.store.schedule([entry("moved", T), entry("recreated", T)]);
      h.onDeliver.run = async () => {
        h.onDeliver.run = async () => {};
        await h.store.schedule([entry("moved", T + 60_000)]);
        await h.store.cancel("recreated");
        await h.store.schedule([entry("recreated", T + 30_000)]);
      };
      expect(await h.store.deliverDue(T)).toBe(2);
      expect(h.store.get("moved")?.deadline).toBe(T + 60_000);
      expect(h.store.get("recreated")?.deadline).toBe(T + 30_000);
      expect(lastAlarm(h)).toBe(T + 30_000);
    }));

  it("delivers 10,000 schedules due in the same second exactly once, in bounded batches", () =>
    withStore(async (h) => {
      const entries = Array.from({ length: 10_000 }, (_, i) => entry(`s${i}`, T + (i % 1000)));
      await h.store.schedule(entries);
      let runs = 0;
      while ((await h.store.deliverDue(T + 1_000)) > 0) {
        runs++;
        // More due: the alarm is re-armed at a time already past, so it fires again at once.
        if (h.store.list(null, 1).length > 0) expect(lastAlarm(h)).toBeLessThanOrEqual(T + 1_000);
      }
      expect(runs).toBe(10);
      expect(h.deliveries.every((batch) => batch.length <= MAX_DELIVERY_BATCH)).toBe(true);
      const delivered = ids(h);
      expect(delivered).toHaveLength(10_000);
      expect(new Set(delivered).size).toBe(10_000);
      expect(lastAlarm(h)).toBeNull();
    }));

  it("bounds a batch by message size too", () =>
    withStore(async (h) => {
      const big = "A".repeat(1024 * 1024);
      await h.store.schedule(
        Array.from({ length: 9 }, (_, i) => {
          const e = entry(`big${i}`, T);
          e.message = { ...e.message, data: { value: big, type: "com.example.Big" } };
          return e;
        }),
      );
      while ((await h.store.deliverDue(T)) > 0);
      expect(h.deliveries.length).toBeGreaterThan(2);
      for (const batch of h.deliveries) {
        expect(batch.reduce((n, m) => n + JSON.stringify(m).length, 0)).toBeLessThanOrEqual(MAX_DELIVERY_CHARS + 1024);
      }
      expect(ids(h)).toHaveLength(9);
    }));

  it("re-arms a fixed-delay schedule after each delivery and skips occurrences missed while late", () =>
    withStore(async (h) => {
      const recurrence: Recurrence = { delayMs: 60_000 };
      await h.store.schedule([entry("tick", T, { recurrence })]);
      await h.store.deliverDue(T);
      expect(h.store.get("tick")?.deadline).toBe(T + 60_000);
      expect(lastAlarm(h)).toBe(T + 60_000);
      await h.store.deliverDue(T + 60_010);
      expect(h.store.get("tick")?.deadline).toBe(T + 120_000);
      await h.store.deliverDue(T + 600_005); // ten minutes late: one delivery, then a delay from now
      expect(h.store.get("tick")?.deadline).toBe(T + 660_005);
      expect(h.deliveries.flat().map((m) => m.messageId)).toEqual([
        `msg-tick@${T}`, `msg-tick@${T + 60_000}`, `msg-tick@${T + 120_000}`,
      ]);
    }));

  it("re-arms a cron schedule at the next match in its time zone, across a DST change", () =>
    withStore(async (h) => {
      const recurrence: Recurrence = { cron: "0 9 * * *", timeZone: "Europe/Amsterdam" };
      await h.store.schedule([entry("daily", T, { recurrence })]);
      await h.store.deliverDue(T + 250);
      // 29 March 2026 is the first day of CEST: 09:00 local is 07:00 UTC.
      expect(h.store.get("daily")?.deadline).toBe(Date.UTC(2026, 2, 29, 7, 0, 0));
      await h.store.deliverDue(Date.UTC(2026, 2, 29, 7, 0, 0));
      expect(h.store.get("daily")?.deadline).toBe(Date.UTC(2026, 2, 30, 7, 0, 0));
      expect(h.store.get("daily")?.recurrence).toEqual(recurrence);
    }));

  it("lists pending schedules by deadline then id, page by page", () =>
    withStore(async (h) => {
      await h.store.schedule([entry("c", T + 2), entry("b", T + 1), entry("a", T + 1), entry("d", T)]);
      const first = h.store.list(null, 2);
      expect(first.map((s) => s.scheduleId)).toEqual(["d", "a"]);
      expect(first[0]).toEqual({ scheduleId: "d", deadline: T, type: "com.example.Ping", recurrence: null });
      const last = first[first.length - 1];
      expect(h.store.list({ deadline: last.deadline, scheduleId: last.scheduleId }, 10).map((s) => s.scheduleId)).toEqual(["b", "c"]);
    }));
});
