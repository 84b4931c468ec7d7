/**
 * HTTP access to the audit trail, mounted under `/api/projects/:projectId/audit`: search the keys
 * of every message appended to the project's logs, read a hit's full message, and see how far the
 * feed from the partitions is behind.
 */
import { Hono } from "hono";
import { z } from "zod";
import { readAuditedMessage } from "../audit/audited-message";
import { searchAudit } from "../audit/audit-query";
import { projectLag } from "../audit/lag";
import { stringifyJson } from "../protocol/json";
import type { HubEnv } from "./hub-env";
import { doc, params, query } from "./openapi";
import { logTypeSchema, nameSchema, projectParam } from "./validation";

/** Most hits per page. */
export const MAX_AUDIT_PAGE = 1000;

// Epoch milliseconds or an ISO 8601 time (a date, or a date and time with an optional zone).
const instant = z
  .string()
  .regex(
    /^(\d{1,15}|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?)$/,
    "an epoch millisecond or ISO 8601 time",
  )
  .transform((text, ctx): number => {
    const millis = /^\d{1,15}$/.test(text) ? Number(text) : Date.parse(text);
    if (Number.isNaN(millis)) {
      ctx.addIssue({ code: "custom", message: "an epoch millisecond or ISO 8601 time" });
      return z.NEVER;
    }
    return millis;
  });

const key = z.string().min(1).max(500);

const searchQuery = z.object({
  type: logTypeSchema.optional(),
  topic: nameSchema.optional(),
  since: instant.optional(),
  until: instant.optional(),
  messageId: key.optional(),
  correlationId: key.optional(),
  traceId: key.optional(),
  payloadType: key.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(100),
  // Opaque: only a `next` this API returned is a cursor, which no schema can say.
  cursor: z
    .string()
    .min(1)
    .max(2000)
    .regex(/^[A-Za-z0-9_-]+$/, "a cursor this API returned")
    .meta({ "x-opaque": true })
    .optional(),
});

const messageQuery = z.object({
  topic: nameSchema.optional(),
  partition: z.coerce.number().int().min(0).max(127).optional(),
});
const messageParams = z.object({ type: logTypeSchema, index: z.string().regex(/^\d{1,19}$/, "an index") });

/** Routes under `/api/projects/:projectId/audit`. */
export const auditRoutes = new Hono<HubEnv>()
  .get("/messages", doc({ summary: "Search the audit trail", tag: "audit" }), query(searchQuery), async (c) => {
    return c.json(await searchAudit(c.env.DB, projectParam(c), c.req.valid("query")));
  })
  .get(
    "/messages/:type/:index",
    doc({ summary: "An audited message in full", tag: "audit" }),
    params(messageParams),
    query(messageQuery),
    async (c) => {
      const { type, index } = c.req.valid("param");
      const { topic, partition } = c.req.valid("query");
      const found = await readAuditedMessage(c.env, projectParam(c), {
        type,
        topic: topic ?? null,
        index: BigInt(index),
        partition,
      });
      // The stored message carries its index as a JSON number beyond 2^53: embedded as it is.
      return c.body(stringifyJson(found), 200, { "content-type": "application/json" });
    },
  )
  .get("/lag", doc({ summary: "How far the audit feed is behind", tag: "audit" }), async (c) =>
    c.json(await projectLag(c.env, projectParam(c))),
  );
