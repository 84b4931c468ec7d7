// The SDK's scheduling, search and web-request helpers against a real local hub.
import { describe, expect, it } from "vitest";
import { type FluxMessage, allOf, anyOf, between, contains, exists, facet, match, message, not, query } from "../../src/client";
import { useSdkHub } from "../support/sdk-hub";
import { sleep, until } from "../support/wait";

const sdk = useSdkHub();
const client = sdk.client;



describe("scheduling", () => {
  it("delivers a schedule on time to a SCHEDULE consumer; cancel and get work by id", async () => {
    const flux = client();
    const seen: { message: FluxMessage<{ orderId: string }>; at: number }[] = [];
    const consumer = flux.consume<{ orderId: string }>({
      consumer: "reminders",
      messageType: "SCHEDULE",
      typeFilter: "Reminder",
      handler: (m) => void seen.push({ message: m, at: Date.now() }),
    });
    await consumer.ready();
    const due = Date.now() + 1500;
    await flux.schedule({ orderId: "o-1" }, { scheduleId: "remind/o-1", at: new Date(due), type: "Reminder", metadata: { k: "v" } });
    await flux.schedule(message({ orderId: "o-2" }, { type: "Reminder" }), { scheduleId: "remind/o-2", at: due });
    await flux.cancelSchedule("remind/o-2");
    await flux.cancelSchedule("never-scheduled");

    const pending = await flux.getSchedule<{ orderId: string }>("remind/o-1");
    expect(pending).toMatchObject({ scheduleId: "remind/o-1", at: due, recurrence: null });
    expect(pending!.message.payload).toEqual({ orderId: "o-1" });
    expect(pending!.message.type).toBe("Reminder");
    expect(await flux.getSchedule("remind/o-2")).toBeNull();

    // ifAbsent keeps the pending schedule; without it the same id moves.
    await flux.schedule({ orderId: "o-3" }, { scheduleId: "remind/o-3", at: Date.now() + 60_000, type: "Reminder" });
    await flux.schedule({ orderId: "o-3" }, { scheduleId: "remind/o-3", at: Date.now() + 500, type: "Reminder", ifAbsent: true });
    expect((await flux.getSchedule("remind/o-3"))!.at).toBeGreaterThan(Date.now() + 50_000);

    await until(() => seen.length >= 1);
    await sleep(500);
    expect(seen.map((s) => s.message.payload.orderId)).toEqual(["o-1"]);
    expect(seen[0].at).toBeGreaterThanOrEqual(due);
    expect(seen[0].at - due).toBeLessThan(3000);
    expect(seen[0].message.metadata).toMatchObject({ k: "v", $scheduleId: "remind/o-1" });
    expect(await flux.getSchedule("remind/o-1")).toBeNull();
    await flux.cancelSchedule("remind/o-3");
    await consumer.stop();
  });

  it("repeats a schedule with a server-side recurrence until it is cancelled", async () => {
    const flux = client();
    const ticks: number[] = [];
    const consumer = flux.consume({ consumer: "ticks", messageType: "SCHEDULE", typeFilter: "Tick", handler: () => void ticks.push(Date.now()) });
    await consumer.ready();
    await flux.schedule({}, { scheduleId: "tick", at: Date.now() + 200, type: "Tick", recurrence: { delayMs: 1000 } });
    expect((await flux.getSchedule("tick"))!.recurrence).toEqual({ delayMs: 1000 });
    await until(() => ticks.length >= 2, 8000);
    await flux.cancelSchedule("tick");
    expect(ticks[1] - ticks[0]).toBeGreaterThanOrEqual(800);
    expect(await flux.getSchedule("tick")).toBeNull();
    const bad = await flux.schedule({}, { scheduleId: "bad", at: Date.now(), recurrence: { delayMs: 10 } }).catch((e) => e);
    expect(bad).toMatchObject({ code: "hub_error" });
    await consumer.stop();
  });
});

interface Order {
  orderId: string;
  customer: { name: string };
  item: string;
  status: "placed" | "paid";
  total: number;
  tags: string[];
  discount?: number;
}

