/**
 * Consumers over HTTP: lag (messages and seconds behind the head per partition, also when no
 * tracker of the consumer is connected) and the full picture the console draws (trackers, their
 * segment ranges and the position of each of the 128 segments, beside the lag).
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { BadRequest } from "../errors";
import { NAME, logAddress } from "../log/log-path";
import { stringifyJson } from "../protocol/json";
import { parseMessageType } from "../protocol/messages";
import { consumerLag } from "../tracking/consumer-lag";
import type { ConsumerTarget } from "../tracking/consumer-name";
import { consumerObjectName } from "../tracking/consumer-name";
import type { ConsumerDescription } from "../../durable-objects/Consumer";
import type { HubEnv } from "./app";
import { doc, query } from "./openapi";
import { projectParam } from "./validation";

const topicQuery = z.object({ topic: z.string().regex(NAME, "a topic name").optional() });

/** The consumer a `/:type/:consumer` route names. */
export function consumerTarget(c: Context<HubEnv>): ConsumerTarget {
  const messageType = parseMessageType(c.req.param("type") ?? "");
  if (!messageType) throw new BadRequest(`unknown message type "${c.req.param("type")}"`);
  const consumer = c.req.param("consumer") ?? "";
  if (!NAME.test(consumer)) throw new BadRequest(`consumer must match ${NAME.source}`);
  return { log: logAddress(projectParam(c), messageType, c.req.query("topic")), messageType, consumer };
}

/** The Consumer object of `target`. */
export function consumerStub(env: Cloudflare.Env, target: ConsumerTarget) {
  return env.CONSUMER.get(env.CONSUMER.idFromName(consumerObjectName(target)));
}

function json(value: unknown): Response {
  return new Response(stringifyJson(value), { headers: { "content-type": "application/json" } });
}

/** Routes under `/api/projects/:projectId/consumers`. */
export const consumerRoutes = new Hono<HubEnv>()
  .get("/:type/:consumer/lag", doc({ summary: "A consumer's lag per partition", tag: "consumers" }), query(topicQuery), async (c) => {
    return json(await consumerLag(c.env, consumerTarget(c)));
  })
  .get("/:type/:consumer", doc({ summary: "A consumer's trackers, position per segment and lag", tag: "consumers" }), query(topicQuery), async (c) => {
    const target = consumerTarget(c);
    const [described, lag] = await Promise.all([
      consumerStub(c.env, target).describe(target) as Promise<ConsumerDescription>,
      consumerLag(c.env, target),
    ]);
    return json({ ...lag, positions: described.positions });
  });
