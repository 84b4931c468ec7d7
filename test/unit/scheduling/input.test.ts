// Validation of schedule requests and recurrences: what is accepted, and the 400s for bad input.
import { describe, expect, it } from "vitest";
import { BadRequest, HubError } from "../../../src/errors";
import { parseFluxSchedules, parseHttpSchedule, parseScheduleId } from "../../../src/scheduling/input";
import { checkRecurrence, nextOccurrence } from "../../../src/scheduling/recurrence";

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const message = { data: { value: "e30=", type: "com.example.Ping" }, metadata: { user: "u1" }, messageId: "m1", timestamp: NOW - 5 };

function badRequest(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(BadRequest);
    return (e as BadRequest).message;
  }
  throw new Error("expected a BadRequest");
}

describe("parseFluxSchedules", () => {
  it("accepts Flux SerializedSchedules and stamps $scheduleId on the message", () => {
    const [entry] = parseFluxSchedules([{ scheduleId: "s1", timestamp: NOW + 1_000, message, ifAbsent: true }], NOW);
    expect(entry).toEqual({
      scheduleId: "s1",
      deadline: NOW + 1_000,
      message: { ...message, metadata: { user: "u1", $scheduleId: "s1" } },
      ifAbsent: true,
      recurrence: null,
    });
  });

  it("accepts a bigint deadline and fills in a missing message timestamp", () => {
    const [entry] = parseFluxSchedules([{ scheduleId: "s1", timestamp: BigInt(NOW), message: { data: { value: null } } }], NOW);
    expect(entry.deadline).toBe(NOW);
    expect(entry.message.timestamp).toBe(NOW);
  });

  it("takes a deadline of 0, below 0 or in the past as due now", () => {
    // 1e-400 is what a Java double underflow looks like on the wire: JSON parses it as 0.
    for (const timestamp of [0, -1, JSON.parse("1e-400"), -0, NOW - 60_000]) {
      expect(parseFluxSchedules([{ scheduleId: "s", timestamp, message }], NOW)[0].deadline).toBe(NOW);
    }
    expect(parseHttpSchedule({ scheduleId: "h", deadline: -1, message }, NOW).deadline).toBe(NOW);
    expect(parseFluxSchedules([{ scheduleId: "s", timestamp: NOW + 1, message }], NOW)[0].deadline).toBe(NOW + 1);
  });

  it("names the bad field", () => {
    expect(badRequest(() => parseFluxSchedules([{ timestamp: NOW, message }], NOW))).toBe("messages[0].scheduleId: is required");
    expect(badRequest(() => parseFluxSchedules([{ scheduleId: "", timestamp: NOW, message }], NOW))).toBe("messages[0].scheduleId: must not be empty");
    expect(badRequest(() => parseFluxSchedules([{ scheduleId: "s", timestamp: "soon", message }], NOW)))
      .toBe("messages[0].timestamp: must be a number (epoch milliseconds)");
    expect(badRequest(() => parseFluxSchedules([{ scheduleId: "s", timestamp: 1.5, message }], NOW)))
      .toBe("messages[0].timestamp: must be an integer number of epoch milliseconds up to 140737488355327");
    // The first deadline whose Flux index (deadline << 16) no longer fits a signed 64-bit long.
    expect(badRequest(() => parseFluxSchedules([{ scheduleId: "s", timestamp: 140737488355328, message }], NOW)))
      .toBe("messages[0].timestamp: must be an integer number of epoch milliseconds up to 140737488355327");
    expect(badRequest(() => parseFluxSchedules([{ scheduleId: "s", timestamp: NOW, message: { data: 3 } }], NOW)))
      .toBe("messages[0].message.data: must be an object");
    expect(badRequest(() => parseFluxSchedules("nope", NOW))).toBe("messages: must be an array");
  });
});

