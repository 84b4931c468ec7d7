/**
 * The Flux Capacitor TypeScript client: publish to and consume from a Flux hub's logs, send
 * commands and queries and get their results, and use its key-value store and event streams.
 *
 * ```ts
 * import { connect } from "flux-edge/client";
 * const flux = connect({ url: "ws://127.0.0.1:8787", clientName: "shop" });
 * await flux.publish("EVENT", [{ orderId: "o-1" }], { type: "OrderPlaced" });
 * ```
 */
export { FluxClient, connect, type ConnectOptions } from "./client";
export { type Consumer, type ConsumeOptions, type ConsumerOptions, MessageStream } from "./consumer";
export { FluxError, type FluxErrorCode } from "./errors";
export { EventStore, type AppendEventsOptions } from "./event-store";
export { KeyValueStore } from "./key-value";
export type { Logger } from "./logger";
export { FluxMessage, type MessageOptions, OutgoingMessage, message } from "./messages";
export type { PublishOptions, PublishableType } from "./publisher";
export type { RequestOptions } from "./requests";
export type { WebSocketConstructor, WebSocketLike } from "./websocket";
export type { Compression } from "../protocol/compression";
export type { Guarantee, MessageType } from "../protocol/messages";
