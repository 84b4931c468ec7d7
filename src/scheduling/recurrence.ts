/**
 * Server-side recurrence, an extension to Flux (whose periodic schedules are client-side): a
 * schedule with a recurrence re-arms itself after each delivery, either a fixed delay later or at
 * the next time a cron expression matches in a time zone (parsed by croner).
 */
import { Cron } from "croner";
import { BadRequest } from "../errors";

/** The shortest fixed delay, and so the fastest a schedule may recur. */
const MIN_DELAY_MS = 1_000;

/** Re-arm `delayMs` after each occurrence. */
export interface FixedDelay {
  delayMs: number;
}

/** Re-arm at the next time `cron` (5 fields, or 6 with seconds first) matches in `timeZone`. */
export interface CronRecurrence {
  cron: string;
  /** IANA time zone name, e.g. `Europe/Amsterdam`. */
  timeZone: string;
}

/** How a schedule repeats. */
export type Recurrence = FixedDelay | CronRecurrence;

function cronOf(r: CronRecurrence): Cron {
  return new Cron(r.cron, { timezone: r.timeZone, paused: true });
}

/**
 * Throws BadRequest unless `r` can recur: a delay of at least MIN_DELAY_MS, or a valid cron
 * expression in a known time zone that matches at least once after `now`.
 */
export function checkRecurrence(r: Recurrence, now: number): void {
  if ("delayMs" in r) {
    if (!Number.isSafeInteger(r.delayMs) || r.delayMs < MIN_DELAY_MS) {
      throw new BadRequest(`recurrence.delayMs must be an integer of at least ${MIN_DELAY_MS}`);
    }
    return;
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: r.timeZone });
  } catch {
    throw new BadRequest(`unknown time zone: ${r.timeZone}`);
  }
  let cron: Cron;
  try {
    cron = cronOf(r);
  } catch (e) {
    throw new BadRequest(`invalid cron expression '${r.cron}': ${(e as Error).message}`);
  }
  if (cron.nextRun(new Date(now)) === null) throw new BadRequest(`cron expression '${r.cron}' never matches`);
}

/**
 * The due time of the occurrence after one due at `due` that was delivered at `now`, or null when a
 * cron expression has no more matches. Occurrences missed while the hub was late are not replayed:
 * the next one is always after `now`.
 */
export function nextOccurrence(r: Recurrence, due: number, now: number): number | null {
  if ("delayMs" in r) {
    const next = due + r.delayMs;
    return next > now ? next : now + r.delayMs;
  }
  return cronOf(r).nextRun(new Date(Math.max(due, now)))?.getTime() ?? null;
}
