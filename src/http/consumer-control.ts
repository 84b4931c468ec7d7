/**
 * Operator actions on a consumer, mounted under `/api/projects/:projectId/consumers`: reset its
 * position to an index or a time (Flux `ResetPosition`: every segment is set, backwards too), and
 * disconnect one tracker (Flux `DisconnectTracker`), whose segments go to the others.
 */
import { Hono } from "hono";
import { z } from "zod";
import { minIndexFromMillis } from "../log/index-clock";
import type { HubEnv } from "./hub-env";
import { consumerStub } from "../tracking/consumer-name";
import { consumerParams, consumerTarget, topicQuery } from "./consumers";
import { doc, params, query } from "./openapi";
import { jsonBody, projectParam } from "./validation";

const resetBody = z.union(
  [
    z.strictObject({ index: z.string().regex(/^\d{1,19}$/, "an index (decimal string)") }),
    z.strictObject({
      time: z.number().int().min(0).max(8.64e15).describe("epoch milliseconds: deliver messages from this time on"),
    }),
  ],
  { error: "give {index} (the last index processed) or {time} (epoch ms to redeliver from)" },
);

const trackerParams = consumerParams.extend({ trackerId: z.string().min(1).max(1000) });

/** Routes under `/api/projects/:projectId/consumers` that change a consumer. */
export const consumerControlRoutes = new Hono<HubEnv>()
  .put(
    "/:type/:consumer/position",
    doc({
      summary: "Reset a consumer's position to an index or a time",
      tag: "consumers",
      body: resetBody,
      example: { time: 1700000000000 },
    }),
    params(consumerParams),
    query(topicQuery),
    async (c) => {
      const target = consumerTarget(projectParam(c), c.req.valid("param"), c.req.valid("query"));
      const body = await jsonBody(c, resetBody);
      const lastIndex = "index" in body ? BigInt(body.index) : minIndexFromMillis(body.time) - 1n;
      await consumerStub(c.env, target).resetPosition(target, lastIndex);
      return c.json({ lastIndex: lastIndex.toString() });
    },
  )
  .delete(
    "/:type/:consumer/trackers/:trackerId",
    doc({ summary: "Disconnect one tracker of a consumer", tag: "consumers", ok: { status: 204, description: "disconnected" } }),
    params(trackerParams),
    query(topicQuery),
    async (c) => {
      const { trackerId, ...path } = c.req.valid("param");
      const target = consumerTarget(projectParam(c), path, c.req.valid("query"));
      await consumerStub(c.env, target).disconnectTracker(target, trackerId, true);
      return c.body(null, 204);
    },
  );
