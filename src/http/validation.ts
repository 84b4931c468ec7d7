/**
 * Request validation for the HTTP API with zod: a body or query that does not fit becomes a
 * BadRequest naming the first offending field (worded as all input errors are, src/validation.ts).
 */
import type { Context } from "hono";
import { z } from "zod";
import { BadRequest } from "../errors";
import { parseWith } from "../validation";
import { NAME } from "../log/log-path";
import { CONSUMER_NAME } from "../tracking/consumer-name";
import { parseJson } from "../protocol/json";
import { jsonProblem } from "../protocol/request-check";
import { type LogType, MESSAGE_TYPES, type MessageType } from "../protocol/messages";

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


const spelled = (types: readonly string[]) => `(?:${types.flatMap((t) => [t.toLowerCase(), t]).join("|")})`;

/**
 * A message type name in lower or upper case (`event`, `EVENT`), as a regex source without
 * anchors: schemas carry it as a `pattern` so that the OpenAPI document states the names too.
 */
export const MESSAGE_TYPE_SOURCE = spelled(MESSAGE_TYPES);

/** A user-chosen name (project, topic, consumer) as a regex source without anchors. */
export const NAME_SOURCE = NAME.source.slice(1, -1);

// Errors name the value the caller sent (cut short), not just the rule it broke.
const naming = (rule: string) => ({
  error: (issue: { input?: unknown }) => `"${String(issue.input).slice(0, 100)}" is not ${rule}`,
});

/** A user-chosen name: project, topic. */
export const nameSchema = z.string().regex(NAME, naming("a name (letters, digits and ._-:$@, 1 to 200 of them)"));

/** A consumer's name, as Flux allows it: any string of 1 to 200 characters without control characters. */
export const consumerNameSchema = z
  .string()
  .regex(CONSUMER_NAME, naming("a consumer name (1 to 200 characters, no control characters)"));

/** Any Flux message type. */
export const messageTypeSchema = z
  .string()
  .regex(new RegExp(`^${MESSAGE_TYPE_SOURCE}$`), naming("a message type"))
  .transform((name) => name.toUpperCase() as MessageType);

/** A message type that has a log of its own: all but NOTIFICATION, which is the EVENT log read as a broadcast. */
export const logTypeSchema = z
  .string()
  .regex(
    new RegExp(`^${spelled(MESSAGE_TYPES.filter((t) => t !== "NOTIFICATION"))}$`),
    naming("a log type (a message type other than notification)"),
  )
  .transform((name) => name.toUpperCase() as LogType);

/** Reads and validates the JSON body. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  return parseWith(schema, await readJson(c), "");
}

/** The `:projectId` path parameter, checked. */
export function projectParam(c: Context): string {
  return parseWith(nameSchema, c.req.param("projectId") ?? "", "projectId");
}
