/**
 * The one check of a Flux SerializedMessage's shape, for every way a message enters the hub: log
 * appends, events, schedules. One check, so that nothing one path accepts is refused later by
 * another (an event its aggregate stored must pass the EVENT log its outbox appends it to, or it
 * would stay in the outbox). Written by hand because it runs on every published message; its zod
 * twin below only documents it.
 */
import { z } from "zod";
import { PayloadTooLarge } from "../errors";
import { invalid } from "../validation";
import { BASE64, isBase64 } from "./base64";
import type { SerializedMessage } from "./messages";

const isAbsent = (v: unknown) => v === null || v === undefined;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isOptionalString = (v: unknown) => isAbsent(v) || typeof v === "string";
const isOptionalInteger = (v: unknown) => isAbsent(v) || (typeof v === "number" && Number.isInteger(v));

/**
 * Most characters a message may carry in its strings (payload, metadata, ids, type). A message is
 * stored in one SQLite row, and a deployed Durable Object refuses rows over 2 MB (workerd locally
 * does not), which would fail the append with a 500 after it was accepted; this leaves room for
 * the row's other columns and the JSON around the strings.
 */
export const MAX_MESSAGE_CHARS = 1_500_000;
/**
 * Most bytes a message's JSON may take (UTF-8): characters outside ASCII take up to three bytes and
 * escaped ones up to six, so a message under {@link MAX_MESSAGE_CHARS} can still make a row over the
 * limit. Measured only for messages whose strings could reach it.
 */
export const MAX_MESSAGE_BYTES = 1_900_000;
const utf8 = new TextEncoder();

/** The characters of a checked message's strings, counted as {@link MAX_MESSAGE_CHARS} counts them. */
function stringChars(m: SerializedMessage): number {
  let n = (m.data.value?.length ?? 0) + (m.data.type?.length ?? 0) + (m.data.format?.length ?? 0);
  n += (m.messageId?.length ?? 0) + (m.source?.length ?? 0) + (m.target?.length ?? 0);
  if (m.metadata) for (const k in m.metadata) n += k.length + m.metadata[k].length;
  return n;
}

/**
 * Throws BadRequest naming the first field of the message at `where` (`messages[0]`) that is not
 * of Flux's shape, and PayloadTooLarge for a message over {@link MAX_MESSAGE_CHARS}. Fields beyond
 * Flux's are let through (the log drops them when it encodes).
 */
export function checkMessage(m: unknown, where: string): asserts m is SerializedMessage {
  if (!isObject(m)) throw invalid(where, "must be an object");
  const data = m.data;
  if (!isObject(data)) throw invalid(`${where}.data`, "must be an object");
  if (!isOptionalString(data.value) || (typeof data.value === "string" && !isBase64(data.value))) {
    throw invalid(`${where}.data.value`, "must be a base64 string");
  }
  for (const f of ["type", "format"] as const) {
    if (!isOptionalString(data[f])) throw invalid(`${where}.data.${f}`, "must be a string");
  }
  if (!isOptionalInteger(data.revision)) throw invalid(`${where}.data.revision`, "must be an integer");
  for (const f of ["messageId", "source", "target"] as const) {
    if (!isOptionalString(m[f])) throw invalid(`${where}.${f}`, "must be a string");
  }
  if (m.messageId === "") throw invalid(`${where}.messageId`, "must not be empty");
  for (const f of ["segment", "requestId", "timestamp", "originalRevision"] as const) {
    if (!isOptionalInteger(m[f])) throw invalid(`${where}.${f}`, "must be an integer");
  }
  // Set by the partition; a client may send the one it read (beyond 2^53, so parsed as a bigint).
  if (!isOptionalInteger(m.index) && typeof m.index !== "bigint") throw invalid(`${where}.index`, "must be an integer");
  const metadata = m.metadata;
  if (!isAbsent(metadata)) {
    if (!isObject(metadata)) throw invalid(`${where}.metadata`, "must be an object");
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw invalid(`${where}.metadata.${k}`, "must be a string");
    }
  }
  const chars = stringChars(m as unknown as SerializedMessage);
  if (chars > MAX_MESSAGE_CHARS) throw new PayloadTooLarge(`${where}: carries ${chars} characters, more than the ${MAX_MESSAGE_CHARS} a message may`);
  if (chars * 6 > MAX_MESSAGE_BYTES) {
    const bytes = utf8.encode(JSON.stringify(m, (_k, v: unknown) => (typeof v === "bigint" ? 0 : v))).length;
    if (bytes > MAX_MESSAGE_BYTES) throw new PayloadTooLarge(`${where}: takes ${bytes} bytes as JSON, more than the ${MAX_MESSAGE_BYTES} a message may`);
  }
}

/** Checks every message of a request's `messages`. */
export function checkMessages(messages: unknown[]): asserts messages is SerializedMessage[] {
  messages.forEach((m, i) => checkMessage(m, `messages[${i}]`));
}

const optionalInteger = z.number().int().nullish();

/** What {@link checkMessage} accepts, as a zod schema for the OpenAPI document. */
export const messageShape = z.looseObject({
  data: z.looseObject({
    value: z.string().regex(BASE64).nullish().describe("base64"),
    type: z.string().nullish(),
    revision: optionalInteger,
    format: z.string().nullish(),
  }),
  metadata: z.record(z.string(), z.string()).nullish(),
  messageId: z.string().min(1).nullish(),
  source: z.string().nullish(),
  target: z.string().nullish(),
  segment: optionalInteger,
  requestId: optionalInteger,
  timestamp: optionalInteger,
  originalRevision: optionalInteger,
  index: optionalInteger,
});
