/**
 * Names of a project's browser-socket objects. Each project has GATEWAY_SHARDS WebSocketGateway
 * objects; a browser socket is accepted by one picked at random and stays there. Each shard is
 * one Flux client, like one Java proxy: the `source` of its sockets' WS_* requests, so the
 * handler's pushes are targeted at it, and one consumer of the WEBRESPONSE log, named as Flux's
 * proxy names it (`<client>_$websocket-handler`), through which it reads them.
 */
import { stubByName } from "../storage/object-stub";
import type { ConsumerTarget } from "../tracking/consumer-name";
import type { GatewayAddress } from "./gateway-address";

/** The Durable Object name, also the `sessionId` its tracker is registered under. */
export function socketObjectName(a: GatewayAddress): string {
  return `${a.projectId}/ws/${a.shard}`;
}

/** The client id the shard publishes WS_* requests as, and the target of the handler's pushes. */
export function socketClientId(a: GatewayAddress): string {
  return `flux-edge-ws-${a.shard}`;
}

/** The consumer of the WEBRESPONSE log that the shard reads its sockets' pushes with. */
export function socketConsumer(a: GatewayAddress): ConsumerTarget {
  return {
    log: { projectId: a.projectId, type: "WEBRESPONSE", topic: null },
    messageType: "WEBRESPONSE",
    consumer: `${socketClientId(a)}_$websocket-handler`,
  };
}

/** The WebSocketGateway object of a shard (by its address, or by its object name). */
export function socketGatewayStub(env: Cloudflare.Env, gateway: GatewayAddress | string) {
  return stubByName(env.WEB_SOCKET_GATEWAY, typeof gateway === "string" ? gateway : socketObjectName(gateway));
}
