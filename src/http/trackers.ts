/**
 * Who reads a log: `GET /api/projects/:projectId/trackers/:type[?topic=]` lists the registered
 * consumers of the log with the number of trackers connected to each. The SDK asks when a query
 * goes unanswered for a moment, so that a query no tracker can ever see fails at once.
 */
import { Hono } from "hono";
import { z } from "zod";
import { logAddress } from "../log/log-path";
import { knownConsumers } from "../metrics/registry";
import { type ConsumerTarget, consumerStub } from "../tracking/consumer-name";
import type { HubEnv } from "./hub-env";
import { topicQuery } from "./consumers";
import { doc, params, query } from "./openapi";
import { messageTypeSchema, projectParam } from "./validation";

/** The number of trackers connected to a consumer. */
async function trackersOf(env: Cloudflare.Env, target: ConsumerTarget): Promise<number> {
  // The RPC type of describe() collapses (its `position` is unknown); its shape is ConsumerDescription.
  const { trackers }: { trackers: readonly unknown[] } = await consumerStub(env, target).describe(target);
  return trackers.length;
}

/** Routes under `/api/projects/:projectId/trackers`. */
export const trackerRoutes = new Hono<HubEnv>().get(
  "/:type",
  doc({ summary: "How many trackers read a log, per consumer", tag: "consumers" }),
  params(z.object({ type: messageTypeSchema })),
  query(topicQuery),
  async (c) => {
    const messageType = c.req.valid("param").type;
    const log = logAddress(projectParam(c), messageType, c.req.valid("query").topic);
    const { items, truncated } = await knownConsumers(c.env.DB, log.projectId);
    const targets: ConsumerTarget[] = items.filter((t) => t.messageType === messageType && t.log.topic === log.topic).map((t) => ({ ...t, log }));
    const consumers = await Promise.all(
      targets.map(async (t) => ({ consumer: t.consumer, trackers: await trackersOf(c.env, t) })),
    );
    return c.json({ messageType, topic: log.topic, consumers, trackers: consumers.reduce((n, x) => n + x.trackers, 0), truncated });
  },
);
