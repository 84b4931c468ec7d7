import { expect, it } from "vitest";
import { FluxError } from "../../src/client";
import { findOrders, getOrder, payOrder, placeOrder, startOrderService } from "../../examples/order-service/service";
import { useSdkHub } from "../support/sdk-hub";
import { sleep, until } from "../support/wait";

const sdk = useSdkHub();
const client = sdk.client;

it("runs the order service on two instances that share the commands, events, queries, search projection and reminders", async () => {
  const reminderAfterMs = 6000;
  const instances = [0, 1].map(() => startOrderService(client("order-service"), { reminderAfterMs }));
  await Promise.all(instances.map((s) => s.ready()));
  const web = client("web");
  const ids = Array.from({ length: 24 }, (_, i) => `order-${i}`);
  const placedAt = Date.now();
  // Even orders are paid as soon as they are placed; odd ones stay unpaid and get a reminder.
  const paid = ids.filter((_, i) => i % 2 === 0);
  const unpaid = ids.filter((_, i) => i % 2 === 1);
  const payDelays: number[] = [];
  const placed = await Promise.all(ids.map(async (orderId, i) => {
    const id = await placeOrder(web, { orderId, item: "beans", quantity: 1 + (orderId.length % 3) });
    const start = Date.now();
    if (i % 2 === 0) await payOrder(web, orderId);
    payDelays.push(Date.now() - start);
    return id;
  }));
  expect(placed).toEqual(ids);
  // Each order was paid well before its reminder was due (which would otherwise count as a reminder).
  expect(Math.max(...payDelays)).toBeLessThan(reminderAfterMs);
  expect(await web.getSchedule(`payment-reminder/${paid[0]}`)).toBeNull();

  for (const [i, orderId] of ids.entries()) {
    const status = i % 2 === 0 ? "paid" : "placed";
    let view = await getOrder(web, orderId);
    for (let n = 0; view?.status !== status && n < 100; n++) {
      await sleep(50);
      view = await getOrder(web, orderId);
    }
    expect(view).toMatchObject({ orderId, item: "beans", status });
  }
  await until(async () => (await findOrders(web, "paid")).length === paid.length && (await findOrders(web, "placed")).length === unpaid.length, 15_000, 100);
  expect((await findOrders(web, "paid")).sort()).toEqual([...paid].sort());
  expect((await findOrders(web, "placed")).sort()).toEqual([...unpaid].sort());

  const handled = () => instances.map((s) => s.handled);
  await until(() => handled()[0].reminders + handled()[1].reminders >= unpaid.length, 15_000, 100);
  await sleep(500);
  const [a, b] = handled();
  expect(a.reminders + b.reminders).toBe(unpaid.length);
  expect(Date.now() - placedAt).toBeGreaterThanOrEqual(reminderAfterMs);
  expect(a.commands + b.commands).toBe(36);
  expect(a.events + b.events).toBe(36);
  expect(a.indexed + b.indexed).toBe(36);
  expect(a.commands).toBeGreaterThan(0);
  expect(b.commands).toBeGreaterThan(0);
  expect(a.events).toBeGreaterThan(0);
  expect(b.events).toBeGreaterThan(0);
  expect(a.queries + b.queries).toBeGreaterThanOrEqual(24);
  const typesOf = async (orderId: string) => (await web.eventStore.getEvents(orderId)).map((e) => e.type);
  expect(await typesOf("order-3")).toEqual(["OrderPlaced", "PaymentReminded"]);
  expect(await typesOf("order-4")).toEqual(["OrderPlaced", "OrderPaid"]);
  const events = await web.eventStore.getEvents<{ orderId: string }>("order-3");
  expect(events[0].payload.orderId).toBe("order-3");

  const rejected = await placeOrder(web, { orderId: "order-x", item: "beans", quantity: 0 }).catch((e) => e);
  expect(rejected).toBeInstanceOf(FluxError);
  expect(rejected.code).toBe("handler_error");
  const paidTwice = await payOrder(web, "order-0").catch((e) => e);
  expect(paidTwice).toMatchObject({ code: "handler_error", message: "order order-0 is already paid" });
  await Promise.all(instances.map((s) => s.stop()));
});
