/**
 * Seeded mutations of Flux frames for the protocol fuzzer: valid requests of each endpoint, bent
 * at the JSON level (wrong types, huge or odd values, deep nesting, missing or unknown fields,
 * foreign request types, batches) and at the byte level (flipped, cut or inserted bytes, before
 * or after compression). The same seed gives the same frames.
 */
import { type Compression, compress } from "../../src/protocol/compression";
import { serializeJsonDocument } from "../../src/protocol/document";
import { type Json, message } from "./flux-socket";

/** A small, fast, seeded generator (mulberry32). */
export class Random {
  constructor(private state: number) {}

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const REQUEST_TYPES = [
  "append", "setRetentionTime", "read", "readFromIndex", "claimSegment", "storePosition", "resetPosition", "getPosition",
  "disconnectTracker", "appendEvents", "getEvents", "deleteEvents", "getAggregateIds", "getRelationships", "updateRelationships",
  "storeValues", "storeValueIfAbsent", "getValue", "deleteValue", "schedule", "cancelSchedule", "getSchedule",
  "indexDocuments", "searchDocuments", "getDocument", "hasDocument", "deleteDocumentById", "getDocumentStats",
  "getFacetStats", "getSearchHistogram", "bulkUpdateDocuments", "requestBatch", "nonsense",
];

const nest = (depth: number, inner: string) => "[".repeat(depth) + inner + "]".repeat(depth);

/** JSON texts of odd values, some of which JSON.stringify cannot write (1e400). */
const ODD_VALUES = [
  "null", "true", "0", "-1", "1e400", "-1e400", "1e-400", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
  "0.5", '""', '"abc"', '"\\u0000raw0"', '"\\ud800"', '"1,\\"@type\\":\\"void\\""', '"BOGUS"', '"STORED"', "[]", "{}", '{"a":1}',
  '"!!not base64!!"', `"${"x".repeat(5000)}"`, nest(70, "1"), nest(300, ""), '{"@type":"requestBatch","requests":[]}',
];

/** Valid requests of one endpoint; none touches the sentinels (other keys, ids, logs). */
export function templates(path: string): Json[] {
  const now = Date.now();
  switch (path) {
    case "tracking/publishevent":
      return [
        { "@type": "append", messages: [message({ n: 1 }), message({ n: 2 }, { segment: 5 })], guarantee: "STORED" },
        { "@type": "append", messages: [message("x")], guarantee: "NONE" },
      ];
    case "tracking/readevent":
      return [
        { "@type": "readFromIndex", minIndex: 0, maxSize: 5 },
        { "@type": "read", consumer: "fuzz", trackerId: "t1", maxSize: 10, maxTimeout: 0, typeFilter: "com\\..*", lastIndex: -1 },
        { "@type": "getPosition", consumer: "fuzz" },
        { "@type": "storePosition", consumer: "fuzz", segment: [0, 128], lastIndex: 1, guarantee: "STORED" },
        { "@type": "claimSegment", consumer: "fuzz", trackerId: "t2", maxTimeout: 0 },
        { "@type": "disconnectTracker", consumer: "fuzz", trackerId: "t1", sendFinalEmptyBatch: false },
      ];
    case "eventSourcing":
      return [
        { "@type": "appendEvents", eventBatches: [{ aggregateId: "fuzz-agg", events: [message({ e: 1 })], storeOnly: false }], guarantee: "STORED" },
        { "@type": "getEvents", aggregateId: "fuzz-agg", lastSequenceNumber: -1, batchSize: 10 },
        { "@type": "getAggregateIds", entityId: "fuzz-entity" },
        { "@type": "updateRelationships", associations: [{ entityId: "e", aggregateId: "fuzz-agg", aggregateType: "T" }], dissociations: [], guarantee: "STORED" },
      ];
    case "keyValue":
      return [
        { "@type": "storeValues", values: [{ key: "fuzz-key", value: { value: "MQ==", type: "T", revision: 0 } }], guarantee: "STORED" },
        { "@type": "getValue", key: "fuzz-key" },
        { "@type": "storeValueIfAbsent", value: { key: "fuzz-key-2", value: { value: "Mg==", type: "T", revision: 0 } } },
        { "@type": "deleteValue", key: "fuzz-key", guarantee: "STORED" },
      ];
    case "scheduling":
      return [
        { "@type": "schedule", messages: [{ scheduleId: "fuzz-s", timestamp: now + 3_600_000, message: message("later") }], guarantee: "STORED" },
        { "@type": "getSchedule", scheduleId: "fuzz-s" },
        { "@type": "cancelSchedule", scheduleId: "fuzz-s", guarantee: "STORED" },
      ];
    case "search":
      return [
        { "@type": "indexDocuments", documents: [serializeJsonDocument({ id: "fuzz-d", collection: "fuzz", timestamp: now, end: now, value: { a: "b c" } })], ifNotExists: false, guarantee: "STORED" },
        { "@type": "searchDocuments", query: { collection: ["fuzz"], constraints: [{ query: "b" }] }, maxSize: 10 },
        { "@type": "getDocument", id: "fuzz-d", collection: "fuzz" },
        { "@type": "getDocumentStats", query: { collection: ["fuzz"], constraints: [] }, fields: ["a"], groupBy: [] },
      ];
    default:
      throw new Error(`no templates for ${path}`);
  }
}

/** Every place in a JSON value: [container, key] pairs. */
function places(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push([value as Record<string, unknown>, Array.isArray(value) ? Number(k) : k]);
      places(v, out);
    }
  }
  return out;
}

