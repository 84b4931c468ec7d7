/**
 * How a client socket's ClientSession object is addressed: by its session id, fresh per socket.
 */

/** The ClientSession object of session `sessionId`. */
export function sessionStub(env: Cloudflare.Env, sessionId: string) {
  return env.CLIENT_SESSION.get(env.CLIENT_SESSION.idFromName(sessionId));
}
