/**
 * One WebSocket to one hub endpoint (path + topic), opened on first use. Requests carry a
 * `requestId` and their results are matched by it; requests queued in the same tick go out as one
 * `requestBatch` frame. When the socket drops, it reconnects with backoff and re-sends every
 * request still waiting for a result (parked Reads too: the hub tolerates duplicate Reads), as the
 * Java client does. Where the implementation can (`ws`), it pings and drops a silent socket.
 *
 * A socket counts as gone on `close` or on `error`, whichever comes: Node's built-in WebSocket
 * fires only `error` when a handshake fails. Until the client has reached the hub once, a socket
 * that fails to open fails its calls at once (`unreachable` or `connection_refused`) instead of
 * retrying, so a wrong URL or a hub that is down shows on the first call.
 */
import type { Compression } from "../protocol/compression";
import { backoffDelay } from "./backoff";
import { type WireRequest, type WireResult, decodeResults, encodeRequests } from "./codec";
import { FluxError, errorFromResult } from "./errors";
import type { Logger } from "./logger";
import { OPEN, type WebSocketLike } from "./websocket";

/** How a Connection reaches the hub. */
export interface ConnectionSettings {
  /** The endpoint, for diagnostics. */
  name: string;
  /** Opens a new socket to the endpoint. */
  open: () => Promise<WebSocketLike>;
  compression: Compression;
  nextRequestId: () => number;
  logger: Logger;
  /** Ping this long after the last pong (ms). */
  pingIntervalMs: number;
  /** Drop the socket when a ping gets no pong within this (ms). */
  pingTimeoutMs: number;
  /** Timeout of requests that do not set their own (ms). */
  timeoutMs: number;
  /** Shared by the client's connections: whether any of them has ever opened. */
  hub: HubContact;
  /** The error for a socket that failed before it ever opened, given what its `error` event said. */
  diagnose: (detail: string) => Promise<FluxError>;
}

/** What a client's connections know about reaching its hub. */
export interface HubContact {
  reached: boolean;
}

/** Per-request options. */
export interface RequestOptions {
  /** Reject with `timeout` when no result arrives (or, for posts, the request is not sent) within this (ms; default the client's). */
  timeoutMs?: number;
  /** Forget the request (rejecting with `closed`) when this aborts. */
  signal?: AbortSignal;
}

/** A request body without its `requestId`, which the connection assigns. */
export type RequestBody = { "@type": string } & Record<string, unknown>;

interface Entry {
  request: WireRequest;
  expectReply: boolean;
  sent: boolean;
  resolve(result: WireResult | undefined): void;
  reject(error: FluxError): void;
}

/** Most requests in one frame (the Java client's backlog size). */
const MAX_BATCH = 1024;
/**
 * Most messages (of appends) in one frame, beyond its first request: large appends then travel in
 * frames of their own, which the hub starts on while the client encodes the next and stores while
 * it decodes the next, instead of one frame of them all, encoded, sent, stored and answered in turn.
 */
const MAX_FRAME_MESSAGES = 1000;

/** How many messages a request carries (1 for a request without any). */
function weightOf(request: WireRequest): number {
  const messages = (request as { messages?: unknown }).messages;
  return Array.isArray(messages) ? Math.max(1, messages.length) : 1;
}

/** How many requests from the front of `queue` go in the next frame. */
function frameLength(queue: readonly Entry[]): number {
  let n = 0;
  let weight = 0;
  while (n < queue.length && n < MAX_BATCH) {
    weight += weightOf(queue[n].request);
    if (n > 0 && weight > MAX_FRAME_MESSAGES) break;
    n++;
  }
  return n;
}
/** How `ws` reports a refused upgrade; 429 (try later) is not a refusal. */
const REFUSED = /Unexpected server response: (4(?!29)\d\d)/;

