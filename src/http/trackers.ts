/**
 * Who reads a log: `GET /api/projects/:projectId/trackers/:type[?topic=]` lists the registered
 * consumers of the log with the number of trackers connected to each. The SDK asks when a query
 * goes unanswered for a moment, so that a query no tracker can ever see fails at once.
 */
import { Hono } from "hono";
import { BadRequest } from "../errors";
import { logAddress } from "../log/log-path";
import { knownConsumers } from "../metrics/registry";
import { parseMessageType } from "../protocol/messages";
import { type ConsumerTarget, consumerObjectName } from "../tracking/consumer-name";
import type { HubEnv } from "./app";
import { projectParam } from "./validation";

/** The number of trackers connected to a consumer. */
async function trackersOf(env: Cloudflare.Env, target: ConsumerTarget): Promise<number> {
  // The RPC type of describe() collapses (its `position` is unknown); its shape is ConsumerDescription.
  const { trackers }: { trackers: readonly unknown[] } = await env.CONSUMER.get(env.CONSUMER.idFromName(consumerObjectName(target))).describe(target);
  return trackers.length;
}

/** Routes under `/api/projects/:projectId/trackers`. */
export const trackerRoutes = new Hono<HubEnv>().get("/:type", async (c) => {
  const messageType = parseMessageType(c.req.param("type"));
  if (!messageType) throw new BadRequest(`unknown message type "${c.req.param("type")}"`);
  const log = logAddress(projectParam(c), messageType, c.req.query("topic"));
  const { items, truncated } = await knownConsumers(c.env.DB, log.projectId);
  const targets: ConsumerTarget[] = items.filter((t) => t.messageType === messageType && t.log.topic === log.topic).map((t) => ({ ...t, log }));
  const consumers = await Promise.all(
    targets.map(async (t) => ({ consumer: t.consumer, trackers: await trackersOf(c.env, t) })),
  );
  return c.json({ messageType, topic: log.topic, consumers, trackers: consumers.reduce((n, x) => n + x.trackers, 0), truncated });
});
