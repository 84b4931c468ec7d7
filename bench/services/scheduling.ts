/**
 * Scheduling workloads over `/scheduling`: Schedule requests of 500 schedules each (deadlines a
 * day ahead, so nothing is delivered while the clock runs), and delivery: a backlog of schedules all
 * due at one instant, counted arriving on the SCHEDULE log by a tracker (`tracking/readschedule`,
 * client-controlled index). The delivery clock runs from that instant to the last arrival; should
 * storing the backlog outlast its lead time, the figure includes the rest of the storing (it errs low).
 */
import type { Hub } from "../../test/support/hub";
import { FluxSocket, type Json, message } from "../../test/support/flux-socket";
import { readRequest } from "../../test/support/tracking";
import { payloadText } from "../shared/payload";
import { type Spread, encodeFrames, sendPipelined, timed } from "./wire";
import { type ServiceSet, type ServiceWorkload, sized } from "./workload";

const SCHEDULES_PER_REQUEST = 500;
const DAY_MS = 86_400_000;
const DELIVERY_TIMEOUT_MS = 90_000;

function scheduleBodies(count: number, deadline: number, prefix: string): Json[] {
  return Array.from({ length: count / SCHEDULES_PER_REQUEST }, (_, r) => ({
    "@type": "schedule",
    messages: Array.from({ length: SCHEDULES_PER_REQUEST }, (_, k) => {
      const i = r * SCHEDULES_PER_REQUEST + k;
      return { scheduleId: `${prefix}-${i}`, timestamp: deadline, message: message(JSON.parse(payloadText(i)), { type: "com.example.Reminder" }) };
    }),
    guarantee: "STORED",
  }));
}

/** Reads the SCHEDULE log of `projectId` until `count` messages arrived; resolves with when the last did. */
async function awaitDeliveries(hub: Hub, projectId: string, count: number): Promise<number> {
  const reader = await FluxSocket.open(hub.wsUrl, "tracking/readschedule", { projectId, clientId: "bench-svc-reader" });
  try {
    const giveUp = performance.now() + DELIVERY_TIMEOUT_MS;
    let lastIndex: unknown = -1;
    for (let seen = 0; ; ) {
      if (performance.now() > giveUp) throw new Error(`only ${seen} of ${count} schedules delivered within ${DELIVERY_TIMEOUT_MS} ms`);
      const read = readRequest("bench-deliveries", "t0", { lastIndex, clientControlledIndex: true, maxSize: 8192, maxTimeout: 2_000 });
      const batch = (await timed(reader, read, "readResult")).result.messageBatch;
      seen += batch.messages.length;
      lastIndex = batch.lastIndex ?? lastIndex;
      if (seen > count) throw new Error(`${seen} deliveries for ${count} schedules`);
      if (seen === count) return performance.now();
    }
  } finally {
    await reader.close();
  }
}

/** The scheduling workloads. */
export async function schedulingWorkloads(hub: Hub, quick: boolean, spread: Spread): Promise<ServiceSet> {
  const created = sized(10_000, quick, SCHEDULES_PER_REQUEST);
  const delivered = sized(10_000, quick, SCHEDULES_PER_REQUEST);
  // Lead time between planning the backlog and its deadline, to encode and store it all first: the
  // warm-up round starts generous and each round sets the next from how long that took.
  let leadMs = Math.round(1_000 + delivered / 2);

  const create: ServiceWorkload["run"] = async (r) => {
    const frames = await encodeFrames(scheduleBodies(created, Date.now() + DAY_MS, "later"), spread.connections);
    return { rate: created / (await sendPipelined(hub.wsUrl, "scheduling", `svc-sched-create-r${r}`, frames, spread.inFlight)) };
  };

  const deliver: ServiceWorkload["run"] = async (r) => {
    const projectId = `svc-sched-deliver-r${r}`;
    const planned = Date.now();
    const deadline = planned + leadMs;
    const frames = await encodeFrames(scheduleBodies(delivered, deadline, "due"), spread.connections);
    const arrived = awaitDeliveries(hub, projectId, delivered);
    // Marks a failure as handled until it is awaited below, should storing fail first.
    arrived.catch(() => {});
    await sendPipelined(hub.wsUrl, "scheduling", projectId, frames, spread.inFlight);
    const due = performance.now() + (deadline - Date.now());
    leadMs = Math.round(500 + 2 * (Date.now() - planned));
    return { rate: delivered / (((await arrived) - due) / 1000) };
  };

  const common = { service: "scheduling" as const, comparable: true };
  const workloads = [
    { ...common, id: "sched-create", label: "Schedule, 500 schedules/request", unit: "schedules/s", items: created, run: create },
    { ...common, id: "sched-deliver", label: "deliver a backlog due at once, to the SCHEDULE log", unit: "schedules/s", items: delivered, run: deliver },
  ];
  return { workloads, once: [] };
}
