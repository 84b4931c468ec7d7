/**
 * Validation of event-sourcing input shared by the Flux endpoint and the HTTP API: aggregate and
 * entity ids, sequence numbers, events (Flux SerializedMessages, checked as the EVENT log checks
 * them) and relationships. A value too large is PayloadTooLarge, anything else malformed is
 * BadRequest naming the field.
 */
import { z } from "zod";
import { checkDataSize } from "../keyvalue/validation";
import { checkMessage } from "../protocol/message-check";
import type { SerializedMessage } from "../protocol/messages";
import { parseWith, placeOf } from "../validation";
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

/**
 * Checks one event, a Flux SerializedMessage: with the check every message of the logs passes
 * (so that the outbox can always append it to the EVENT log), and a value no larger than a
 * key-value value.
 */
export function parseEvent(input: unknown, what: string): SerializedMessage {
  checkDataSize((input as { data?: unknown } | null)?.data, `${what}.data`);
  checkMessage(input, what);
  return input;
}

/** Checks a Flux `EventBatch` at `what` ("" for a request body that is the batch). */
export function parseEventBatch(input: unknown, what = "eventBatch"): EventBatch {
  const batch = parseWith(batchSchema, input, what);
  return {
    aggregateId: batch.aggregateId,
    events: batch.events.map((e, i) => parseEvent(e, placeOf(what, ["events", i]))),
    storeOnly: batch.storeOnly ?? false,
    ...(batch.expectedSequenceNumber == null ? {} : { expectedSequenceNumber: batch.expectedSequenceNumber }),
  };
}

/** Checks a list of Flux `Relationship`s (a Java Set; null means none). */
export function parseRelationships(input: unknown, what: string): Relationship[] {
  return parseWith(z.array(relationshipSchema).nullish(), input, what) ?? [];
}
