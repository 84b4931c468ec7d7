/**
 * Request validation for the HTTP API with zod: a body or query that does not fit becomes a
 * BadRequest naming the first offending field.
 */
import type { Context } from "hono";
import { z } from "zod";
import { BadRequest } from "../errors";
import { NAME } from "../log/log-path";
import { parseJson } from "../protocol/json";
import { jsonProblem } from "../protocol/request-check";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Parses a request body as JSON (integers past 2^53 as bigint), refusing bytes that are not
 * UTF-8, too deep nesting and numbers beyond a double's range, each with a BadRequest.
 */
export async function readJson(c: Context, parse: (text: string) => unknown = parseJson): Promise<unknown> {
  let text: string;
  try {
    text = utf8.decode(await c.req.arrayBuffer());
  } catch {
    throw new BadRequest("body is not valid UTF-8");
  }
  let body: unknown;
  try {
    body = parse(text);
  } catch {
    throw new BadRequest("body must be JSON");
  }
  const problem = jsonProblem(body);
  if (problem) throw new BadRequest(`body: ${problem.replace(/^the request/, "the body")}`);
  return body;
}

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
  return parseWith(schema, await readJson(c), "body");
}

/** The `:projectId` path parameter, checked. */
export function projectParam(c: Context): string {
  const projectId = c.req.param("projectId") ?? "";
  if (!NAME.test(projectId)) throw new BadRequest(`projectId "${projectId}" has characters outside ${NAME.source}`);
  return projectId;
}
