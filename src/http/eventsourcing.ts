/**
 * HTTP access to aggregate event streams, mounted under `/api/projects/:projectId/aggregates`:
 * `GET /:aggregateId/events?after=&limit=` pages through a stream, `POST /:aggregateId/events`
 * appends `{events, expectedSequenceNumber?, storeOnly?}`; a stale expected sequence number is a
 * 409 naming the actual one.
 */
import { Hono } from "hono";
import { z } from "zod";
import { appendEvents, getEvents } from "../eventsourcing/aggregate-client";
import { MAX_EVENTS_PER_READ, check, idSchema, parseEventBatch } from "../eventsourcing/validation";
import { rawMessages } from "../protocol/frames";
import { stringifyJson } from "../protocol/json";
import type { HubEnv } from "./app";
import { jsonBody, projectParam } from "./validation";

const readQuery = z.object({
  after: z.coerce.number().int().min(-1, "must be -1 or more").default(-1),
  limit: z.coerce.number().int().min(1).max(MAX_EVENTS_PER_READ).default(1000),
});

const appendBody = z.object({ events: z.array(z.unknown()).min(1) }).loose();

/** Routes under `/api/projects/:projectId/aggregates`. */
export const eventSourcingRoutes = new Hono<HubEnv>()
  .get("/:aggregateId/events", async (c) => {
    const aggregateId = check(idSchema, c.req.param("aggregateId"), "aggregateId");
    const q = check(readQuery, c.req.query(), "query");
    const page = await getEvents(c.env, projectParam(c), aggregateId, q.after, q.limit);
    const body = stringifyJson({ aggregateId, events: rawMessages(page.events), lastSequenceNumber: page.lastSequenceNumber });
    return c.body(body, 200, { "content-type": "application/json" });
  })
  .post("/:aggregateId/events", async (c) => {
    const aggregateId = check(idSchema, c.req.param("aggregateId"), "aggregateId");
    const projectId = projectParam(c);
    const batch = parseEventBatch({ ...(await jsonBody(c, appendBody)), aggregateId }, "body");
    const [range] = await appendEvents(c.env, projectId, [batch]);
    return c.json(range, 201);
  });