const ODD = "\u0001odd:"; // stands for an ODD_VALUES text until the JSON is written

/** One mutated request as JSON text. */
function mutatedRequest(rng: Random, template: Json, requestId: number): string {
  const request = structuredClone(template) as Json;
  request.requestId = requestId;
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const all = places(request);
    const [container, key] = rng.pick(all);
    const r = rng.int(6);
    const c = container as Record<string | number, unknown>;
    if (r === 0) delete c[key];
    else if (r === 1) c[key] = `${ODD}${rng.int(ODD_VALUES.length)}`;
    else if (r === 2) c[`unknown${rng.int(9)}`] = `${ODD}${rng.int(ODD_VALUES.length)}`;
    else if (r === 3) request["@type"] = rng.pick(REQUEST_TYPES);
    else if (r === 4) c[key] = rng.pick([null, -1, 0, 2 ** 31, "", [], {}, "fuzz"]);
    else c[key] = `${ODD}${rng.int(ODD_VALUES.length)}`;
  }
  if (rng.int(10) === 0) request.requestId = `${ODD}${rng.int(ODD_VALUES.length)}`;
  return JSON.stringify(request).replace(/"\\u0001odd:(\d+)"/g, (_, i: string) => ODD_VALUES[Number(i)]);
}

/** Flips, cuts or inserts a few bytes. */
function mangle(rng: Random, bytes: Uint8Array): Uint8Array {
  const out = [...bytes];
  for (let n = 1 + rng.int(4); n > 0 && out.length > 0; n--) {
    const at = rng.int(out.length);
    const r = rng.int(3);
    if (r === 0) out[at] = rng.int(256);
    else if (r === 1) out.splice(at, 1 + rng.int(8));
    else out.splice(at, 0, rng.int(256));
  }
  if (rng.int(8) === 0) out.length = rng.int(out.length + 1);
  return Uint8Array.from(out);
}

/** The next mutated frame for `path`: one request or a batch, bent, then compressed (and maybe bent again). */
export async function mutatedFrame(rng: Random, path: string, compression: Compression, nextId: () => number): Promise<Uint8Array> {
  const pool = templates(path);
  const count = rng.int(4) === 0 ? 2 + rng.int(4) : 1;
  const requests = Array.from({ length: count }, () =>
    rng.int(4) === 0 ? JSON.stringify({ ...rng.pick(pool), requestId: nextId() }) : mutatedRequest(rng, rng.pick(pool), nextId()),
  );
  let text = count === 1 ? requests[0] : `{"@type":"requestBatch","requests":[${requests.join(",")}]}`;
  if (rng.int(5) === 0) text = text.slice(0, rng.int(text.length));
  let bytes = new TextEncoder().encode(text);
  const stage = rng.int(6);
  if (stage === 0) bytes = mangle(rng, bytes);
  bytes = await compress(bytes, compression);
  if (stage === 1) bytes = mangle(rng, bytes);
  return bytes;
}
