/**
 * Thin wrappers over the `/scheduling` endpoint: schedule a message for later (optionally
 * recurring, a hub extension), cancel it, look it up. Due messages appear on the SCHEDULE log,
 * which a `consume({ messageType: "SCHEDULE" })` consumer handles like any other log.
 */
import type { SerializedMessage } from "../protocol/messages";
import type { WireResult } from "./codec";
import type { Endpoints } from "./endpoints";
import { FluxError } from "./errors";
import { FluxMessage, type MessageOptions, serialize } from "./messages";

/**
 * How a schedule repeats on the hub: `delayMs` after each deadline (at least 1 000), or at each
 * match of a 5- or 6-field `cron` expression in an IANA `timeZone` (default UTC).
 */
export type Recurrence = { delayMs: number } | { cron: string; timeZone?: string };

/** Options of {@link FluxClient.schedule}. */
export interface ScheduleOptions extends MessageOptions {
  /** The schedule's id: scheduling the same id again moves (replaces) the pending schedule. */
  scheduleId: string;
  /** When the message is due: a Date or epoch ms (a past time is due at once). */
  at: Date | number;
  /** Keep a pending schedule with this id instead of replacing it (default false). */
  ifAbsent?: boolean;
  /** Repeat on the hub after each delivery, under the same id. */
  recurrence?: Recurrence;
}

/** A pending schedule, from {@link FluxClient.getSchedule}. */
export interface Schedule<T = unknown> {
  scheduleId: string;
  /** When the message is due (epoch ms). */
  at: number;
  /** The message that will appear on the SCHEDULE log. */
  message: FluxMessage<T>;
  /** The recurrence, for schedules that repeat on the hub. */
  recurrence: Recurrence | null;
}

interface GetScheduleResult extends WireResult {
  schedule: { scheduleId: string; timestamp: number; message: SerializedMessage; recurrence?: Recurrence } | null;
}

/** Schedules `item` (a payload or `message(...)`); resolves once the hub stored the schedule. */
export async function schedule(endpoints: Endpoints, item: unknown, options: ScheduleOptions): Promise<void> {
  const { scheduleId, at, ifAbsent = false, recurrence, ...defaults } = options;
  if (!scheduleId) throw new FluxError("invalid_argument", "scheduleId is required");
  const timestamp = at instanceof Date ? at.getTime() : at;
  if (!Number.isFinite(timestamp)) throw new FluxError("invalid_argument", "at must be a Date or epoch milliseconds");
  const entry = { scheduleId, timestamp: Math.round(timestamp), message: serialize(item, defaults), ifAbsent, ...(recurrence ? { recurrence } : {}) };
  await endpoints.connection("scheduling").request({ "@type": "schedule", messages: [entry], guarantee: "STORED" });
}

/** Cancels the pending schedule `scheduleId` (a no-op when there is none). */
export async function cancelSchedule(endpoints: Endpoints, scheduleId: string): Promise<void> {
  await endpoints.connection("scheduling").request({ "@type": "cancelSchedule", scheduleId, guarantee: "STORED" });
}

/** The pending schedule `scheduleId`, or null when nothing is pending under it. */
export async function getSchedule<T>(endpoints: Endpoints, scheduleId: string): Promise<Schedule<T> | null> {
  const { schedule: s } = await endpoints.connection("scheduling").request<GetScheduleResult>({ "@type": "getSchedule", scheduleId });
  if (!s) return null;
  return { scheduleId: s.scheduleId, at: Number(s.timestamp), message: new FluxMessage<T>(s.message, "SCHEDULE"), recurrence: s.recurrence ?? null };
}
