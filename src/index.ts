/**
 * The Worker entry: requests under the web prefix become WEBREQUESTs (src/gateway/http-entry.ts), and
 * WebSocket upgrades there browser sockets (src/gateway/socket-upgrade.ts); Flux WebSocket
 * connections go to a ClientSession object of their own; all other requests go to the Hono HTTP
 * application.
 */
import { authorize } from "./auth/authorize";
import { withoutKeyPath } from "./auth/presented-key";
import { errorResponse } from "./errors";
import { createApp } from "./http/app";
import { handleWebRequest, webPath } from "./gateway/http-entry";
import { handleWebSocketUpgrade, isWebSocketUpgrade } from "./gateway/socket-upgrade";
import { parseSessionRequest } from "./session/session-info";
import { sessionStub } from "./session/session-address";

export { LogPartition } from "../durable-objects/LogPartition";
export { ClientSession } from "../durable-objects/ClientSession";
export { Consumer } from "../durable-objects/Consumer";
export { Aggregate } from "../durable-objects/Aggregate";
export { KeyValueShard } from "../durable-objects/KeyValueShard";
export { Scheduler } from "../durable-objects/Scheduler";
export { WebGateway } from "../durable-objects/WebGateway";
export { WebSocketGateway } from "../durable-objects/WebSocketGateway";

const app = createApp();

/** Routes a WebSocket upgrade to a fresh ClientSession object named by its session id. */
async function connect(request: Request, env: Cloudflare.Env): Promise<Response> {
  const url = withoutKeyPath(new URL(request.url));
  let attachment;
  try {
    attachment = parseSessionRequest(url);
    attachment.keyId = await authorize(env, request, attachment.info.projectId);
  } catch (error) {
    return errorResponse(error, "upgrade failed");
  }
  const session = sessionStub(env, attachment.info.sessionId);
  const headers = new Headers(request.headers);
  headers.set("x-flux-session", JSON.stringify(attachment));
  return session.fetch(new Request(url, { headers }));
}

export default {
  fetch(request, env, ctx) {
    const web = webPath(new URL(request.url), env);
    if (web !== null) return isWebSocketUpgrade(request) ? handleWebSocketUpgrade(request, env, web) : handleWebRequest(request, env, web);
    if (isWebSocketUpgrade(request)) return connect(request, env);
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Cloudflare.Env>;
