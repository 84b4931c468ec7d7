/**
 * Operator actions on a consumer, mounted under `/api/projects/:projectId/consumers`: reset its
 * position to an index or a time (Flux `ResetPosition`: every segment is set, backwards too), and
 * disconnect one tracker (Flux `DisconnectTracker`), whose segments go to the others.
 */
import { Hono } from "hono";
import { z } from "zod";
import { BadRequest } from "../errors";
import { minIndexFromMillis } from "../log/index-clock";
import { NAME } from "../log/log-path";
import type { HubEnv } from "./app";
import { consumerStub, consumerTarget } from "./consumers";
import { doc, query } from "./openapi";
import { jsonBody } from "./validation";

const topicQuery = z.object({ topic: z.string().regex(NAME, "a topic name").optional() });

const resetBody = z.union([
  z.strictObject({ index: z.string().regex(/^\d{1,19}$/, "an index (decimal string)") }),
  z.strictObject({ time: z.number().int().min(0).max(8.64e15).describe("epoch milliseconds: deliver messages from this time on") }),
], { error: "give {index} (the last index processed) or {time} (epoch ms to redeliver from)" });

/** Routes under `/api/projects/:projectId/consumers` that change a consumer. */
export const consumerControlRoutes = new Hono<HubEnv>()
  .put("/:type/:consumer/position", doc({ summary: "Reset a consumer's position to an index or a time", tag: "consumers", body: resetBody, example: { time: 1700000000000 } }), query(topicQuery), async (c) => {
    const target = consumerTarget(c);
    const body = await jsonBody(c, resetBody);
    const lastIndex = "index" in body ? BigInt(body.index) : minIndexFromMillis(body.time) - 1n;
    await consumerStub(c.env, target).resetPosition(target, lastIndex);
    return c.json({ lastIndex: lastIndex.toString() });
  })
  .delete("/:type/:consumer/trackers/:trackerId", doc({ summary: "Disconnect one tracker of a consumer", tag: "consumers", ok: { status: 204, description: "disconnected" } }), query(topicQuery), async (c) => {
    const target = consumerTarget(c);
    const trackerId = c.req.param("trackerId");
    if (trackerId.length === 0 || trackerId.length > 1000) throw new BadRequest("trackerId must be 1 to 1000 characters");
    await consumerStub(c.env, target).disconnectTracker(target, trackerId, true);
    return c.body(null, 204);
  });
