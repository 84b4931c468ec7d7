/**
 * Closes the WebSocket sessions that opened without a key, when the first key closes the hub.
 * The open sessions of every project are listed in the metrics session registry (D1); each
 * ClientSession closes its socket only when it holds no key.
 */
import { listAllSessions } from "../metrics/registry";
import { sessionStub } from "../session/session-address";

/** How many sessions are asked at once. */
const CONCURRENCY = 32;

/** Asks every registered session to close if it holds no key; returns how many closed. */
export async function closeKeylessSessions(env: Cloudflare.Env): Promise<number> {
  const sessionIds = await listAllSessions(env.DB);
  let closed = 0;
  for (let i = 0; i < sessionIds.length; i += CONCURRENCY) {
    const answers = await Promise.allSettled(
      sessionIds.slice(i, i + CONCURRENCY).map((id) => sessionStub(env, id).closeIfKeyless()),
    );
    for (const a of answers) if (a.status === "fulfilled" && a.value) closed++;
  }
  return closed;
}