describe("search", () => {
  const items = ["espresso beans", "green tea", "moka pot"];
  const orders: Order[] = Array.from({ length: 30 }, (_, i) => ({
    orderId: `o-${String(i).padStart(2, "0")}`,
    customer: { name: i % 2 ? "Zoë Ørsted" : "Alice Smith" },
    item: items[i % 3],
    status: i % 3 === 0 ? "paid" : "placed",
    total: i,
    tags: i % 5 === 0 ? ["gift", "priority"] : ["standard"],
    ...(i % 10 === 0 ? { discount: 5 } : {}),
  }));
  const ids = (hits: { id: string }[]) => hits.map((h) => h.id).sort();
  const where = (f: (o: Order) => boolean) => orders.filter(f).map((o) => o.orderId).sort();

  it("indexes plain JSON objects and finds them with every kind of constraint", async () => {
    const flux = client();
    const t0 = Date.UTC(2026, 0, 1);
    await flux.indexMany("orders", orders.map((o, i) => ({
      id: o.orderId,
      value: o,
      timestamp: t0 + i * 1000,
      facets: { status: o.status, tag: o.tags },
      sortables: { total: String(o.total).padStart(4, "0") },
    })));
    await flux.index("orders", "o-99", { orderId: "o-99", item: "gift card", total: 99 }, { timestamp: new Date(t0 + 99_000), facets: { status: "void" } });

    const search = () => flux.search<Order>("orders");
    expect(ids(await search().where(match("paid", "status")).fetch(100))).toEqual(where((o) => o.status === "paid"));
    expect(ids(await search().where(match("PAID", "status", { strict: true })).fetch())).toEqual([]);
    expect(ids(await search().where(contains("zoe", "customer/name")).fetch())).toEqual(where((o) => o.customer.name.startsWith("Zo")));
    expect(ids(await search().where(contains("esp", "item", { postfixSearch: true })).fetch())).toEqual(where((o) => o.item.startsWith("esp")));
    expect(ids(await search().where(between(10, 15, "total")).fetch())).toEqual(where((o) => o.total >= 10 && o.total < 15));
    expect(ids(await search().where(exists("discount")).fetch())).toEqual(where((o) => o.discount !== undefined));
    expect(ids(await search().where(query("tea | moka", "item")).fetch())).toEqual(where((o) => o.item !== "espresso beans"));
    expect(ids(await search().where(facet("tag", "gift")).fetch())).toEqual(where((o) => o.tags.includes("gift")));
    expect(ids(await search().where(facet("status", "void")).fetch())).toEqual(["o-99"]);
    expect(ids(await search().where(allOf(match("placed", "status"), not(match("green tea", "item"))), between(null, 10, "total")).fetch()))
      .toEqual(where((o) => o.status === "placed" && o.item !== "green tea" && o.total < 10));
    expect(ids(await search().where(anyOf(match("gift", "tags"), between(28, null, "total"))).fetch()))
      .toEqual([...where((o) => o.tags.includes("gift") || o.total >= 28), "o-99"].sort());
    expect(ids(await search().since(t0 + 25_000).before(t0 + 29_000, true).fetch())).toEqual(["o-25", "o-26", "o-27", "o-28", "o-29"]);

    // Order: newest first by default; by timestamp or a sortable path on request.
    expect((await search().first())!.id).toBe("o-99");
    expect((await search().sortBy("timestamp").first())!.id).toBe("o-00");
    expect((await search().where(match("paid", "status")).sortBy("-total").fetch(3)).map((h) => h.value.total)).toEqual([27, 24, 21]);

    const hit = (await search().where(match("o-07", "orderId")).first())!;
    expect(hit).toMatchObject({ id: "o-07", collection: "orders", timestamp: t0 + 7000, value: orders[7] });
    expect(hit.facets).toContainEqual({ name: "status", value: "placed" });
  });

  it("pages through every hit with lastHit, fetches, deletes by id and by query", async () => {
    const flux = client();
    const seen: string[] = [];
    for await (const hit of flux.search<Order>("orders").where(contains("standard", "tags")).sortBy("timestamp").pageSize(7)) seen.push(hit.id);
    const standard = where((o) => o.tags.includes("standard"));
    expect(seen).toEqual(standard);
    expect(seen.length).toBeGreaterThan(14);

    expect((await flux.getDocument<Order>("orders", "o-03"))!.value).toEqual(orders[3]);
    expect(await flux.getDocument("orders", "nope")).toBeUndefined();
    await flux.deleteDocument("orders", "o-03");
    expect(await flux.getDocument("orders", "o-03")).toBeUndefined();
    await flux.search("orders").where(match("paid", "status")).delete();
    expect(await flux.search("orders").where(match("paid", "status")).fetch()).toEqual([]);
    const bad = await flux.search("orders").where(query("(unclosed")).fetch().catch((e) => e);
    expect(bad).toMatchObject({ code: "hub_error" });
  });
});

describe("web requests", () => {
  it("answers HTTP calls under the hub's /web prefix with handleWebRequests", async () => {
    const flux = client("web-app");
    const handler = flux.handleWebRequests({
      consumer: "web-app",
      handler: (req) => {
        if (req.path === "/boom") throw new Error("boom");
        if (req.method === "POST" && req.path.startsWith("/orders/")) {
          return {
            status: 201,
            headers: { "x-order": req.path.split("/")[2], "set-cookie": ["a=1", "b=2"] },
            body: { received: req.json(), verbose: req.query.get("verbose"), trace: req.headers.get("X-Trace") },
          };
        }
        return { body: `hello ${req.method} ${req.url}`, headers: { "content-type": "text/plain" } };
      },
    });
    await handler.ready();
    const posted = await fetch(`${sdk.hub.url}/web/orders/o-1?verbose=1`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-trace": "t-1" },
      body: JSON.stringify({ item: "beans" }),
    });
    expect(posted.status).toBe(201);
    expect(posted.headers.get("x-order")).toBe("o-1");
    expect(posted.headers.get("content-type")).toBe("application/json");
    expect(posted.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await posted.json()).toEqual({ received: { item: "beans" }, verbose: "1", trace: "t-1" });

    const got = await fetch(`${sdk.hub.url}/web/ping?x=y`);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("text/plain");
    expect(await got.text()).toBe("hello GET /ping?x=y");

    const failed = await fetch(`${sdk.hub.url}/web/boom`);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: "handler_error" });

    const parallel = await Promise.all(Array.from({ length: 10 }, (_, i) => fetch(`${sdk.hub.url}/web/n/${i}`).then((r) => r.text())));
    expect(parallel).toEqual(Array.from({ length: 10 }, (_, i) => `hello GET /n/${i}`));
    await handler.stop();
  });
});
