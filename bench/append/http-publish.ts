/**
 * Workload: the HTTP publish path, POST /api/projects/:p/logs/event/messages with 100 plain JSON
 * payloads per request and several requests in flight. Bodies are built before the clock starts;
 * the hub assigns message ids, so the same bodies can be sent to fresh logs run after run.
 */
import { payloadText } from "../shared/payload";

/** How a run is shaped. */
export interface PublishPlan {
  /** Messages per request. */
  batch: number;
  messages: number;
  /** Requests awaiting their response at any time. */
  inFlight: number;
}

/** Request bodies of a run. */
export interface PreparedPublish {
  plan: PublishPlan;
  bodies: string[];
  wireBytes: number;
}

export function preparePublish(plan: PublishPlan): PreparedPublish {
  const bodies: string[] = [];
  for (let sent = 0; sent < plan.messages; sent += plan.batch) {
    const messages = Array.from({ length: plan.batch }, (_, i) => ({ payload: JSON.parse(payloadText(sent + i)), type: "com.example.Payload" }));
    bodies.push(JSON.stringify({ messages }));
  }
  return { plan, bodies, wireBytes: bodies.reduce((n, b) => n + Buffer.byteLength(b), 0) };
}

/** Posts a prepared run to the event log of `projectId`; resolves with the seconds it took. */
export async function runPublish(url: string, prepared: PreparedPublish, projectId: string): Promise<number> {
  const endpoint = `${url}/api/projects/${projectId}/logs/event/messages`;
  let next = 0;
  const lane = async () => {
    while (next < prepared.bodies.length) {
      const body = prepared.bodies[next++];
      const res = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body });
      const text = await res.text();
      if (!res.ok) throw new Error(`publish failed: ${res.status} ${text}`);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: prepared.plan.inFlight }, lane));
  return (performance.now() - start) / 1000;
}
