/**
 * Metrics over HTTP: `GET /api/projects/:projectId/metrics` as JSON, and `GET /metrics?projectId=`
 * as Prometheus text for scrapers (authorized like project routes: a scraper presents the
 * project's key as a Bearer token or `apiKey`). Both take optional repeated `log=<type>[/<topic>]`
 * and `consumer=<type>[/<topic>]/<name>` to report just those instead of everything registered.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { authorize } from "../auth/authorize";
import { BadRequest } from "../errors";
import { NAME, logAddress } from "../log/log-path";
import { checkConsumerName } from "../tracking/consumer-name";
import { type MetricsSelection, projectMetrics } from "../metrics/project-metrics";
import { PROMETHEUS_CONTENT_TYPE, prometheusText } from "../metrics/prometheus";
import { type MessageType, parseMessageType } from "../protocol/messages";
import type { HubEnv } from "./hub-env";
import { doc, query } from "./openapi";
import { MESSAGE_TYPE_SOURCE, NAME_SOURCE, projectParam } from "./validation";

function messageType(name: string): MessageType {
  const type = parseMessageType(name);
  if (!type) throw new BadRequest(`unknown message type "${name}"`);
  return type;
}

/** The logs and consumers named in the query, or everything registered when none are. */
function selection(c: Context<HubEnv>, projectId: string): MetricsSelection {
  const logs = c.req.queries("log")?.map((spec) => {
    const [type, topic, ...rest] = spec.split("/");
    if (rest.length) throw new BadRequest(`log must be <type>[/<topic>], got "${spec}"`);
    return logAddress(projectId, messageType(type), topic);
  });
  const consumers = c.req.queries("consumer")?.map((spec) => {
    const parts = spec.split("/");
    if (parts.length < 2 || parts.length > 3) throw new BadRequest(`consumer must be <type>[/<topic>]/<name>, got "${spec}"`);
    const consumer = parts[parts.length - 1];
    checkConsumerName(consumer);
    const type = messageType(parts[0]);
    return { log: logAddress(projectId, type, parts.length === 3 ? parts[1] : null), messageType: type, consumer };
  });
  return { logs, consumers };
}

const repeated = (pattern: string, what: string) => {
  const one = z.string().regex(new RegExp(`^${pattern}$`), what);
  return z
    .union([one, z.array(one)])
    .optional()
    .describe(`${what}, repeatable`);
};
const selectionQuery = z.object({
  log: repeated(`${MESSAGE_TYPE_SOURCE}(/${NAME_SOURCE})?`, "<type>[/<topic>]"),
  consumer: repeated(`${MESSAGE_TYPE_SOURCE}(/${NAME_SOURCE})?/${NAME_SOURCE}`, "<type>[/<topic>]/<name>"),
});
const prometheusQuery = selectionQuery.extend({ projectId: z.string().regex(NAME, "a project name").optional() });

/** Routes under `/api/projects/:projectId/metrics`. */
export const metricsRoutes = new Hono<HubEnv>().get(
  "/",
  doc({ summary: "Append rates, consumer lag, trackers and sockets", tag: "metrics" }),
  query(selectionQuery),
  async (c) => {
    const projectId = projectParam(c);
    return c.json(await projectMetrics(c.env, projectId, selection(c, projectId)));
  },
);

/** `GET /metrics?projectId=…`: one project's metrics for Prometheus. */
export const prometheusRoutes = new Hono<HubEnv>().get(
  "/",
  doc({ summary: "A project's metrics as Prometheus text", tag: "metrics" }),
  query(prometheusQuery),
  async (c) => {
    const projectId = c.req.query("projectId") ?? "public";
    if (!NAME.test(projectId)) throw new BadRequest(`projectId "${projectId}" has characters outside ${NAME.source}`);
    await authorize(c.env, c.req.raw, projectId);
    const metrics = await projectMetrics(c.env, projectId, selection(c, projectId));
    return c.body(prometheusText(metrics), 200, { "content-type": PROMETHEUS_CONTENT_TYPE });
  },
);
