/**
 * Consumer lag over HTTP: messages and seconds behind the head per partition, also when no
 * tracker of the consumer is connected.
 */
import { Hono } from "hono";
import { BadRequest } from "../errors";
import { logAddress } from "../log/log-path";
import { checkConsumerName } from "../tracking/consumer-name";
import { stringifyJson } from "../protocol/json";
import { parseMessageType } from "../protocol/messages";
import { consumerLag } from "../tracking/consumer-lag";
import type { HubEnv } from "./app";
import { projectParam } from "./validation";

/** Routes under `/api/projects/:projectId/consumers`. */
export const consumerRoutes = new Hono<HubEnv>().get("/:type/:consumer/lag", async (c) => {
  const messageType = parseMessageType(c.req.param("type"));
  if (!messageType) throw new BadRequest(`unknown message type "${c.req.param("type")}"`);
  const consumer = c.req.param("consumer");
  checkConsumerName(consumer);
  const log = logAddress(projectParam(c), messageType, c.req.query("topic"));
  const report = await consumerLag(c.env, { log, messageType, consumer });
  return c.body(stringifyJson(report), 200, { "content-type": "application/json" });
});
