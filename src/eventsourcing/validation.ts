/**
 * Validation of event-sourcing input shared by the Flux endpoint and the HTTP API: aggregate and
 * entity ids, sequence numbers, events (Flux SerializedMessages) and relationships. A value too
 * large is PayloadTooLarge, anything else malformed is BadRequest naming the field.
 */
import { z } from "zod";
import { BadRequest } from "../errors";
import type { SerializedMessage } from "../protocol/messages";
import { dataSchema, describeIssue, parseData } from "../keyvalue/validation";
import type { StreamBatch } from "./aggregate-stream";
import type { Relationship } from "./relationships";

/** Longest aggregate or entity id accepted, in characters. */
export const MAX_ID_CHARS = 4096;

/** Most events returned by one read (the Java client pages with 8192). */
export const MAX_EVENTS_PER_READ = 8192;

/** An id: a non-empty string of at most {@link MAX_ID_CHARS} characters. */
export const idSchema = z.string().min(1, "must not be empty").max(MAX_ID_CHARS);

/** A sequence number a reader or writer saw: -1 (nothing yet) or more. */
export const sequenceNumberSchema = z.number().int().min(-1, "must be -1 or more");

const messageSchema = z.looseObject({
  data: z.unknown(),
  metadata: z.record(z.string(), z.string()).nullish(),
  segment: z.number().int().nullish(),
  index: z.union([z.number().int(), z.bigint()]).nullish(),
  source: z.string().nullish(),
  target: z.string().nullish(),
  requestId: z.number().int().nullish(),
  timestamp: z.number().int().nullish(),
  messageId: z.string().min(1).nullish(),
});

/** A Flux SerializedMessage as an event: the message fields and a Flux Data (what parseEvent accepts). */
export const eventSchema = messageSchema.extend({ data: dataSchema });

const batchSchema = z.object({
  aggregateId: idSchema,
  events: z.array(z.unknown()),
  storeOnly: z.boolean().nullish(),
  expectedSequenceNumber: sequenceNumberSchema.nullish(),
});

const relationshipSchema = z.object({ entityId: idSchema, aggregateId: idSchema, aggregateType: z.string() });

/** Flux `EventBatch` with the optional expected sequence number, checked. */
export interface EventBatch extends StreamBatch {
  aggregateId: string;
}

/** Parses `value` with `schema`, or throws BadRequest naming `what` and the field. */
export function check<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequest(describeIssue(parsed.error, what));
  return parsed.data;
}

/** Checks one event, a Flux SerializedMessage. */
export function parseEvent(input: unknown, what: string): SerializedMessage {
  const message = check(messageSchema, input, what);
  return { ...message, data: parseData(message.data, `${what}.data`) } as SerializedMessage;
}

/** Checks a Flux `EventBatch`. */
export function parseEventBatch(input: unknown, what = "eventBatch"): EventBatch {
  const batch = check(batchSchema, input, what);
  return {
    aggregateId: batch.aggregateId,
    events: batch.events.map((e, i) => parseEvent(e, `${what}.events.${i}`)),
    storeOnly: batch.storeOnly ?? false,
    ...(batch.expectedSequenceNumber == null ? {} : { expectedSequenceNumber: batch.expectedSequenceNumber }),
  };
}

/** Checks a list of Flux `Relationship`s (a Java Set; null means none). */
export function parseRelationships(input: unknown, what: string): Relationship[] {
  return check(z.array(relationshipSchema).nullish(), input, what) ?? [];
}
