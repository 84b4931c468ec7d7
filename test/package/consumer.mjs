// A user of the packed SDK in plain JavaScript: no loader, no bundler, no types.
import { FluxError, connect, message } from "@flux-edge/client";

const flux = connect({ url: process.env.FLUX_URL, clientName: "plain-js", logger: { warn() {}, error() {} } });
const seen = [];
const consumer = flux.consume({ consumer: "plain-js", messageType: "EVENT", typeFilter: "Greeted", handler: (m) => void seen.push(m.payload) });
const prices = flux.consume({ consumer: "plain-js-prices", messageType: "QUERY", handler: (m) => ({ sku: m.payload.sku, price: 3 }) });
await Promise.all([consumer.ready(), prices.ready()]);
await flux.publish("EVENT", [message({ hello: "world" }, { type: "Greeted" })], { guarantee: "STORED" });
const answer = await flux.query({ sku: "s-1" }, { type: "GetPrice" });
const sequence = await flux.eventStore.appendEvents(`plain-${process.versions.node}`, [{ n: 1 }], { storeOnly: true });
const conflict = await flux.eventStore.appendEvents(`plain-${process.versions.node}`, [{ n: 2 }], { expectedSequenceNumber: 5 }).catch((e) => e);
while (seen.length === 0) await new Promise((r) => setTimeout(r, 20));
await Promise.all([consumer.stop(), prices.stop()]);
await flux.close();
console.log(JSON.stringify({ node: process.versions.node, seen, answer, sequence, conflict: conflict instanceof FluxError && [conflict.code, conflict.expected, conflict.actual] }));
