/**
 * Appends to one log that are issued in the same turn (the Append requests a Flux client packs
 * into one requestBatch frame) go out as one call per partition instead of one call and one
 * commit each. Order is kept: messages are stored in the order the appends were issued.
 */
import type { SerializedMessage } from "../protocol/messages";
import type { LogAddress } from "./log-address";
import { appendChecked } from "./log-client";

interface Pending {
  env: Cloudflare.Env;
  log: LogAddress;
  messages: SerializedMessage[];
  waiters: { resolve(): void; reject(e: unknown): void }[];
}

const pending = new Map<string, Pending>();

/**
 * Appends `messages` together with the other appends to the same log issued in this turn.
 * They are checked by the caller, one request at a time, so that a bad one fails alone.
 */
export function appendCoalesced(env: Cloudflare.Env, log: LogAddress, messages: SerializedMessage[]): Promise<void> {
  const key = `${log.projectId}\u0000${log.type}\u0000${log.topic ?? ""}`;
  let group = pending.get(key);
  if (!group) {
    pending.set(key, (group = { env, log, messages: [], waiters: [] }));
    const flushing = group;
    queueMicrotask(() => {
      pending.delete(key);
      appendChecked(flushing.env, flushing.log, flushing.messages).then(
        () => flushing.waiters.forEach((w) => w.resolve()),
        (e: unknown) => flushing.waiters.forEach((w) => w.reject(e)),
      );
    });
  }
  for (const m of messages) group.messages.push(m);
  return new Promise((resolve, reject) => group.waiters.push({ resolve, reject }));
}
