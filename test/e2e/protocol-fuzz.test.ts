/**
 * The protocol fuzzer: seeded mutated frames on every endpoint in every compression, each followed
 * by a valid request on the same socket that must be answered normally. No socket may close, and
 * the sentinels written before (a value, events, a schedule, a document, messages of another log)
 * must read back unchanged at the end. FUZZ_SEED and FUZZ_FRAMES change the run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Compression } from "../../src/protocol/compression";
import { serializeJsonDocument } from "../../src/protocol/document";
import { FluxSocket, type Json, message } from "../support/flux-socket";
import { Random, mutatedFrame } from "../support/fuzz";
import { type Hub, startHub } from "../support/hub";

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
// 1,000 per endpoint and compression (18,000 frames, 3,000 per endpoint) runs in about half a minute on 2 busy cores.
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 1000);
const PROJECT = { projectId: "fuzz" };
const COMPRESSIONS: Compression[] = ["NONE", "GZIP", "LZ4"];
// Probe ids sit far above the ids mutated frames carry, so a reply is never taken for another's.
const PROBE_BASE = 9_000_000_000_000;

/** Per endpoint: a valid request and the result type it must get. */
const PROBES: Record<string, [Json, string]> = {
  "tracking/publishevent": [{ "@type": "append", messages: [message("probe")], guarantee: "STORED" }, "void"],
  "tracking/readevent": [{ "@type": "readFromIndex", minIndex: 0, maxSize: 1 }, "readFromIndexResult"],
  eventSourcing: [{ "@type": "getEvents", aggregateId: "sentinel-agg", lastSequenceNumber: -1 }, "getEventsResult"],
  keyValue: [{ "@type": "getValue", key: "sentinel-key" }, "getValueResult"],
  scheduling: [{ "@type": "getSchedule", scheduleId: "sentinel-schedule" }, "getScheduleResult"],
  search: [{ "@type": "getDocument", id: "sentinel-doc", collection: "sentinel" }, "getDocumentResult"],
};

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

/** Writes the sentinels and returns a function that reads them back as comparable JSON. */
async function sentinels(): Promise<() => Promise<Json>> {
  const sockets: Record<string, FluxSocket> = {};
  for (const path of ["tracking/publishcustom", "tracking/readcustom", "eventSourcing", "keyValue", "scheduling", "search"]) {
    sockets[path] = await FluxSocket.open(hub.wsUrl, path, path.endsWith("custom") ? { ...PROJECT, topic: "sentinel" } : PROJECT);
  }
  const ok = async (socket: FluxSocket, request: Json) => expect((await socket.request(request))["@type"]).not.toBe("error");
  await ok(sockets["tracking/publishcustom"], { "@type": "append", messages: [message({ s: 1 }), message({ s: 2 })], guarantee: "STORED" });
  await ok(sockets.eventSourcing, { "@type": "appendEvents", eventBatches: [{ aggregateId: "sentinel-agg", events: [message({ e: 1 }), message({ e: 2 })], storeOnly: false }], guarantee: "STORED" });
  await ok(sockets.keyValue, { "@type": "storeValues", values: [{ key: "sentinel-key", value: { value: "c2VudGluZWw=", type: "S", revision: 1 } }], guarantee: "STORED" });
  await ok(sockets.scheduling, { "@type": "schedule", messages: [{ scheduleId: "sentinel-schedule", timestamp: Date.now() + 86_400_000, message: message("s") }], guarantee: "STORED" });
  const doc = serializeJsonDocument({ id: "sentinel-doc", collection: "sentinel", timestamp: 1000, end: 1000, value: { keep: "me" } });
  await ok(sockets.search, { "@type": "indexDocuments", documents: [doc], ifNotExists: false, guarantee: "STORED" });
  const strip = ({ requestId: _r, timestamp: _t, ...rest }: Json) => rest;
  return async () => ({
    log: strip(await sockets["tracking/readcustom"].request({ "@type": "readFromIndex", minIndex: 0, maxSize: 10 })),
    events: strip(await sockets.eventSourcing.request({ "@type": "getEvents", aggregateId: "sentinel-agg", lastSequenceNumber: -1 })),
    value: strip(await sockets.keyValue.request({ "@type": "getValue", key: "sentinel-key" })),
    schedule: strip(await sockets.scheduling.request({ "@type": "getSchedule", scheduleId: "sentinel-schedule" })),
    document: strip(await sockets.search.request({ "@type": "getDocument", id: "sentinel-doc", collection: "sentinel" })),
  });
}

/** Fuzzes one endpoint in one compression with its own seeded generator; returns the problems seen. */
async function fuzz(path: string, compression: Compression, seed: number): Promise<string[]> {
  const rng = new Random(seed);
  const socket = await FluxSocket.open(hub.wsUrl, path, PROJECT, compression);
  const problems: string[] = [];
  const dropped = (code: number) => problems.push(`${path} ${compression}: socket closed with ${code}`);
  socket.ws.on("close", dropped);
  let nextId = 1;
  const [probe, expected] = PROBES[path];
  const window: Promise<Json>[] = [];
  for (let i = 0; i < FRAMES; i++) {
    socket.sendRaw(await mutatedFrame(rng, path, compression, () => nextId++));
    const [id] = await socket.send({ ...structuredClone(probe), requestId: PROBE_BASE + i });
    window.push(socket.result(id, 30_000).then((r) => {
      if (r["@type"] !== expected) problems.push(`${path} ${compression}: probe after frame ${i} got ${JSON.stringify(r).slice(0, 300)}`);
      return r;
    }));
    if (window.length >= 25) await Promise.all(window.splice(0));
  }
  await Promise.all(window);
  const internal = socket.received.filter((r) => r.message === "internal error").length;
  if (internal > 0) problems.push(`${path} ${compression}: ${internal} requests answered "internal error"`);
  socket.ws.off("close", dropped);
  await socket.close();
  return problems;
}

describe("protocol fuzzer", () => {
  it(`survives ${FRAMES} mutated frames per endpoint and compression (seed ${SEED})`, { timeout: 300_000 }, async () => {
    const readBack = await sentinels();
    const before = await readBack();
    const started = Date.now();
    // The endpoints of one compression run side by side, each on its own socket and object.
    const problems: string[] = [];
    for (const [c, compression] of COMPRESSIONS.entries()) {
      const runs = Object.keys(PROBES).map((path, p) => fuzz(path, compression, SEED + 100 * c + p));
      problems.push(...(await Promise.all(runs)).flat());
    }
    console.log(`fuzzed ${FRAMES * COMPRESSIONS.length * Object.keys(PROBES).length} frames in ${Date.now() - started} ms (seed ${SEED})`);
    expect(problems).toEqual([]);
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
    expect(await readBack()).toEqual(before);
  });
});
