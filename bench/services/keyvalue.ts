/**
 * Key-value workloads over `/keyValue`: storeValues with STORED, 100 values of 200 bytes per
 * request (spread by the hub over its 16 shards), and getValue, one key per request, both pipelined.
 */
import type { Hub } from "../../test/support/hub";
import type { Json } from "../../test/support/flux-socket";
import { payloadText } from "../shared/payload";
import { type Spread, encodeFrames, sendPipelined } from "./wire";
import { type ServiceSet, sized } from "./workload";

const VALUES_PER_REQUEST = 100;
/** getValue reads keys stored in this project once, before the rounds. */
const READ_PROJECT = "svc-kv-read";

const key = (i: number) => `customer-${i}`;
const value = (i: number) => ({ value: Buffer.from(payloadText(i)).toString("base64"), type: "com.example.Customer", revision: 0 });

function storeBodies(values: number): Json[] {
  return Array.from({ length: values / VALUES_PER_REQUEST }, (_, r) => ({
    "@type": "storeValues",
    values: Array.from({ length: VALUES_PER_REQUEST }, (_, k) => ({ key: key(r * VALUES_PER_REQUEST + k), value: value(r * VALUES_PER_REQUEST + k) })),
    guarantee: "STORED",
  }));
}

/** The key-value workloads; stores the values getValue reads first. */
export async function keyValueWorkloads(hub: Hub, quick: boolean, spread: Spread): Promise<ServiceSet> {
  const values = sized(8_000, quick, VALUES_PER_REQUEST);
  const gets = sized(2_000, quick);
  const stores = await encodeFrames(storeBodies(values), spread.connections);
  await sendPipelined(hub.wsUrl, "keyValue", READ_PROJECT, stores, spread.inFlight);
  const reads = await encodeFrames(Array.from({ length: gets }, (_, i) => ({ "@type": "getValue", key: key((i * 7919) % values) })), spread.connections);
  const common = { service: "key-value" as const, comparable: true };
  const workloads: ServiceSet["workloads"] = [
    {
      ...common, id: "kv-store", label: "storeValues, 100 values/request", unit: "values/s", items: values,
      run: async (r) => ({ rate: values / (await sendPipelined(hub.wsUrl, "keyValue", `svc-kv-r${r}`, stores, spread.inFlight)) }),
    },
    {
      ...common, id: "kv-get", label: "getValue, 1 key/request", unit: "values/s", items: gets,
      run: async () => ({ rate: gets / (await sendPipelined(hub.wsUrl, "keyValue", READ_PROJECT, reads, spread.inFlight, "getValueResult")) }),
    },
  ];
  return { workloads, once: [] };
}
