/**
 * `connect()` and the `FluxClient` it returns: the SDK's single entry point, composing the
 * endpoint sockets, publishing, request/response, consumers, key-value, event sourcing,
 * scheduling, search and web-request handlers.
 */
import type { Compression } from "../protocol/compression";
import { type ConsumeOptions, type Consumer, type ConsumerOptions, MessageStream, consume } from "./consumer";
import { Endpoints } from "./endpoints";
import { EventStore } from "./event-store";
import { FluxError } from "./errors";
import { KeyValueStore } from "./key-value";
import type { Logger } from "./logger";
import { type PublishOptions, type PublishableType, publish } from "./publisher";
import { RequestGateway, type RequestOptions } from "./requests";
import { type Schedule, type ScheduleOptions, cancelSchedule, getSchedule, schedule } from "./scheduling";
import { type DocumentInput, type IndexOptions, Search, type SearchHit, deleteDocument, getDocument, indexDocuments } from "./search";
import { type WebRequestHandlerOptions, webRequestHandler } from "./web-requests";
import type { WebSocketConstructor } from "./websocket";

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** The hub's base URL, e.g. `ws://127.0.0.1:8787` (`http[s]://` works too). */
  url: string;
  /** The project (default: the hub's `public`). */
  projectId?: string;
  /** The application's name: instances with the same name are one application. */
  clientName: string;
  /** This instance's id (default: `<clientName>-<random>`). */
  clientId?: string;
  /** Frame compression (default LZ4, as Flux clients use). */
  compression?: Compression;
  /** An API key, for hubs that require one. */
  apiKey?: string;
  /** The WebSocket implementation (default: `ws` under Node, the global `WebSocket` elsewhere). */
  WebSocket?: WebSocketConstructor;
  /** Timeout of every call that does not set its own `timeoutMs` (ms, default 30 000). */
  requestTimeoutMs?: number;
  /** Ping interval where the implementation can ping (ms, default 10 000). */
  pingIntervalMs?: number;
  /** Drop a socket whose ping got no pong within this (ms, default 5 000). */
  pingTimeoutMs?: number;
  /** Where reconnects and handler failures are reported (default `console`). */
  logger?: Logger;
}

/** A connection to a Flux hub; sockets open lazily, one per endpoint. */
export class FluxClient {
  /** This instance's client id. */
  readonly clientId: string;
  /** The application name. */
  readonly clientName: string;
  /** The key-value store. */
  readonly keyValue: KeyValueStore;
  /** Aggregate event streams. */
  readonly eventStore: EventStore;
  private readonly endpoints: Endpoints;
  private readonly requests: RequestGateway;
  private readonly consumers = new Set<Consumer>();
  private readonly streams = new Set<MessageStream<unknown>>();
  /** Trackers started per consumer, so every consume() call of one consumer gets its own tracker ids. */
  private readonly trackerCounts = new Map<string, number>();
  private closed = false;

  /** Use {@link connect}. */
  constructor(options: ConnectOptions) {
    checkRuntime();
    checkUrl(options.url);
    if (!options.clientName) throw new FluxError("invalid_argument", "clientName is required");
    const timeoutMs = options.requestTimeoutMs ?? 30_000;
    if (!(timeoutMs > 0)) throw new FluxError("invalid_argument", "requestTimeoutMs must be a positive number of milliseconds");
    this.clientName = options.clientName;
    this.clientId = options.clientId ?? `${options.clientName}-${crypto.randomUUID().slice(0, 8)}`;
    this.endpoints = new Endpoints({
      url: options.url,
      projectId: options.projectId,
      clientName: this.clientName,
      clientId: this.clientId,
      compression: options.compression ?? "LZ4",
      apiKey: options.apiKey,
      WebSocket: options.WebSocket,
      logger: options.logger ?? console,
      pingIntervalMs: options.pingIntervalMs ?? 10_000,
      pingTimeoutMs: options.pingTimeoutMs ?? 5_000,
      timeoutMs,
    });
    this.requests = new RequestGateway(this.endpoints, timeoutMs);
    this.keyValue = new KeyValueStore(this.endpoints);
    this.eventStore = new EventStore(this.endpoints);
  }

  /**
   * Publishes payloads (or `message(...)`s) to a log: events, commands, queries, results, errors,
   * metrics, web requests/responses, or a custom `topic`.
   */
  publish(type: PublishableType, items: readonly unknown[], options?: PublishOptions): Promise<void> {
    this.checkOpen();
    return publish(this.endpoints, type, items, options);
  }

  /** Sends a command and resolves with its handler's result; throws `handler_error` or `timeout`. */
  send<R = unknown>(command: unknown, options?: RequestOptions): Promise<R> {
    this.checkOpen();
    return this.requests.request("COMMAND", command, options) as Promise<R>;
  }

  /**
   * Sends a query and resolves with its handler's answer; throws `handler_error`, `timeout`, or
   * `no_handler` when, a second after sending, the hub reports no tracker on the QUERY log.
   */
  query<R = unknown>(query: unknown, options?: RequestOptions): Promise<R> {
    this.checkOpen();
    return this.requests.request("QUERY", query, options) as Promise<R>;
  }

