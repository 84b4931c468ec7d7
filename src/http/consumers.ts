/**
 * Consumers over HTTP: lag (messages and seconds behind the head per partition, also when no
 * tracker of the consumer is connected) and the full picture the console draws (trackers, their
 * segment ranges and the position of each of the 128 segments, beside the lag).
 */
import { Hono } from "hono";
import { z } from "zod";
import { logAddress } from "../log/log-path";
import { stringifyJson } from "../protocol/json";
import { consumerLag } from "../tracking/consumer-lag";
import type { ConsumerTarget } from "../tracking/consumer-name";
import { consumerStub } from "../tracking/consumer-name";
import type { ConsumerDescription } from "../../durable-objects/Consumer";
import type { HubEnv } from "./hub-env";
import { doc, params, query } from "./openapi";
import { consumerNameSchema, messageTypeSchema, nameSchema, projectParam } from "./validation";

/** The query of every consumer route: the topic of a CUSTOM or DOCUMENT log. */
export const topicQuery = z.object({ topic: nameSchema.optional() });

/** The path of every consumer route: the message type read and the consumer's name. */
export const consumerParams = z.object({ type: messageTypeSchema, consumer: consumerNameSchema });

/** The consumer a route names, from its validated path and query. */
export function consumerTarget(
  projectId: string,
  path: z.infer<typeof consumerParams>,
  query: z.infer<typeof topicQuery>,
): ConsumerTarget {
  return { log: logAddress(projectId, path.type, query.topic), messageType: path.type, consumer: path.consumer };
}


function json(value: unknown): Response {
  return new Response(stringifyJson(value), { headers: { "content-type": "application/json" } });
}

/** Routes under `/api/projects/:projectId/consumers`. */
export const consumerRoutes = new Hono<HubEnv>()
  .get(
    "/:type/:consumer/lag",
    doc({ summary: "A consumer's lag per partition", tag: "consumers" }),
    params(consumerParams),
    query(topicQuery),
    async (c) => {
      return json(await consumerLag(c.env, consumerTarget(projectParam(c), c.req.valid("param"), c.req.valid("query"))));
    },
  )
  .get(
    "/:type/:consumer",
    doc({ summary: "A consumer's trackers, position per segment and lag", tag: "consumers" }),
    params(consumerParams),
    query(topicQuery),
    async (c) => {
      const target = consumerTarget(projectParam(c), c.req.valid("param"), c.req.valid("query"));
      const [described, lag] = await Promise.all([
        consumerStub(c.env, target).describe(target) as Promise<ConsumerDescription>,
        consumerLag(c.env, target),
      ]);
      return json({ ...lag, positions: described.positions });
    },
  );
