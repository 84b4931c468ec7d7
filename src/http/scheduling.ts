/**
 * HTTP access to a project's schedules (mounted under `/api/projects/:projectId/schedules`):
 * create, read, list by due time across all Scheduler shards, and cancel.
 */
import { Hono } from "hono";
import { z } from "zod";
import { NotFound } from "../errors";
import { stringifyJson } from "../protocol/json";
import { cancelSchedule, getSchedule, listSchedules, putSchedules } from "../scheduling/client";
import { httpScheduleSchema, parseHttpSchedule, scheduleIdSchema } from "../scheduling/input";
import type { ListCursor } from "../scheduling/schedule";
import { doc, params, query } from "./openapi";
import { jsonBody, projectParam } from "./validation";

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

const scheduleParams = z.object({ id: scheduleIdSchema });

function json(value: unknown, status: 200 | 201 = 200): Response {
  return new Response(stringifyJson(value), { status, headers: { "content-type": "application/json" } });
}

/** Routes under `/api/projects/:projectId/schedules`. */
export const schedulingRoutes = new Hono<{ Bindings: Cloudflare.Env }>()
  .post(
    "/",
    doc({
      summary: "Schedule a message",
      tag: "schedules",
      body: httpScheduleSchema,
      example: {
        scheduleId: "reminder-1",
        deadline: 4102444800000,
        message: { data: { value: "e30=", type: "Reminder", revision: 0 }, metadata: {} },
      },
      ok: { status: 201, description: "scheduled (200 when ifAbsent kept an existing one)" },
    }),
    async (c) => {
      const projectId = projectParam(c);
      const entry = parseHttpSchedule(await jsonBody(c, z.unknown()), Date.now());
      const [written] = await putSchedules(c.env, projectId, [entry]);
      return json({ scheduleId: entry.scheduleId, written }, written ? 201 : 200);
    },
  )
  .get("/", doc({ summary: "Pending schedules by due time", tag: "schedules" }), query(listQuery), async (c) => {
    const projectId = projectParam(c);
    const q = c.req.valid("query");
    const schedules = await listSchedules(c.env, projectId, q.after ?? null, q.limit);
    const last = schedules.length === q.limit ? schedules[schedules.length - 1] : null;
    return json({ schedules, next: last && `${last.deadline}:${last.scheduleId}` });
  })
  .get("/:id", doc({ summary: "One pending schedule", tag: "schedules" }), params(scheduleParams), async (c) => {
    const scheduleId = c.req.valid("param").id;
    const schedule = await getSchedule(c.env, projectParam(c), scheduleId);
    if (!schedule) throw new NotFound(`no pending schedule "${scheduleId}"`);
    return json(schedule);
  })
  .delete(
    "/:id",
    doc({ summary: "Cancel a schedule", tag: "schedules", ok: { status: 204, description: "cancelled" } }),
    params(scheduleParams),
    async (c) => {
      const scheduleId = c.req.valid("param").id;
      if (!(await cancelSchedule(c.env, projectParam(c), scheduleId))) throw new NotFound(`no pending schedule "${scheduleId}"`);
      return c.body(null, 204);
    },
  );
