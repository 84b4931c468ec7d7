/**
 * Requests shaped exactly as the Flux Java client serialises them (Jackson with nulls included,
 * every Lombok getter a field, enums by name, `Instant`s as ISO strings): the field lists are
 * those of common/…/api/** in flux-capacitor-client, see docs/protocol.md.
 */
import type { Json } from "./flux-socket";
import { readRequest } from "./tracking";

/** `Data<byte[]>`: `getFormat()` turns a null format into "application/json". */
export function javaData(payload: unknown, type: string | null = "com.example.Payload"): Json {
  return { value: Buffer.from(JSON.stringify(payload)).toString("base64"), type, revision: 0, format: "application/json" };
}

/** `SerializedMessage` with every field, `originalRevision` (a getter over a transient field) included. */
export function javaMessage(payload: unknown, extra: Json = {}): Json {
  return {
    data: javaData(payload, extra.type ?? "com.example.Payload"),
    metadata: {},
    segment: null,
    index: null,
    source: null,
    target: null,
    requestId: null,
    timestamp: Date.now(),
    messageId: crypto.randomUUID(),
    originalRevision: 0,
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "type")),
  };
}

/** `Read` with the derived `ignoreMessageTarget` getter. */
export function javaRead(messageType: string, consumer: string, trackerId: string, extra: Json = {}): Json {
  const read = readRequest(consumer, trackerId, { messageType, maxTimeout: 60_000, ...extra });
  return { ...read, ignoreMessageTarget: !read.filterMessageTarget };
}

/** `Schedule{messages: SerializedSchedule[], guarantee}`. */
export function javaSchedule(entries: { scheduleId: string; timestamp: number | bigint; message: Json; ifAbsent?: boolean }[], guarantee = "STORED"): Json {
  return {
    "@type": "schedule",
    messages: entries.map((e) => ({ scheduleId: e.scheduleId, timestamp: e.timestamp, message: e.message, ifAbsent: e.ifAbsent ?? false })),
    guarantee,
  };
}

/** `SearchQuery` as the client's builder leaves it: no window, no constraints. */
export function javaQuery(collection: string, extra: Json = {}): Json {
  return { collection: [collection], since: null, before: null, sinceExclusive: false, beforeInclusive: false, constraints: [], ...extra };
}
