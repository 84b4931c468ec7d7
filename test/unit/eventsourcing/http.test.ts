import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/http/app";
import { eventSourcingRoutes } from "../../../src/http/eventsourcing";
import { MAX_VALUE_CHARS } from "../../../src/keyvalue/validation";
import type { SerializedMessage } from "../../../src/protocol/messages";
import { event } from "./helpers";

const app = createApp().route("/api/projects/:projectId/aggregates", eventSourcingRoutes);
const url = (aggregateId: string, query = "", project = "es-http") => `http://hub/api/projects/${project}/aggregates/${aggregateId}/events${query}`;
const post = (aggregateId: string, body: unknown) =>
  app.request(url(aggregateId), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, env);

interface Page {
  aggregateId: string;
  events: SerializedMessage[];
  lastSequenceNumber: number;
}

describe("event-sourcing HTTP routes", () => {
  it("appends and pages through a stream", async () => {
    const events = Array.from({ length: 5 }, (_, i) => event({ i }));
    const created = await post("order-1", { events: events.slice(0, 3) });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ aggregateId: "order-1", firstSequenceNumber: 0, lastSequenceNumber: 2 });
    expect(await (await post("order-1", { events: events.slice(3), expectedSequenceNumber: 2 })).json()).toMatchObject({ lastSequenceNumber: 4 });

    const first = (await (await app.request(url("order-1", "?limit=2"), {}, env)).json()) as Page;
    expect(first.events.map((e) => e.messageId)).toEqual(events.slice(0, 2).map((e) => e.messageId));
    expect(first.lastSequenceNumber).toBe(1);
    const rest = (await (await app.request(url("order-1", `?after=${first.lastSequenceNumber}`), {}, env)).json()) as Page;
    expect(rest.events.map((e) => e.messageId)).toEqual(events.slice(2).map((e) => e.messageId));
    expect(rest).toMatchObject({ aggregateId: "order-1", lastSequenceNumber: 4 });
  });

  it("answers a stale expectedSequenceNumber with 409 naming the actual sequence number", async () => {
    await post("order-2", { events: [event(1)] });
    const stale = await post("order-2", { events: [event(2)], expectedSequenceNumber: -1 });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: "conflict", aggregateId: "order-2", expectedSequenceNumber: -1, actualSequenceNumber: 0 });
  });

  it("rejects bad input with clear errors", async () => {
    const status = async (r: Response | Promise<Response>, code: number, text?: string) => {
      const res = await r;
      expect(res.status).toBe(code);
      if (text) expect(((await res.json()) as { message: string }).message).toContain(text);
    };
    await status(app.request(url("order-3", "?after=-2"), {}, env), 400, "after");
    await status(app.request(url("order-3", "?limit=0"), {}, env), 400, "limit");
    await status(app.request(url("order-3", "?limit=9000"), {}, env), 400, "limit");
    await status(app.request(url(""), {}, env), 404);
    await status(post("order-3", { events: [] }), 400, "events");
    await status(post("order-3", { events: [event(1)], expectedSequenceNumber: -5 }), 400, "expectedSequenceNumber");
    await status(post("order-3", { events: [{ data: { value: "%%%" } }] }), 400, "base64");
    await status(post("order-3", { events: [{ data: { value: "A".repeat(MAX_VALUE_CHARS + 4) } }] }), 413);
    await status(app.request(url("order-3"), { method: "POST", body: "{" }, env), 400);
    await status(app.request(url("order-3", "", "bad project!"), {}, env), 400);
  });
});
