/**
 * The Flux Capacitor TypeScript client: publish to and consume from a Flux hub's logs, send
 * commands and queries and get their results, use its key-value store and event streams, schedule
 * messages, index and search documents, and answer HTTP calls made to the hub.
 *
 * ```ts
 * import { connect } from "@flux-edge/client";
 * const flux = connect({ url: "ws://127.0.0.1:8787", clientName: "shop" });
 * await flux.publish("EVENT", [{ orderId: "o-1" }], { type: "OrderPlaced" });
 * ```
 */
export { FluxClient, connect, type ConnectOptions } from "./client";
export { type Constraint, type Paths, allOf, anyOf, between, contains, exists, facet, match, not, query } from "./constraints";
export { type Consumer, type ConsumeOptions, type ConsumerOptions, MessageStream } from "./consumer";
export { FluxError, type FluxErrorCode } from "./errors";
export { EventStore, type AppendEventsOptions } from "./event-store";
export { KeyValueStore } from "./key-value";
export type { Logger } from "./logger";
export { FluxMessage, type MessageOptions, OutgoingMessage, message } from "./messages";
export type { PublishOptions, PublishableType } from "./publisher";
export type { RequestOptions } from "./requests";
export type { Recurrence, Schedule, ScheduleOptions } from "./scheduling";
export { Search, type DocumentInput, type IndexOptions, type SearchHit } from "./search";
export { WebRequest, type WebRequestHandlerOptions, type WebResponseInit } from "./web-requests";
export type { WebSocketConstructor, WebSocketLike } from "./websocket";
export type { Compression } from "../protocol/compression";
export type { Guarantee, MessageType } from "../protocol/messages";
