/**
 * Names of a project's web gateway objects. Each project has GATEWAY_SHARDS WebGateway objects;
 * an HTTP request goes to one picked at random, so no single object carries a project's traffic.
 * Each shard is one Flux requester: its own client id (the WEBRESPONSE `target`) and its own
 * response consumer, named as Flux's proxy names it (`<client>_$proxy-request-handler`).
 */
import { stubByName } from "../storage/object-stub";
import type { ConsumerTarget } from "../tracking/consumer-name";

/** WebGateway objects per project. */
export const GATEWAY_SHARDS = 8;

/** One gateway object of a project. */
export interface GatewayAddress {
  projectId: string;
  shard: number;
}

/** The Durable Object name, also the `sessionId` its tracker is registered under. */
export function gatewayObjectName(a: GatewayAddress): string {
  return `${a.projectId}/web/${a.shard}`;
}

/** The client id the gateway publishes WEBREQUESTs as, and the target of their responses. */
export function gatewayClientId(a: GatewayAddress): string {
  return `flux-edge-web-${a.shard}`;
}

/** The consumer of the WEBRESPONSE log that the gateway reads its responses with. */
export function responseConsumer(a: GatewayAddress): ConsumerTarget {
  return {
    log: { projectId: a.projectId, type: "WEBRESPONSE", topic: null },
    messageType: "WEBRESPONSE",
    consumer: `${gatewayClientId(a)}_$proxy-request-handler`,
  };
}

/** A random shard for a new request. */
export function pickShard(projectId: string, random = Math.random): GatewayAddress {
  return { projectId, shard: Math.floor(random() * GATEWAY_SHARDS) };
}

/** The WebGateway object of a shard (by its address, or by its object name). */
export function gatewayStub(env: Cloudflare.Env, gateway: GatewayAddress | string) {
  return stubByName(env.WEB_GATEWAY, typeof gateway === "string" ? gateway : gatewayObjectName(gateway));
}
