/**
 * Appends to one log that are issued in the same turn (the Append requests a Flux client packs
 * into one requestBatch frame) go out as one call per partition instead of one call and one
 * commit each. Order is kept: messages are stored in the order the appends were issued. Groups
 * are per `env`, so a session's appends leave through its own stubs (see session/own-stubs.ts).
 */
import type { SerializedMessage } from "../protocol/messages";
import type { LogAddress } from "./log-address";
import { appendChecked } from "./log-client";

interface Pending {
  messages: SerializedMessage[];
  waiters: { resolve(): void; reject(e: unknown): void }[];
}

const pending = new WeakMap<Cloudflare.Env, Map<string, Pending>>();

/**
 * Appends `messages` together with the other appends to the same log issued in this turn.
 * They are checked by the caller, one request at a time, so that a bad one fails alone.
 */
export function appendCoalesced(env: Cloudflare.Env, log: LogAddress, messages: SerializedMessage[]): Promise<void> {
  const key = `${log.projectId}\u0000${log.type}\u0000${log.topic ?? ""}`;
  let groups = pending.get(env);
  if (!groups) pending.set(env, (groups = new Map()));
  let group = groups.get(key);
  if (!group) {
    const flushing: Pending = (group = { messages: [], waiters: [] });
    const owner = groups;
    owner.set(key, flushing);
    queueMicrotask(() => {
      owner.delete(key);
      appendChecked(env, log, flushing.messages).then(
        () => flushing.waiters.forEach((w) => w.resolve()),
        (e: unknown) => flushing.waiters.forEach((w) => w.reject(e)),
      );
    });
  }
  for (const m of messages) group.messages.push(m);
  return new Promise((resolve, reject) => group.waiters.push({ resolve, reject }));
}
