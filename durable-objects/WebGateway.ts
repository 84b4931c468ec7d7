/**
 * WebGateway: one of a project's web gateway shards (`<projectId>/web/<shard>`). The Worker hands
 * it HTTP requests under the web prefix; it publishes them as WEBREQUESTs and answers each with
 * the handler's WEBRESPONSE, read through its own response consumer (see WebRequester). Open
 * requests live in memory only: each is a live HTTP call into this object.
 */
import { DurableObject } from "cloudflare:workers";
import { type GatewayAddress, gatewayClientId, gatewayObjectName, responseConsumer } from "../src/gateway/gateway-address";
import { WebRequester } from "../src/gateway/web-requester";
import type { WebRequestInit } from "../src/gateway/web-request";
import type { GatewayReply } from "../src/gateway/web-response";
import { appendToLog } from "../src/log/log-client";
import { consumerStub } from "../src/tracking/consumer-name";

/** Default wait for a handler's response (Flux's proxy waits 200 s). */
const DEFAULT_TIMEOUT_SECONDS = 30;

export class WebGateway extends DurableObject<Cloudflare.Env> {
  private gateway: WebRequester | null = null;

  /** Publishes one HTTP request and resolves with the reply to send. */
  async handle(address: GatewayAddress, request: WebRequestInit): Promise<GatewayReply> {
    return this.open(address).send(request);
  }

  /** A parked Read of the response consumer, answered (called by the Consumer). */
  async deliver(result: string): Promise<boolean> {
    // Nothing is waiting when the object restarted since it parked the Read: the result is stale.
    this.gateway?.deliver(result);
    return true;
  }

  /** Always reachable: a gateway object is recreated on demand, unlike a socket. */
  async isOpen(): Promise<boolean> {
    return true;
  }

  private open(address: GatewayAddress): WebRequester {
    if (this.gateway) return this.gateway;
    const env = this.env;
    const target = responseConsumer(address);
    const consumer = consumerStub(env, target);
    const clientId = gatewayClientId(address);
    const requester = { sessionId: gatewayObjectName(address), clientId, deliverTo: "gateway" as const };
    const timeoutSeconds = Number(env.WEB_TIMEOUT_SECONDS ?? DEFAULT_TIMEOUT_SECONDS);
    this.gateway = new WebRequester(
      {
        publish: async (message) => {
          await appendToLog(env, { projectId: address.projectId, type: "WEBREQUEST", topic: null }, [message]);
        },
        read: (settings, requestId) => consumer.read(target, settings, requestId, requester),
        now: () => Date.now(),
      },
      { clientId, consumer: target.consumer },
      timeoutSeconds * 1000,
    );
    return this.gateway;
  }
}
