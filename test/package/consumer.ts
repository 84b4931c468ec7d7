// A user of the packed SDK in strict TypeScript, resolved as Node resolves it (NodeNext).
import { type Consumer, FluxError, type FluxMessage, connect, match } from "@flux-edge/client";

interface Order {
  orderId: string;
  status: "placed" | "paid";
}

const flux = connect({ url: process.env.FLUX_URL ?? "ws://127.0.0.1:8787", clientName: "strict-ts", logger: { warn() {}, error() {} } });
const seen: FluxMessage<Order>[] = [];
const consumer: Consumer = flux.consume<Order>({ consumer: "strict-ts", messageType: "EVENT", typeFilter: "OrderPlaced", handler: (m) => void seen.push(m) });
await consumer.ready();
await flux.publish("EVENT", [{ orderId: "o-1", status: "placed" } satisfies Order], { type: "OrderPlaced", guarantee: "STORED" });
await flux.index("orders", "o-1", { orderId: "o-1", status: "placed" } satisfies Order);
const hits = await flux.search<Order>("orders").where(match("placed", "status")).fetch(10);
const sequence: number = await flux.eventStore.appendEvents("o-1", [{ orderId: "o-1" }], { storeOnly: true });
let code: string | undefined;
try {
  await flux.query({ orderId: "o-1" }, { type: "GetOrder" });
} catch (e) {
  if (e instanceof FluxError) code = e.code;
}
while (seen.length === 0) await new Promise((r) => setTimeout(r, 20));
await consumer.stop();
await flux.close();
console.log(JSON.stringify({ orderIds: seen.map((m) => m.payload.orderId), hits: hits.map((h) => h.value.status), sequence, code }));
