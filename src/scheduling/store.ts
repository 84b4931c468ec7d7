/**
 * The scheduling capability of one Scheduler object: owns the pending-schedules table (which is
 * also the wake-up table, indexed by due time), keeps the object's one alarm at the earliest due
 * time, and on each alarm delivers one bounded batch of due schedules.
 */
import { parseJson, stringifyJson } from "../protocol/json";
import type { SerializedMessage } from "../protocol/messages";
import { migrate } from "../storage/migrations";
import { nextOccurrence, type Recurrence } from "./recurrence";
import { type ListCursor, occurrenceOf, type PendingSchedule, type ScheduleEntry, type ScheduleSummary } from "./schedule";

/** Most schedules delivered by one alarm run (one deliver call). */
export const MAX_DELIVERY_BATCH = 1_000;

/** Most message characters delivered by one alarm run (one message always goes, whatever its size). */
export const MAX_DELIVERY_CHARS = 4 * 1024 * 1024;

/** Longest wait before retrying a failed delivery (the wait doubles per failure from 1 s). */
const MAX_RETRY_DELAY_MS = 60_000;

const MIGRATIONS = [
  // `version` is never reused (AUTOINCREMENT) and changes whenever a client writes the schedule,
  // so a delivery only settles the very row it delivered.
  `CREATE TABLE scheduling_pending (
    version INTEGER PRIMARY KEY AUTOINCREMENT,
    schedule_id TEXT NOT NULL UNIQUE,
    due INTEGER NOT NULL,
    message TEXT NOT NULL,
    recurrence TEXT
  )`,
  "CREATE INDEX scheduling_pending_by_due ON scheduling_pending (due, schedule_id)",
  // Deadlines <= 0 were once stored as given, and an alarm cannot be set to such a time: they are due now.
  "UPDATE scheduling_pending SET due = CAST(strftime('%s', 'now') AS INTEGER) * 1000 WHERE due <= 0",
];

/** What the capability needs from the object that hosts it. */
export interface SchedulerHost {
  readonly sql: SqlStorage;
  /** Sets the object's one alarm to `at` (epoch ms), or deletes it when null. */
  setAlarm(at: number | null): Promise<void>;
  /**
   * Durably appends messages to the SCHEDULE log, deduplicating by messageId, each at the index of
   * its deadline (epoch ms, one per message) unless the log is already past it.
   */
  deliver(messages: SerializedMessage[], deadlines: number[]): Promise<unknown>;
}

type Row = { version: number; schedule_id: string; due: number; message: string; recurrence: string | null };

function recurrenceOf(text: string | null): Recurrence | null {
  return text === null ? null : (JSON.parse(text) as Recurrence);
}

function pendingOf(row: Row): PendingSchedule {
  return {
    scheduleId: row.schedule_id,
    deadline: row.due,
    message: parseJson(row.message) as SerializedMessage,
    recurrence: recurrenceOf(row.recurrence),
  };
}

/** Pending schedules of one Scheduler object and their delivery. */
export class ScheduleStore {
  private readonly host: SchedulerHost;
  /** The alarm as last set by this instance; undefined when unknown (after start or an alarm). */
  private armedAt: number | null | undefined;
  /** While deliveries fail: no alarm before this time. */
  private retryAt: number | null = null;
  private failures = 0;

  /** Creates the tables on first use; call under `blockConcurrencyWhile`. */
  constructor(host: SchedulerHost) {
    this.host = host;
    migrate(host.sql, "scheduling", MIGRATIONS);
  }

  /**
   * Writes schedules in order: a schedule replaces (moves) a pending one with the same id, unless
   * it is `ifAbsent` and one was pending before this call. Returns, per entry, whether it was written.
   */
  async schedule(entries: readonly ScheduleEntry[]): Promise<boolean[]> {
    const written = entries.map((e) => !e.ifAbsent || !this.has(e.scheduleId));
    entries.forEach((e, i) => {
      if (!written[i]) return;
      this.host.sql.exec(
        "INSERT OR REPLACE INTO scheduling_pending (schedule_id, due, message, recurrence) VALUES (?, ?, ?, ?)",
        e.scheduleId, e.deadline, stringifyJson(e.message), e.recurrence && JSON.stringify(e.recurrence),
      );
    });
    await this.arm();
    return written;
  }

