/**
 * Runs one order-service instance against a hub (FLUX_URL, default ws://127.0.0.1:8787) until
 * interrupted; start it twice to see two instances share the work. With `--demo` it also places
 * two orders, reads one back, pays it and finds it through search; the other gets a payment
 * reminder after REMINDER_AFTER_MS (default 15 minutes).
 *
 *   npx esbuild examples/order-service/main.ts --bundle --platform=node --format=esm \
 *     --packages=external --outfile=dist/order-service.mjs
 *   npx node dist/order-service.mjs [--demo]
 */
import { connect } from "@flux-edge/client";
import { findOrders, getOrder, payOrder, placeOrder, startOrderService } from "./service";

const flux = connect({ url: process.env.FLUX_URL ?? "ws://127.0.0.1:8787", clientName: "order-service" });
const reminderAfterMs = process.env.REMINDER_AFTER_MS ? Number(process.env.REMINDER_AFTER_MS) : undefined;
const service = startOrderService(flux, { reminderAfterMs });
await service.ready();
console.log(`order-service ${flux.clientId} running; Ctrl-C to stop`);

if (process.argv.includes("--demo")) {
  const orderId = await placeOrder(flux, { orderId: `o-${Date.now()}`, item: "espresso beans", quantity: 2 });
  let view = await getOrder(flux, orderId);
  while (!view) {
    await new Promise((r) => setTimeout(r, 100));
    view = await getOrder(flux, orderId);
  }
  console.log("placed and projected:", view);
  await payOrder(flux, orderId);
  const unpaid = await placeOrder(flux, { orderId: `o-${Date.now()}-unpaid`, item: "moka pot", quantity: 1 });
  await new Promise((r) => setTimeout(r, 1000));
  console.log("paid orders found by search:", await findOrders(flux, "paid"));
  console.log(`${unpaid} stays unpaid: a PaymentReminded event follows after the reminder delay`);
}

process.once("SIGINT", async () => {
  await service.stop();
  await flux.close();
  console.log("handled", service.handled);
});
