/**
 * The Flux `/scheduling` endpoint: Schedule, CancelSchedule and GetSchedule, answered from the
 * project's Scheduler shards.
 */
import { type Endpoint, type FluxResult, VOID } from "../protocol/endpoint";
import { cancelSchedule, getSchedule, putSchedules } from "./client";
import { parseFluxSchedules, parseScheduleId } from "./input";
import type { PendingSchedule } from "./schedule";

/**
 * Flux `SerializedSchedule{scheduleId, timestamp, message, ifAbsent}` of a pending schedule
 * (`ifAbsent` is false, as in Flux); `recurrence` only for server-side recurring ones.
 */
function serializedSchedule(s: PendingSchedule): Record<string, unknown> {
  return {
    scheduleId: s.scheduleId,
    timestamp: s.deadline,
    message: s.message,
    ifAbsent: false,
    ...(s.recurrence ? { recurrence: s.recurrence } : {}),
  };
}

/** Handlers of the `/scheduling` endpoint. */
export const schedulingEndpoint: Endpoint = {
  async schedule(request, session, env): Promise<FluxResult> {
    await putSchedules(env, session.projectId, parseFluxSchedules(request.messages, Date.now()));
    return VOID;
  },

  async cancelSchedule(request, session, env): Promise<FluxResult> {
    await cancelSchedule(env, session.projectId, parseScheduleId(request.scheduleId));
    return VOID;
  },

  async getSchedule(request, session, env): Promise<FluxResult> {
    const schedule = await getSchedule(env, session.projectId, parseScheduleId(request.scheduleId));
    return { "@type": "getScheduleResult", schedule: schedule && serializedSchedule(schedule) };
  },
};
