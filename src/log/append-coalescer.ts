/**
 * Appends to one log from this isolate go out as one call per partition per group: those issued in
 * the same turn (the Append requests a Flux client packs into one requestBatch frame), and those
 * issued while the group before them is being stored, which wait for it and then go together.
 * Order is kept: messages are stored in the order the appends were issued, and one group at a time
 * leaves for a log (calls through different stubs have no order between them), so a session that
 * starts its next frame while the last one is being stored cannot have that frame overtake it.
 */
import type { SerializedMessage } from "../protocol/messages";
import type { LogAddress } from "./log-address";
import { appendChecked } from "./log-client";

interface Group {
  env: Cloudflare.Env;
  log: LogAddress;
  messages: SerializedMessage[];
  waiters: { resolve(): void; reject(e: unknown): void }[];
}

/** Per log: the group still taking appends, and whether one is being stored. */
interface LogQueue {
  next: Group | null;
  storing: boolean;
}

const queues = new Map<string, LogQueue>();

/**
 * Appends `messages` together with the other appends to the same log issued in this turn, or
 * while the group before is being stored. They are checked by the caller, one request at a time,
 * so that a bad one fails alone.
 */
export function appendCoalesced(env: Cloudflare.Env, log: LogAddress, messages: SerializedMessage[]): Promise<void> {
  const key = `${log.projectId}\u0000${log.type}\u0000${log.topic ?? ""}`;
  let queue = queues.get(key);
  if (!queue) queues.set(key, (queue = { next: null, storing: false }));
  let group = queue.next;
  if (!group) {
    queue.next = group = { env, log, messages: [], waiters: [] };
    const waiting = queue;
    if (!waiting.storing) queueMicrotask(() => store(key, waiting));
  }
  for (const m of messages) group.messages.push(m);
  return new Promise((resolve, reject) => group.waiters.push({ resolve, reject }));
}

/** Stores the waiting group of `key`, then the one that gathered meanwhile, until none is left. */
function store(key: string, queue: LogQueue): void {
  const group = queue.next;
  if (!group) {
    queue.storing = false;
    queues.delete(key);
    return;
  }
  queue.next = null;
  queue.storing = true;
  appendChecked(group.env, group.log, group.messages)
    .then(
      () => group.waiters.forEach((w) => w.resolve()),
      (e: unknown) => group.waiters.forEach((w) => w.reject(e)),
    )
    .finally(() => store(key, queue));
}
