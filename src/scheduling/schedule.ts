/**
 * The schedule model shared by the endpoint, the HTTP API and the Scheduler objects, and the rule
 * for the message each occurrence of a schedule puts on the SCHEDULE log.
 */
import type { SerializedMessage } from "../protocol/messages";
import type { Recurrence } from "./recurrence";

/** Metadata key the Java client reads to re-schedule a periodic schedule under the same id. */
export const SCHEDULE_ID_METADATA = "$scheduleId";

/** A pending schedule: its message is appended to the SCHEDULE log at `deadline`. */
export interface PendingSchedule {
  scheduleId: string;
  /** Due time, epoch milliseconds. A past deadline is due now. */
  deadline: number;
  message: SerializedMessage;
  /** Server-side recurrence (an extension to Flux), or null for a one-off schedule. */
  recurrence: Recurrence | null;
}

/** A validated request to (re)schedule: Flux `SerializedSchedule` plus an optional recurrence. */
export interface ScheduleEntry extends PendingSchedule {
  /** Keep an existing pending schedule with the same id instead of replacing it. */
  ifAbsent: boolean;
}

/** A pending schedule in listings: everything but the message body. */
export interface ScheduleSummary {
  scheduleId: string;
  deadline: number;
  /** The message's `data.type`. */
  type: string | null;
  recurrence: Recurrence | null;
}

/** A position in the order listings use: by deadline, then by scheduleId. */
export interface ListCursor {
  deadline: number;
  scheduleId: string;
}

/**
 * The message appended for the occurrence of `schedule` due at its deadline. Its messageId is the
 * log's deduplication key, so a redelivery of the same occurrence (after a crash between append and
 * removal) is dropped while every new occurrence is stored:
 * - one-off: the client's own messageId (the Java client always sets a fresh one), else
 *   `${scheduleId}@${deadline}`;
 * - recurring: `${messageId ?? scheduleId}@${deadline}`, since the same message recurs.
 */
export function occurrenceOf(schedule: PendingSchedule): SerializedMessage {
  const { scheduleId, deadline, message, recurrence } = schedule;
  const own = message.messageId || null;
  const messageId = own && !recurrence ? own : `${own ?? scheduleId}@${deadline}`;
  return { ...message, messageId };
}

/** Orders strings by code point, as SQLite's BINARY collation orders UTF-8 text. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Compares two positions in listing order (deadline, then scheduleId). */
export function compareCursors(a: ListCursor, b: ListCursor): number {
  return a.deadline - b.deadline || compareCodePoints(a.scheduleId, b.scheduleId);
}
