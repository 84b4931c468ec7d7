/**
 * The Hono application: the HTTP API under /api, `GET /health`, `GET /metrics` (Prometheus),
 * `GET /openapi.json` (the API's own description), and the one `onError` that turns every failure
 * into a JSON body naming the problem.
 */
import { Hono } from "hono";
import { z } from "zod";
import { HTTPException } from "hono/http-exception";
import { requireProjectKey } from "../auth/middleware";
import { errorResponse } from "../errors";
import { adminRoutes } from "./admin";
import { auditRoutes } from "./audit";
import { limitBody } from "./body-limit";
import { consumerControlRoutes } from "./consumer-control";
import { consumerRoutes } from "./consumers";
import { eventSourcingRoutes } from "./eventsourcing";
import { keyValueRoutes } from "./keyvalue";
import { logRoutes } from "./logs";
import { metricsRoutes, prometheusRoutes } from "./metrics";
import { doc, openApiDocument, params } from "./openapi";
import { schedulingRoutes } from "./scheduling";
import { searchRoutes } from "./search";
import { trackerRoutes } from "./trackers";
import { searchOverviewRoutes } from "./search-overview";
import { nameSchema } from "./validation";
import type { HubEnv } from "./hub-env";


/** Builds the HTTP application. */
export function createApp(): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.get("/health", doc({ summary: "Liveness", tag: "hub", open: true }), (c) => c.text("Healthy"));
  // Registered before the routes so that it runs first for every project route.
  app.use("/api/projects/:projectId/*", params(z.object({ projectId: nameSchema })), requireProjectKey);
  app.use(limitBody);
  app.route("/admin", adminRoutes);
  app.route("/api/projects/:projectId/logs", logRoutes);
  app.route("/api/projects/:projectId/consumers", consumerRoutes);
  app.route("/api/projects/:projectId/consumers", consumerControlRoutes);
  app.route("/api/projects/:projectId/trackers", trackerRoutes);
  app.route("/api/projects/:projectId/audit", auditRoutes);
  app.route("/api/projects/:projectId/aggregates", eventSourcingRoutes);
  app.route("/api/projects/:projectId/kv", keyValueRoutes);
  app.route("/api/projects/:projectId/schedules", schedulingRoutes);
  app.route("/api/projects/:projectId/search", searchRoutes);
  app.route("/api/projects/:projectId/search", searchOverviewRoutes);
  app.route("/api/projects/:projectId/metrics", metricsRoutes);
  app.route("/metrics", prometheusRoutes);
  let document: Promise<unknown> | null = null;
  app.get("/openapi.json", doc({ summary: "This document", tag: "hub", open: true }), async (c) =>
    c.json(await (document ??= openApiDocument(app))),
  );
  app.notFound((c) =>
    c.json({ error: "not_found", message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404),
  );
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: "bad_request", message: error.message }, error.status);
    return errorResponse(error);
  });
  return app;
}
