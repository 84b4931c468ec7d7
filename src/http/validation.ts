/**
 * Request validation for the HTTP API with zod: a body or query that does not fit becomes a
 * BadRequest naming the first offending field.
 */
import type { Context } from "hono";
import { z } from "zod";
import { BadRequest } from "../errors";
import { NAME } from "../log/log-path";
import { MESSAGE_TYPES } from "../protocol/messages";

/**
 * A message type name in lower or upper case (`event`, `EVENT`), as a regex source without
 * anchors: schemas carry it as a `pattern` so that the OpenAPI document states the names too.
 */
export const MESSAGE_TYPE_SOURCE = `(?:${MESSAGE_TYPES.flatMap((t) => [t.toLowerCase(), t]).join("|")})`;

/** A user-chosen name (project, topic, consumer) as a regex source without anchors. */
export const NAME_SOURCE = NAME.source.slice(1, -1);

/** Parses `value` with `schema`, or throws BadRequest naming the field. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.length ? issue.path.join(".") : what;
  throw new BadRequest(`${path}: ${issue.message}`);
}

/** Reads and validates the JSON body. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new BadRequest("body must be JSON");
  }
  return parseWith(schema, body, "body");
}

/** The `:projectId` path parameter, checked. */
export function projectParam(c: Context): string {
  const projectId = c.req.param("projectId") ?? "";
  if (!NAME.test(projectId)) throw new BadRequest(`projectId "${projectId}" has characters outside ${NAME.source}`);
  return projectId;
}
