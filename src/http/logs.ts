/**
 * HTTP access to logs: publish JSON messages (plain payloads or Flux SerializedMessages), read them
 * back by index, and set retention.
 */
import { Hono } from "hono";
import { z } from "zod";
import { appendToLog, readFromIndex, setRetention } from "../log/log-client";
import { logAddress } from "../log/log-path";
import { MAX_APPEND_MESSAGES } from "../log/producer-endpoint";
import { segmentOf } from "../protocol/segment";
import { fromBase64, toBase64 } from "../protocol/base64";
import { RawJson, parseJson, stringifyJson } from "../protocol/json";
import { jsonProblem } from "../protocol/request-check";
import type { SerializedMessage } from "../protocol/messages";
import { MAX_READ_SIZE } from "../tracking/consumer-endpoint";
import type { HubEnv } from "./hub-env";
import { doc, params, query } from "./openapi";
import { jsonBody, logTypeSchema, projectParam } from "./validation";

const message = z
  .object({
    payload: z.unknown().optional(),
    data: z
      .object({
        value: z.string().nullable(),
        type: z.string().nullish(),
        revision: z.number().int().optional(),
        format: z.string().nullish(),
      })
      .optional(),
    type: z.string().optional(),
    messageId: z.string().min(1).max(200).optional(),
    routingKey: z.string().optional(),
    segment: z.number().int().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    target: z.string().optional(),
    source: z.string().optional(),
    timestamp: z.number().int().optional(),
  })
  .refine((m) => (m.payload === undefined) !== (m.data === undefined), "give exactly one of payload or data")
  // The refinement above, in the document's words.
  .meta({ oneOf: [{ required: ["payload"] }, { required: ["data"] }] });
const publishBody = z.object({ messages: z.array(message).min(1).max(MAX_APPEND_MESSAGES) });
const topicQuery = z.object({ topic: z.string().optional() });
const readQuery = z.object({
  from: z
    .string()
    .regex(/^\d{1,19}$/, "an index")
    .optional(),
  limit: z.coerce.number().int().min(1).max(MAX_READ_SIZE).default(100),
  topic: z.string().optional(),
});
const logParams = z.object({ type: logTypeSchema });
const retentionBody = z.object({ retentionSeconds: z.number().int().min(0).nullable() });

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Turns an HTTP message into a Flux SerializedMessage: plain payloads become JSON Data. */
function toSerialized(m: z.infer<typeof message>): SerializedMessage {
  const data = m.data ?? {
    value: toBase64(utf8.encode(JSON.stringify(m.payload))),
    type: m.type ?? null,
    revision: 0,
    format: "json",
  };
  return {
    data,
    metadata: m.metadata ?? {},
    segment: m.segment ?? (m.routingKey !== undefined ? segmentOf(m.routingKey) : null),
    messageId: m.messageId ?? crypto.randomUUID(),
    timestamp: m.timestamp ?? Date.now(),
    target: m.target ?? null,
    source: m.source ?? null,
  };
}

/**
 * Adds the decoded `payload` to a stored message when its data is JSON. A stored message (or
 * payload) that nests too deep to be written again is passed on as stored, without `payload`.
 */
function withPayload(text: string): unknown {
  let m: SerializedMessage & { payload?: unknown };
  try {
    m = parseJson(text) as typeof m;
  } catch {
    return new RawJson(text); // deeper than the parser's stack
  }
  if (jsonProblem(m)) return new RawJson(text);
  const format = m.data?.format;
  if (m.data?.value && (format === null || format === undefined || format === "json" || format === "application/json")) {
    try {
      const payload = JSON.parse(utf8Decoder.decode(fromBase64(m.data.value)));
      if (!jsonProblem(payload)) m.payload = payload;
    } catch {
      // Not JSON after all: the base64 value stays the only form.
    }
  }
  return m;
}

/** Routes under `/api/projects/:projectId/logs`. */
export const logRoutes = new Hono<HubEnv>()
  .post(
    "/:type/messages",
    doc({
      summary: "Publish messages to a log",
      tag: "logs",
      body: publishBody,
      example: { messages: [{ payload: { orderId: "o-1" }, type: "OrderPlaced", routingKey: "o-1" }] },
    }),
    params(logParams),
    query(topicQuery),
    async (c) => {
      const log = logAddress(projectParam(c), c.req.valid("param").type, c.req.valid("query").topic);
      const body = await jsonBody(c, publishBody);
      const totals = await appendToLog(c.env, log, body.messages.map(toSerialized));
      return c.json(totals);
    },
  )
  .get(
    "/:type/messages",
    doc({ summary: "Read a log by index, payloads decoded", tag: "logs" }),
    params(logParams),
    query(readQuery),
    async (c) => {
      const q = c.req.valid("query");
      const log = logAddress(projectParam(c), c.req.valid("param").type, q.topic);
      const { indexes, messages } = await readFromIndex(c.env, log, BigInt(q.from ?? "0"), q.limit);
      const next = indexes.length ? indexes[indexes.length - 1] + 1n : null;
      const body = stringifyJson({ messages: messages.map(withPayload), nextIndex: next === null ? null : next.toString() });
      return c.body(body, 200, { "content-type": "application/json" });
    },
  )
  .put(
    "/:type/retention",
    doc({ summary: "Set a log's retention", tag: "logs", body: retentionBody, example: { retentionSeconds: 3600 } }),
    params(logParams),
    query(topicQuery),
    async (c) => {
      const log = logAddress(projectParam(c), c.req.valid("param").type, c.req.valid("query").topic);
      const { retentionSeconds } = await jsonBody(c, retentionBody);
      await setRetention(c.env, log, retentionSeconds);
      return c.json({ retentionSeconds });
    },
  );
