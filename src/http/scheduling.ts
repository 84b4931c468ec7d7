/**
 * HTTP access to a project's schedules (mounted under `/api/projects/:projectId/schedules`):
 * create, read, list by due time across all Scheduler shards, and cancel.
 */
import { Hono } from "hono";
import { z } from "zod";
import { NotFound } from "../errors";
import { stringifyJson } from "../protocol/json";
import { cancelSchedule, getSchedule, listSchedules, putSchedules } from "../scheduling/client";
import { parseHttpSchedule, parseScheduleId } from "../scheduling/input";
import type { ListCursor } from "../scheduling/schedule";
import { jsonBody, parseWith, projectParam } from "./validation";

/** Most schedules per listing page. */
const MAX_LIST_LIMIT = 500;

/**
 * `after` is either a `next` cursor from a previous page (`<deadline>:<scheduleId>`) or a bare
 * deadline in epoch ms (lists schedules due strictly after it).
 */
const listQuery = z.object({
  after: z
    .string()
    .regex(/^-?\d{1,16}(:.+)?$/s, "must be a deadline in epoch ms or a cursor from `next`")
    .transform((after): ListCursor => {
      const colon = after.indexOf(":");
      return colon < 0
        ? { deadline: Number(after) + 1, scheduleId: "" }
        : { deadline: Number(after.slice(0, colon)), scheduleId: after.slice(colon + 1) };
    })
    .optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(100),
});

function json(value: unknown, status: 200 | 201 = 200): Response {
  return new Response(stringifyJson(value), { status, headers: { "content-type": "application/json" } });
}

/** Routes under `/api/projects/:projectId/schedules`. */
export const schedulingRoutes = new Hono<{ Bindings: Cloudflare.Env }>()
  .post("/", async (c) => {
    const projectId = projectParam(c);
    const entry = parseHttpSchedule(await jsonBody(c, z.unknown()), Date.now());
    const [written] = await putSchedules(c.env, projectId, [entry]);
    return json({ scheduleId: entry.scheduleId, written }, written ? 201 : 200);
  })
  .get("/", async (c) => {
    const projectId = projectParam(c);
    const q = parseWith(listQuery, c.req.query(), "query");
    const schedules = await listSchedules(c.env, projectId, q.after ?? null, q.limit);
    const last = schedules.length === q.limit ? schedules[schedules.length - 1] : null;
    return json({ schedules, next: last && `${last.deadline}:${last.scheduleId}` });
  })
  .get("/:id", async (c) => {
    const scheduleId = parseScheduleId(c.req.param("id"), "id");
    const schedule = await getSchedule(c.env, projectParam(c), scheduleId);
    if (!schedule) throw new NotFound(`no pending schedule "${scheduleId}"`);
    return json(schedule);
  })
  .delete("/:id", async (c) => {
    const scheduleId = parseScheduleId(c.req.param("id"), "id");
    if (!(await cancelSchedule(c.env, projectParam(c), scheduleId))) throw new NotFound(`no pending schedule "${scheduleId}"`);
    return c.body(null, 204);
  });
