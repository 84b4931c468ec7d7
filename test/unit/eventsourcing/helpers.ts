// Test helpers: Flux events and readers of the EVENT log.
import { env } from "cloudflare:test";
import { readFromIndex } from "../../../src/log/log-client";
import type { SerializedMessage } from "../../../src/protocol/messages";

/** A Flux event with a JSON payload and a fresh messageId. */
export function event(payload: unknown, messageId: string = crypto.randomUUID()): SerializedMessage {
  return {
    data: { value: btoa(JSON.stringify(payload)), type: "com.example.OrderEvent", revision: 0, format: null },
    metadata: { $aggregateType: "com.example.Order" },
    messageId,
    timestamp: 1_700_000_000_000,
  };
}

/** The messageIds on a project's EVENT log, in log order. */
export async function eventLogIds(projectId: string): Promise<string[]> {
  const { messages } = await readFromIndex(env, { projectId, type: "EVENT", topic: null }, 0n, 10_000);
  return messages.map((m) => (JSON.parse(m) as SerializedMessage).messageId!);
}