  /** Removes a pending schedule; returns whether there was one. */
  async cancel(scheduleId: string): Promise<boolean> {
    const removed = this.host.sql.exec("DELETE FROM scheduling_pending WHERE schedule_id = ?", scheduleId).rowsWritten > 0;
    if (removed) await this.arm();
    return removed;
  }

  private has(scheduleId: string): boolean {
    return this.host.sql.exec("SELECT 1 FROM scheduling_pending WHERE schedule_id = ?", scheduleId).toArray().length > 0;
  }

  /** The pending schedule with this id, or null. */
  get(scheduleId: string): PendingSchedule | null {
    const row = this.host.sql.exec<Row>("SELECT * FROM scheduling_pending WHERE schedule_id = ?", scheduleId).toArray()[0];
    return row ? pendingOf(row) : null;
  }

  /** Up to `limit` pending schedules after `after` (or from the first), by deadline then id. */
  list(after: ListCursor | null, limit: number): ScheduleSummary[] {
    const from = after ?? { deadline: Number.MIN_SAFE_INTEGER, scheduleId: "" };
    return this.host.sql
      .exec<{ schedule_id: string; due: number; type: string | null; recurrence: string | null }>(
        `SELECT schedule_id, due, json_extract(message, '$.data.type') AS type, recurrence FROM scheduling_pending
         WHERE (due, schedule_id) > (?, ?) ORDER BY due, schedule_id LIMIT ?`,
        from.deadline, from.scheduleId, limit,
      )
      .toArray()
      .map((r) => ({
        scheduleId: r.schedule_id,
        deadline: r.due,
        type: r.type,
        recurrence: recurrenceOf(r.recurrence),
      }));
  }

  /**
   * The alarm: delivers up to one bounded batch of the schedules due at `now` in one `deliver`
   * call, then removes them (or re-arms recurring ones), then sets the alarm again, immediately if
   * more are due. A failed delivery keeps everything pending and retries with backoff.
   * Returns how many schedules were delivered.
   */
  async deliverDue(now: number): Promise<number> {
    this.armedAt = undefined;
    const batch = this.dueBatch(now);
    if (batch.length > 0) {
      try {
        await this.host.deliver(batch.map((row) => occurrenceOf(pendingOf(row))), batch.map((row) => row.due));
      } catch (e) {
        this.failures++;
        this.retryAt = now + Math.min(1_000 * 2 ** (this.failures - 1), MAX_RETRY_DELAY_MS);
        console.error(`scheduling: delivering ${batch.length} schedules failed (attempt ${this.failures})`, e);
        await this.arm();
        return 0;
      }
      this.failures = 0;
      this.retryAt = null;
      this.settle(batch, now);
    }
    await this.arm();
    return batch.length;
  }

  /** The oldest due rows, bounded by count and by message size; uses the due-time index. */
  private dueBatch(now: number): Row[] {
    const batch: Row[] = [];
    let chars = 0;
    const rows = this.host.sql.exec<Row>(
      "SELECT * FROM scheduling_pending WHERE due <= ? ORDER BY due, schedule_id LIMIT ?", now, MAX_DELIVERY_BATCH,
    );
    for (const row of rows) {
      if (batch.length > 0 && chars + row.message.length > MAX_DELIVERY_CHARS) break;
      chars += row.message.length;
      batch.push(row);
    }
    return batch;
  }

  /**
   * After delivery: removes each delivered row, or moves a recurring one to its next occurrence.
   * Rows a client rewrote or cancelled while the delivery was in flight have a new version (or are
   * gone) and are left alone.
   */
  private settle(batch: readonly Row[], now: number): void {
    for (const row of batch) {
      const recurrence = recurrenceOf(row.recurrence);
      const next = recurrence && nextOccurrence(recurrence, row.due, now);
      if (next === null) this.host.sql.exec("DELETE FROM scheduling_pending WHERE version = ?", row.version);
      else this.host.sql.exec("UPDATE scheduling_pending SET due = ? WHERE version = ?", next, row.version);
    }
  }

  /** Points the alarm at the earliest due time (not before a pending retry); skips it if unchanged. */
  private async arm(): Promise<void> {
    const earliest = this.host.sql.exec<{ due: number | null }>("SELECT MIN(due) AS due FROM scheduling_pending").one().due;
    // A deadline at or before the epoch is simply overdue: the runtime refuses alarm times <= 0.
    const at = earliest === null ? null : Math.max(earliest, this.retryAt ?? earliest, 1);
    if (at === this.armedAt) return;
    await this.host.setAlarm(at);
    this.armedAt = at;
  }
}