/** A lazily opened, self-healing WebSocket to one endpoint. */
export class Connection {
  private socket: WebSocketLike | null = null;
  private state: "idle" | "connecting" | "open" | "closed" = "idle";
  private readonly pending = new Map<number, Entry>();
  private queue: Entry[] = [];
  private flushing = false;
  private flushScheduled = false;
  private attempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly settings: ConnectionSettings) {}

  /** Sends a request and resolves with its result; an ErrorResult rejects with `hub_error`. */
  request<R extends WireResult = WireResult>(body: RequestBody, options: RequestOptions = {}): Promise<R> {
    return this.enqueue(body, true, options) as Promise<R>;
  }

  /** Sends a request that gets no result (a Command without guarantee STORED); resolves once sent. */
  async post(body: RequestBody, options: RequestOptions = {}): Promise<void> {
    await this.enqueue(body, false, options);
  }

  /** Closes the socket for good, rejecting everything outstanding with `closed`. */
  close(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    if (this.pingTimer !== undefined) clearTimeout(this.pingTimer);
    this.failAll(new FluxError("closed", "the client was closed"));
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close(1000, "client closed");
  }

  private enqueue(body: RequestBody, expectReply: boolean, options: RequestOptions): Promise<WireResult | undefined> {
    if (this.state === "closed") return Promise.reject(new FluxError("closed", "the client was closed"));
    return new Promise((resolve, reject) => {
      const request = { ...body, requestId: this.settings.nextRequestId() } as WireRequest;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const forget = () => {
        if (timer !== undefined) clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        this.pending.delete(request.requestId);
        this.queue = this.queue.filter((e) => e !== entry);
      };
      const onAbort = () => {
        forget();
        reject(new FluxError("closed", `${request["@type"]} was cancelled`));
      };
      const entry: Entry = {
        request,
        expectReply,
        sent: false,
        resolve: (result) => {
          forget();
          resolve(result);
        },
        reject: (error) => {
          forget();
          reject(error);
        },
      };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener("abort", onAbort, { once: true });
      const timeoutMs = options.timeoutMs ?? this.settings.timeoutMs;
      const what = expectReply ? "no result for" : "could not send";
      timer = setTimeout(() => entry.reject(new FluxError("timeout", `${what} ${request["@type"]} on ${this.settings.name} within ${timeoutMs} ms`)), timeoutMs);
      if (expectReply) this.pending.set(request.requestId, entry);
      this.queue.push(entry);
      this.ensureOpen();
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.state !== "open") return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /** Sends the queue in order, at most {@link MAX_BATCH} requests and about {@link MAX_FRAME_MESSAGES} messages per frame. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0 && this.state === "open") {
        const socket = this.socket!;
        const batch = this.queue.splice(0, frameLength(this.queue));
        const frame = await encodeRequests(batch.map((e) => e.request), this.settings.compression);
        if (socket !== this.socket || socket.readyState !== OPEN) {
          this.queue.unshift(...batch.filter((e) => !e.expectReply || this.pending.has(e.request.requestId)));
          this.reconnectLater();
          break;
        }
        socket.send(frame);
        for (const e of batch) {
          e.sent = true;
          if (!e.expectReply) e.resolve(undefined);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private ensureOpen(): void {
    if (this.state === "idle") void this.connect();
  }

  private async connect(): Promise<void> {
    this.state = "connecting";
    let socket: WebSocketLike;
    try {
      socket = await this.settings.open();
    } catch (e) {
      this.state = "idle";
      this.failAll(e instanceof FluxError ? e : new FluxError("invalid_argument", `cannot open ${this.settings.name}: ${(e as Error).message}`, { cause: e }));
      return;
    }
    if (this.state !== "connecting") {
      socket.close(1000, "client closed");
      return;
    }
    this.socket = socket;
    try {
      socket.binaryType = "arraybuffer";
    } catch {
      // Implementations that only deliver ArrayBuffers may refuse the setter.
    }
    let refused: number | null = null;
    let detail = "";
    let opened = false;
    socket.addEventListener("open", () => {
      if (socket !== this.socket) return;
      if (this.attempts > 0) this.settings.logger.warn(`flux: reconnected to ${this.settings.name}`);
      opened = true;
      this.settings.hub.reached = true;
      this.state = "open";
      this.attempts = 0;
      this.schedulePing(socket);
      this.scheduleFlush();
    });
    socket.addEventListener("message", (event) => void this.receive(event.data));
    const gone = () => {
      if (socket !== this.socket) return;
      void this.onSocketGone(refused, opened, detail);
      // An `error` need not close the socket (or be followed by `close`): make sure it is shut.
      try {
        socket.close();
      } catch {
        // Already closing.
      }
    };
    socket.addEventListener("error", (event) => {
      detail = String((event as { message?: unknown }).message ?? "");
      const m = REFUSED.exec(detail);
      if (m) refused = Number(m[1]);
      gone();
    });
    socket.addEventListener("close", gone);
    socket.on?.("pong", () => {
      if (socket === this.socket) this.schedulePing(socket);
    });
  }

  /**
   * The socket closed or failed. A refusal fails every call; so does a socket that never opened
   * while the hub was never reached (fail fast). Otherwise the calls wait for a reconnect.
   */
  private async onSocketGone(refusedStatus: number | null, opened: boolean, detail: string): Promise<void> {
    this.socket = null;
    if (this.pingTimer !== undefined) clearTimeout(this.pingTimer);
    if (this.state === "closed") return;
    if (refusedStatus !== null) {
      this.state = "idle";
      this.failAll(new FluxError("connection_refused", `the hub refused ${this.settings.name} with HTTP ${refusedStatus}`, { status: refusedStatus }));
      return;
    }
    if (!opened && !this.settings.hub.reached) {
      // Stay "connecting" while finding out why, so that new calls wait for the verdict.
      const error = await this.settings.diagnose(detail);
      if (this.isClosed()) return;
      this.state = "idle";
      if (!this.settings.hub.reached) return this.failAll(error);
    }
    this.state = "idle";
    const resend = [...this.pending.values()].filter((e) => e.sent);
    for (const e of resend) e.sent = false;
    this.queue = [...resend, ...this.queue];
    this.reconnectLater();
  }

  /** Reconnects after a backoff when the socket is gone and requests are waiting for it. */
  private reconnectLater(): void {
    if (this.state !== "idle" || this.queue.length === 0 || this.reconnectTimer !== undefined) return;
    if (this.attempts === 0) this.settings.logger.warn(`flux: lost ${this.settings.name}; reconnecting`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.ensureOpen();
    }, backoffDelay(this.attempts++, 250, 5000));
  }

  private async receive(data: unknown): Promise<void> {
    let results: WireResult[];
    try {
      results = await decodeResults(data as ArrayBuffer | string, this.settings.compression);
    } catch (e) {
      this.settings.logger.error(`flux: undecodable frame from ${this.settings.name}`, e);
      return;
    }
    for (const result of results) {
      const entry = this.pending.get(Number(result.requestId));
      if (!entry) {
        if (result["@type"] === "error") this.settings.logger.error(`flux: ${this.settings.name} reported: ${String(result.message)}`);
        continue;
      }
      if (result["@type"] === "error") entry.reject(errorFromResult(result));
      else entry.resolve(result);
    }
  }

  /** Pings `pingIntervalMs` after the last pong; a ping without pong in time drops the socket. */
  private schedulePing(socket: WebSocketLike): void {
    if (this.pingTimer !== undefined) clearTimeout(this.pingTimer);
    if (!socket.ping || !socket.on) return;
    this.pingTimer = setTimeout(() => {
      if (socket !== this.socket) return;
      this.pingTimer = setTimeout(() => {
        this.settings.logger.warn(`flux: no pong from ${this.settings.name}; dropping the socket`);
        if (socket.terminate) socket.terminate();
        else socket.close(4000, "ping timeout");
      }, this.settings.pingTimeoutMs);
      try {
        socket.ping!();
      } catch {
        // The socket is closing; its close event follows.
      }
    }, this.settings.pingIntervalMs);
  }

  /** Whether `close()` was called (a method, so that checks after an await are not narrowed away). */
  private isClosed(): boolean {
    return this.state === "closed";
  }

  private failAll(error: FluxError): void {
    const entries = [...new Set([...this.pending.values(), ...this.queue])];
    this.pending.clear();
    this.queue = [];
    for (const e of entries) e.reject(error);
  }
}