describe("parseHttpSchedule", () => {
  it("takes the deadline from `deadline` and an optional recurrence", () => {
    const entry = parseHttpSchedule({ scheduleId: "h1", deadline: NOW, message, recurrence: { cron: "*/5 * * * *" } }, NOW);
    expect(entry.deadline).toBe(NOW);
    expect(entry.recurrence).toEqual({ cron: "*/5 * * * *", timeZone: "UTC" });
    expect(entry.ifAbsent).toBe(false);
  });

  it("rejects bad input with clear 400s", () => {
    const base = { scheduleId: "h1", deadline: NOW, message };
    expect(badRequest(() => parseHttpSchedule({ ...base, scheduleId: undefined }, NOW))).toBe("scheduleId: is required");
    expect(badRequest(() => parseHttpSchedule({ ...base, deadline: "tomorrow" }, NOW))).toBe("deadline: must be a number (epoch milliseconds)");
    expect(badRequest(() => parseHttpSchedule({ ...base, deadline: undefined }, NOW))).toBe("deadline: is required");
    expect(badRequest(() => parseHttpSchedule({ ...base, message: undefined }, NOW))).toBe("message: must be an object");
    expect(badRequest(() => parseHttpSchedule({ ...base, recurrence: { cron: "61 * * * *" } }, NOW))).toMatch(/^invalid cron expression '61 \* \* \* \*'/);
    expect(badRequest(() => parseHttpSchedule({ ...base, recurrence: { cron: "0 9 * * *", timeZone: "Mars/Olympus" } }, NOW)))
      .toBe("unknown time zone: Mars/Olympus");
    expect(badRequest(() => parseHttpSchedule({ ...base, recurrence: { cron: "0 0 30 2 *" } }, NOW))).toBe("cron expression '0 0 30 2 *' never matches");
    expect(badRequest(() => parseHttpSchedule({ ...base, recurrence: { delayMs: 10 } }, NOW))).toBe("recurrence.delayMs must be an integer of at least 1000");
    expect(badRequest(() => parseHttpSchedule({ ...base, recurrence: { delayMs: 5_000, cron: "* * * * *" } }, NOW)))
      .toBe("recurrence: must be either {delayMs} or {cron, timeZone}");
    expect(badRequest(() => parseHttpSchedule({ ...base, recurrence: "hourly" }, NOW))).toBe("recurrence: must be an object {delayMs} or {cron, timeZone}");
    expect(badRequest(() => parseHttpSchedule([], NOW))).toBe("body: must be an object");
  });

  it("rejects a message over the size limit as payload_too_large", () => {
    const huge = { ...message, data: { value: "A".repeat(1024 * 1024 + 4) } };
    try {
      parseHttpSchedule({ scheduleId: "h1", deadline: NOW, message: huge }, NOW);
      throw new Error("expected an error");
    } catch (e) {
      expect((e as HubError).code).toBe("payload_too_large");
    }
  });
});

describe("parseScheduleId", () => {
  it("checks ids from requests", () => {
    expect(parseScheduleId("x")).toBe("x");
    expect(badRequest(() => parseScheduleId(undefined))).toBe("scheduleId: is required");
    expect(badRequest(() => parseScheduleId(5))).toBe("scheduleId: must be a string");
  });
});

describe("recurrence", () => {
  it("computes the next cron match in the schedule's time zone", () => {
    const weekdays9 = { cron: "0 9 * * 1-5", timeZone: "America/New_York" };
    checkRecurrence(weekdays9, NOW);
    // Friday 27 Nov 2026, 12:00 UTC = 07:00 in New York: next is 09:00 EST the same day.
    expect(nextOccurrence(weekdays9, NOW - 1, NOW)).toBe(Date.UTC(2026, 10, 27, 14, 0, 0));
    // From that occurrence, the next is Monday.
    expect(nextOccurrence(weekdays9, Date.UTC(2026, 10, 27, 14, 0, 0), Date.UTC(2026, 10, 27, 14, 0, 0))).toBe(Date.UTC(2026, 10, 30, 14, 0, 0));
  });

  it("supports a seconds field", () => {
    expect(nextOccurrence({ cron: "*/10 * * * * *", timeZone: "UTC" }, NOW, NOW)).toBe(NOW + 10_000);
  });

  it("returns null when a cron expression has no more matches", () => {
    expect(nextOccurrence({ cron: "0 0 0 1 1 * 2026", timeZone: "UTC" }, NOW, NOW)).toBeNull();
  });

  it("keeps a fixed delay's cadence unless late", () => {
    expect(nextOccurrence({ delayMs: 1_000 }, NOW, NOW + 10)).toBe(NOW + 1_000);
    expect(nextOccurrence({ delayMs: 1_000 }, NOW, NOW + 5_000)).toBe(NOW + 6_000);
  });
});
