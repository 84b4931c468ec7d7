/**
 * HTTP access to aggregate event streams, mounted under `/api/projects/:projectId/aggregates`:
 * `GET /:aggregateId/events?after=&limit=` pages through a stream, `POST /:aggregateId/events`
 * appends `{events, expectedSequenceNumber?, storeOnly?}`; a stale expected sequence number is a
 * 409 naming the actual one.
 */
import { Hono } from "hono";
import { z } from "zod";
import { appendEvents, getEvents } from "../eventsourcing/aggregate-client";
import { MAX_EVENTS_PER_READ, idSchema, parseEventBatch, sequenceNumberSchema } from "../eventsourcing/validation";
import { messageShape } from "../protocol/message-check";
import { checkedElsewhere } from "../protocol/schema-doc";
import { rawMessages } from "../protocol/frames";
import { stringifyJson } from "../protocol/json";
import type { HubEnv } from "./hub-env";
import { doc, params, query } from "./openapi";
import { jsonBody, projectParam } from "./validation";

const readQuery = z.object({
  after: z.coerce.number().int().min(-1, "must be -1 or more").default(-1),
  limit: z.coerce.number().int().min(1).max(MAX_EVENTS_PER_READ).default(1000),
});

const streamParams = z.object({ aggregateId: idSchema });

const appendBody = z
  .object({
    events: z.array(checkedElsewhere(messageShape, "a Flux SerializedMessage (checked by parseEventBatch)")).min(1),
    expectedSequenceNumber: sequenceNumberSchema.nullish(),
    storeOnly: z.boolean().nullish(),
  })
  .loose();

/** Routes under `/api/projects/:projectId/aggregates`. */
export const eventSourcingRoutes = new Hono<HubEnv>()
  .get(
    "/:aggregateId/events",
    doc({ summary: "An aggregate's events, paged", tag: "aggregates" }),
    params(streamParams),
    query(readQuery),
    async (c) => {
      const { aggregateId } = c.req.valid("param");
      const q = c.req.valid("query");
      const page = await getEvents(c.env, projectParam(c), aggregateId, q.after, q.limit);
      const body = stringifyJson({ aggregateId, events: rawMessages(page.events), lastSequenceNumber: page.lastSequenceNumber });
      return c.body(body, 200, { "content-type": "application/json" });
    },
  )
  .post(
    "/:aggregateId/events",
    doc({
      summary: "Append events to an aggregate",
      tag: "aggregates",
      body: appendBody,
      example: {
        events: [
          {
            data: { value: "eyJza3UiOiJhLTEifQ==", type: "ItemAdded", revision: 0 },
            metadata: {},
            messageId: "e-1",
            timestamp: 1700000000000,
          },
        ],
      },
      ok: { status: 201, description: "appended" },
    }),
    params(streamParams),
    async (c) => {
      const { aggregateId } = c.req.valid("param");
      const projectId = projectParam(c);
      const batch = parseEventBatch({ ...(await jsonBody(c, appendBody)), aggregateId }, "");
      const [range] = await appendEvents(c.env, projectId, [batch]);
      return c.json(range, 201);
    },
  );
