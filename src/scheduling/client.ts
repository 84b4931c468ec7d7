/**
 * How the Worker reaches a project's pending schedules: each scheduleId lives in one of
 * SCHEDULER_SHARDS Scheduler objects (by its Flux segment), and listings merge all shards.
 */
import { stubByName } from "../storage/object-stub";
import { segmentOf } from "../protocol/segment";
import { compareCursors, type ListCursor, type PendingSchedule, type ScheduleEntry, type ScheduleSummary } from "./schedule";

/** Scheduler objects per project. Changing it re-routes pending schedules: set it once. */
export const SCHEDULER_SHARDS = 16;

/** The shard that owns a scheduleId. */
export function schedulerShard(scheduleId: string): number {
  return segmentOf(scheduleId) % SCHEDULER_SHARDS;
}

/** The Scheduler object of one shard of a project. */
export function schedulerStub(env: Cloudflare.Env, projectId: string, shard: number) {
  return stubByName(env.SCHEDULER, `${projectId}/scheduler/${shard}`);
}

/** Writes schedules (one call per shard involved, in parallel); returns per entry whether it was written. */
export async function putSchedules(env: Cloudflare.Env, projectId: string, entries: readonly ScheduleEntry[]): Promise<boolean[]> {
  const byShard = new Map<number, number[]>();
  entries.forEach((e, i) => {
    const shard = schedulerShard(e.scheduleId);
    const indexes = byShard.get(shard) ?? [];
    if (indexes.length === 0) byShard.set(shard, indexes);
    indexes.push(i);
  });
  const written = new Array<boolean>(entries.length);
  await Promise.all([...byShard].map(async ([shard, indexes]) => {
    const result = await schedulerStub(env, projectId, shard).schedule(projectId, indexes.map((i) => entries[i]));
    indexes.forEach((entry, k) => (written[entry] = result[k]));
  }));
  return written;
}

/** Cancels a pending schedule; returns whether there was one. */
export async function cancelSchedule(env: Cloudflare.Env, projectId: string, scheduleId: string): Promise<boolean> {
  return schedulerStub(env, projectId, schedulerShard(scheduleId)).cancel(scheduleId);
}

/** The pending schedule with this id, or null. */
export async function getSchedule(env: Cloudflare.Env, projectId: string, scheduleId: string): Promise<PendingSchedule | null> {
  return schedulerStub(env, projectId, schedulerShard(scheduleId)).get(scheduleId);
}

/** Up to `limit` pending schedules of the project after `after`, by deadline then id, over all shards. */
export async function listSchedules(
  env: Cloudflare.Env,
  projectId: string,
  after: ListCursor | null,
  limit: number,
): Promise<ScheduleSummary[]> {
  const pages = await Promise.all(
    Array.from({ length: SCHEDULER_SHARDS }, (_, shard) => schedulerStub(env, projectId, shard).list(after, limit)),
  );
  return pages.flat().sort(compareCursors).slice(0, limit);
}
