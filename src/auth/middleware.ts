/**
 * Hono middleware for `/api/projects/:projectId/*`: every project route runs behind `authorize`.
 */
import { createMiddleware } from "hono/factory";
import type { HubEnv } from "../http/hub-env";
import { projectParam } from "../http/validation";
import { authorize } from "./authorize";

/** Refuses the request unless it may reach its `:projectId` (see `authorize`). */
export const requireProjectKey = createMiddleware<HubEnv>(async (c, next) => {
  await authorize(c.env, c.req.raw, projectParam(c));
  await next();
});
