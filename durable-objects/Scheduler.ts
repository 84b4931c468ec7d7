/**
 * Scheduler: one shard of a project's pending schedules (`${projectId}/scheduler/${shard}`). Its
 * one alarm delivers due schedules to the project's SCHEDULE log, each at its deadline's index
 * (`deadline << 16`). RPC methods and the alarm only delegate to ScheduleStore.
 */
import { DurableObject } from "cloudflare:workers";
import { minIndexFromMillis } from "../src/log/index-clock";
import { appendToLog } from "../src/log/log-client";
import type { ListCursor, PendingSchedule, ScheduleEntry, ScheduleSummary } from "../src/scheduling/schedule";
import { ScheduleStore } from "../src/scheduling/store";

const PROJECT_KEY = "projectId";

/** A Scheduler shard: pending schedules of one project, delivered by its one alarm. */
export class Scheduler extends DurableObject<Cloudflare.Env> {
  private schedules!: ScheduleStore;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.schedules = new ScheduleStore({
        sql: ctx.storage.sql,
        setAlarm: (at) => (at === null ? ctx.storage.deleteAlarm() : ctx.storage.setAlarm(at)),
        deliver: (messages, deadlines) =>
          appendToLog(env, { projectId: this.projectId(), type: "SCHEDULE", topic: null }, messages, deadlines.map(minIndexFromMillis)),
      });
    });
  }

  /** Writes schedules of `projectId` (Flux Schedule); returns per entry whether it was written. */
  async schedule(projectId: string, entries: ScheduleEntry[]): Promise<boolean[]> {
    if (this.ctx.storage.kv.get(PROJECT_KEY) !== projectId) this.ctx.storage.kv.put(PROJECT_KEY, projectId);
    return this.schedules.schedule(entries);
  }

  /** Cancels a pending schedule; returns whether there was one. */
  async cancel(scheduleId: string): Promise<boolean> {
    return this.schedules.cancel(scheduleId);
  }

  /** The pending schedule with this id, or null. */
  async get(scheduleId: string): Promise<PendingSchedule | null> {
    return this.schedules.get(scheduleId);
  }

  /** Up to `limit` pending schedules after `after`, by deadline then id. */
  async list(after: ListCursor | null, limit: number): Promise<ScheduleSummary[]> {
    return this.schedules.list(after, limit);
  }

  /** Delivers one bounded batch of due schedules and re-arms. */
  override async alarm(): Promise<void> {
    await this.schedules.deliverDue(Date.now());
  }

  /** The project this shard serves, remembered from its first schedule. */
  private projectId(): string {
    const projectId = this.ctx.storage.kv.get<string>(PROJECT_KEY);
    if (projectId === undefined) throw new Error("Scheduler has no project yet");
    return projectId;
  }
}
