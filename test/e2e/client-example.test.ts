import { afterAll, beforeAll, expect, it } from "vitest";
import { type FluxClient, FluxError, connect } from "../../src/client";
import { getOrder, placeOrder, startOrderService } from "../../examples/order-service/service";
import { type Hub, startHub } from "../support/hub";

let hub: Hub;
const clients: FluxClient[] = [];
const quiet = { warn() {}, error() {} };

beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await hub?.dispose();
});

function client(clientName: string): FluxClient {
  const c = connect({ url: hub.wsUrl, clientName, logger: quiet });
  clients.push(c);
  return c;
}

it("runs the order service on two instances that share the commands, events and queries", async () => {
  const instances = [startOrderService(client("order-service")), startOrderService(client("order-service"))];
  await new Promise((r) => setTimeout(r, 1000));
  const web = client("web");
  const ids = Array.from({ length: 24 }, (_, i) => `order-${i}`);
  expect(await Promise.all(ids.map((orderId) => placeOrder(web, { orderId, item: "beans", quantity: 1 + (orderId.length % 3) })))).toEqual(ids);
  for (const orderId of ids) {
    let view = await getOrder(web, orderId);
    for (let i = 0; !view && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = await getOrder(web, orderId);
    }
    expect(view).toMatchObject({ orderId, item: "beans", status: "placed" });
  }
  const [a, b] = instances.map((s) => s.handled);
  expect(a.commands + b.commands).toBe(24);
  expect(a.events + b.events).toBe(24);
  expect(a.commands).toBeGreaterThan(0);
  expect(b.commands).toBeGreaterThan(0);
  expect(a.queries + b.queries).toBeGreaterThanOrEqual(24);
  const events = await web.eventStore.getEvents<{ orderId: string }>("order-3");
  expect(events.map((e) => [e.type, e.payload.orderId])).toEqual([["OrderPlaced", "order-3"]]);
  const rejected = await placeOrder(web, { orderId: "order-x", item: "beans", quantity: 0 }).catch((e) => e);
  expect(rejected).toBeInstanceOf(FluxError);
  expect(rejected.code).toBe("handler_error");
  await Promise.all(instances.map((s) => s.stop()));
});