  /** Starts a consumer whose handler is called for every message; `await ready()` before relying on it, `stop()` it when done. */
  consume<T = unknown>(options: ConsumeOptions<T>): Consumer {
    this.checkOpen();
    const key = `${options.messageType}/${options.topic ?? ""}/${options.consumer}`;
    const first = this.trackerCounts.get(key) ?? 0;
    const consumer = consume(this.endpoints, options, first);
    this.trackerCounts.set(key, first + (options.threads ?? 1));
    this.consumers.add(consumer);
    return {
      name: consumer.name,
      ready: consumer.ready,
      stop: () => {
        this.consumers.delete(consumer);
        return consumer.stop();
      },
    };
  }

  /** Tracks a log as an async iterator of messages; break out of the loop (or `stop()`) to end it. */
  messages<T = unknown>(options: ConsumerOptions): MessageStream<T> {
    this.checkOpen();
    const stream = new MessageStream<T>(this.endpoints, options);
    this.streams.add(stream as MessageStream<unknown>);
    return stream;
  }

  /**
   * Schedules a payload (or `message(...)`) to appear on the SCHEDULE log at `options.at`; consume
   * it with `consume({ messageType: "SCHEDULE", … })`. Resolves once the hub stored the schedule.
   */
  schedule(item: unknown, options: ScheduleOptions): Promise<void> {
    this.checkOpen();
    return schedule(this.endpoints, item, options);
  }

  /** Cancels the pending schedule `scheduleId` (a no-op when there is none). */
  cancelSchedule(scheduleId: string): Promise<void> {
    this.checkOpen();
    return cancelSchedule(this.endpoints, scheduleId);
  }

  /** The pending schedule `scheduleId`, or null when nothing is pending under it. */
  getSchedule<T = unknown>(scheduleId: string): Promise<Schedule<T> | null> {
    this.checkOpen();
    return getSchedule<T>(this.endpoints, scheduleId);
  }

  /** Indexes a JSON `value` as document `id` of `collection`, replacing any document with that id. */
  index(collection: string, id: string, value: unknown, options: IndexOptions = {}): Promise<void> {
    this.checkOpen();
    return indexDocuments(this.endpoints, collection, [{ ...options, id, value }]);
  }

  /** Indexes several documents of `collection` in one request; with `ifNotExists`, existing ids are kept. */
  indexMany(collection: string, documents: readonly DocumentInput[], options: { ifNotExists?: boolean } = {}): Promise<void> {
    this.checkOpen();
    return indexDocuments(this.endpoints, collection, documents, options.ifNotExists);
  }

  /** A search over `collection` (or several); add `where(...)` constraints, then fetch or iterate. */
  search<T = unknown>(collection: string | readonly string[]): Search<T> {
    this.checkOpen();
    return new Search<T>(this.endpoints, typeof collection === "string" ? [collection] : collection);
  }

  /** Document `id` of `collection`, or undefined when there is none. */
  getDocument<T = unknown>(collection: string, id: string): Promise<SearchHit<T> | undefined> {
    this.checkOpen();
    return getDocument<T>(this.endpoints, collection, id);
  }

  /** Deletes document `id` of `collection` (a no-op when absent). */
  deleteDocument(collection: string, id: string): Promise<void> {
    this.checkOpen();
    return deleteDocument(this.endpoints, collection, id);
  }

  /**
   * Serves HTTP calls made to the hub's web prefix: a WEBREQUEST consumer whose handler's
   * `{ status, headers, body }` goes back to the caller. Instances with one consumer name share the requests.
   */
  handleWebRequests(options: WebRequestHandlerOptions): Consumer {
    return this.consume({ ...options, messageType: "WEBREQUEST", handler: webRequestHandler(this.endpoints, options) });
  }

  /** Stops every consumer, then closes every socket; outstanding calls reject with `closed`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams) s.stop();
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.requests.close();
    this.endpoints.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new FluxError("closed", "the client was closed");
  }
}

/**
 * Throws `unsupported_runtime` without `JSON.rawJSON` (Node 22+, current browsers and Workers):
 * it comes with the JSON source text access that keeps 64-bit Flux indexes exact, and without it
 * indexes would silently lose digits.
 */
function checkRuntime(): void {
  if (typeof (JSON as { rawJSON?: unknown }).rawJSON !== "function") {
    throw new FluxError("unsupported_runtime", "this JavaScript runtime lacks JSON.rawJSON, which exact 64-bit Flux indexes need: use Node 22 or later, or a current browser");
  }
}

/** Throws `invalid_argument` unless `url` is an absolute ws, wss, http or https URL. */
function checkUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // Reported below.
  }
  if (!parsed || !/^(ws|wss|http|https):$/.test(parsed.protocol)) {
    throw new FluxError("invalid_argument", `url must be a ws://, wss://, http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
}

/**
 * Creates a client for the hub at `options.url`. It checks the options at once (throwing
 * `invalid_argument`) but opens no socket until the first call needs one; that call fails fast
 * with `unreachable` or `connection_refused` when the hub cannot be reached or refuses.
 */
export function connect(options: ConnectOptions): FluxClient {
  return new FluxClient(options);
}
