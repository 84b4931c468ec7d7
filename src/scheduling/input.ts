/**
 * Turns schedule requests (Flux `Schedule` items and HTTP bodies) into validated ScheduleEntries.
 * Messages are checked here exactly as the SCHEDULE log checks them, so a message accepted now can
 * never fail its delivery later.
 */
import { z } from "zod";
import { PayloadTooLarge } from "../errors";
import { checkMessage, messageShape } from "../protocol/message-check";
import { checkedElsewhere } from "../protocol/schema-doc";
import { stringifyJson } from "../protocol/json";
import { parseWith } from "../validation";
import { checkRecurrence, type Recurrence } from "./recurrence";
import { SCHEDULE_ID_METADATA, type ScheduleEntry } from "./schedule";

/** Most schedules in one Flux `Schedule` request. */
const MAX_SCHEDULES_PER_REQUEST = 10_000;

/** Longest scheduleId. */
const MAX_SCHEDULE_ID_LENGTH = 1_024;

/** Largest scheduled message, as JSON characters (a SQLite row holds at most 2 MB). */
const MAX_MESSAGE_CHARS = 1024 * 1024;

/** Latest deadline: the last millisecond whose Flux index (`deadline << 16`) fits a signed 64-bit long. */
const MAX_DEADLINE = Number((2n ** 63n - 1n) >> 16n);

const mustBe = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : `must be ${what}`);

/** A scheduleId: a non-empty string of bounded length. */
export const scheduleIdSchema = z
  .string({ error: mustBe("a string") })
  .min(1, "must not be empty")
  .max(MAX_SCHEDULE_ID_LENGTH, `must be at most ${MAX_SCHEDULE_ID_LENGTH} characters`);

const deadlineSchema = z
  .union([z.number(), z.bigint()], { error: mustBe("a number (epoch milliseconds)") })
  .transform(Number)
  .refine((ms) => Number.isSafeInteger(ms) && ms <= MAX_DEADLINE, `must be an integer number of epoch milliseconds up to ${MAX_DEADLINE}`)
  // The refinement in the document's words (a bigint, which Flux's JSON may hold, has no JSON Schema).
  .meta({ type: "integer", minimum: Number.MIN_SAFE_INTEGER, maximum: MAX_DEADLINE });

const recurrenceSchema = z
  .strictObject({
    delayMs: z.number({ error: mustBe("a number") }).optional(),
    cron: z.string({ error: mustBe("a string") }).optional(),
    timeZone: z.string({ error: mustBe("a string") }).optional(),
  }, { error: mustBe("an object {delayMs} or {cron, timeZone}") })
  .transform((r, ctx): Recurrence => {
    if (r.cron !== undefined && r.delayMs === undefined) return { cron: r.cron, timeZone: r.timeZone ?? "UTC" };
    if (r.delayMs !== undefined && r.cron === undefined && r.timeZone === undefined) return { delayMs: r.delayMs };
    ctx.addIssue({ code: "custom", message: "must be either {delayMs} or {cron, timeZone}" });
    return z.NEVER;
  });

const common = {
  scheduleId: scheduleIdSchema,
  // Checked by checkMessage, as every message the logs take.
  message: checkedElsewhere(messageShape, "the Flux SerializedMessage to deliver").optional(),
  ifAbsent: z.boolean({ error: mustBe("a boolean") }).nullish(),
  recurrence: recurrenceSchema.nullish(),
};

/** Flux `SerializedSchedule` (deadline in `timestamp`) plus the optional recurrence. */
const fluxScheduleSchema = z.object({ ...common, timestamp: deadlineSchema }, { error: mustBe("an object") });

/** The HTTP API's schedule body (deadline in `deadline`). */
export const httpScheduleSchema = z
  .object({ ...common, deadline: deadlineSchema }, { error: mustBe("an object") })
  // checkMessage requires the message.
  .meta({ required: ["scheduleId", "deadline", "message"] });

const fluxSchedulesSchema = z
  .array(fluxScheduleSchema, { error: mustBe("an array") })
  .max(MAX_SCHEDULES_PER_REQUEST, `must hold at most ${MAX_SCHEDULES_PER_REQUEST} schedules`);

/**
 * Checks the message and recurrence of parsed fields and builds the entry. A deadline before `now`
 * (0 and negative ones too) means due now and is stored as `now`, as Flux's schedule store gives
 * it the index of now: its delivered index and GetSchedule's timestamp say when it became due.
 */
function toEntry(fields: z.infer<typeof httpScheduleSchema>, where: string, now: number): ScheduleEntry {
  const messagePath = where ? `${where}.message` : "message";
  checkMessage(fields.message, messagePath);
  if (fields.recurrence) checkRecurrence(fields.recurrence, now);
  const original = fields.message;
  const message = {
    ...original,
    metadata: { ...original.metadata, [SCHEDULE_ID_METADATA]: fields.scheduleId },
    timestamp: original.timestamp ?? now,
  };
  if (stringifyJson(message).length > MAX_MESSAGE_CHARS) {
    throw new PayloadTooLarge(`${messagePath} exceeds ${MAX_MESSAGE_CHARS} characters`);
  }
  return {
    scheduleId: fields.scheduleId,
    deadline: Math.max(fields.deadline, now),
    message,
    ifAbsent: fields.ifAbsent ?? false,
    recurrence: fields.recurrence ?? null,
  };
}

/** The entries of a Flux `Schedule` request's `messages`; throws BadRequest naming the bad field. */
export function parseFluxSchedules(messages: unknown, now: number): ScheduleEntry[] {
  return parseWith(fluxSchedulesSchema, messages, "messages").map(({ timestamp, ...fields }, i) =>
    toEntry({ ...fields, deadline: timestamp }, `messages[${i}]`, now),
  );
}

/** The entry of an HTTP create body; throws BadRequest naming the bad field. */
export function parseHttpSchedule(body: unknown, now: number): ScheduleEntry {
  return toEntry(parseWith(httpScheduleSchema, body, ""), "", now);
}

/** A scheduleId from a request field or URL; throws BadRequest when missing or malformed. */
export function parseScheduleId(value: unknown, where = "scheduleId"): string {
  return parseWith(scheduleIdSchema, value, where);
}
