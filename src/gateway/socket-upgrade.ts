/**
 * Browser WebSockets under the web prefix, as Flux's proxy opens them (P/ProxyRequestHandler.java
 * `tryUpgrade` and `handleResponse`): the upgrade request is authorized like any web call and
 * published as a WEBREQUEST with method WS_HANDSHAKE through a web gateway shard. Only a handler's
 * answer below 300 opens the socket, in one of the project's WebSocketGateway shards; any other
 * answer (or the 504 when none comes) is sent as the HTTP reply to the upgrade.
 */
import { authorize } from "../auth/authorize";
import { gatewayStub, pickShard } from "./gateway-address";
import { OPENING_HEADER, type SocketOpening } from "./browser-sockets";
import { socketGatewayStub } from "./socket-address";
import { chosenProtocol, handshakeHeaders } from "./socket-handshake";
import { WS_HANDSHAKE } from "./socket-request";
import { errorResponse } from "../errors";
import { handlerHeaders, handlerUrl, projectOf, replyResponse } from "./web-call";

/** Whether `request` asks for a WebSocket. */
export function isWebSocketUpgrade(request: Request): boolean {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket";
}

/** Handles a WebSocket upgrade under the web prefix (`path` is the part after it). */
export async function handleWebSocketUpgrade(request: Request, env: Cloudflare.Env, path: string): Promise<Response> {
  try {
    const url = new URL(request.url);
    const projectId = projectOf(request, url);
    const keyId = await authorize(env, request, projectId);
    const address = pickShard(projectId);
    const headers = handshakeHeaders(handlerHeaders(request, keyId));
    const handshake = { url: handlerUrl(path, url), method: WS_HANDSHAKE, headers, body: null };
    const gateway = gatewayStub(env, address);
    const reply = await gateway.handle(address, handshake);
    if (reply.status >= 300) return replyResponse(reply);
    const opening: SocketOpening = {
      address,
      url: handshake.url,
      headers,
      target: reply.responder?.trackerId ?? null,
      protocol: chosenProtocol(headers),
    };
    const sockets = socketGatewayStub(env, address);
    const forwarded = new Headers(request.headers);
    forwarded.set(OPENING_HEADER, JSON.stringify(opening));
    return await sockets.fetch(new Request(url, { headers: forwarded }));
  } catch (error) {
    return errorResponse(error, "web request failed");
  }
}
