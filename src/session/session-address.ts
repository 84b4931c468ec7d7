/**
 * How a client socket's ClientSession object is addressed: by its session id, fresh per socket.
 */
import { stubByName } from "../storage/object-stub";

/** The ClientSession object of session `sessionId`. */
export function sessionStub(env: Cloudflare.Env, sessionId: string) {
  return stubByName(env.CLIENT_SESSION, sessionId);
}
