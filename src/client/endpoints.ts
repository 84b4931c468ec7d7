/**
 * The client's sockets: one {@link Connection} per endpoint path and topic, created on first use,
 * all sharing one client identity, compression, requestId counter, WebSocket implementation and
 * knowledge of whether the hub was ever reached.
 */
import type { Compression } from "../protocol/compression";
import type { MessageType } from "../protocol/messages";
import { Connection, type HubContact } from "./connection";
import { FluxError } from "./errors";
import type { Logger } from "./logger";
import { type WebSocketConstructor, type WebSocketLike, defaultWebSocket, isNodeWs } from "./websocket";

/** Who the client is and how it reaches the hub. */
export interface EndpointSettings {
  /** Hub base URL (`ws[s]://` or `http[s]://`). */
  url: string;
  projectId?: string;
  clientName: string;
  clientId: string;
  compression: Compression;
  apiKey?: string;
  WebSocket?: WebSocketConstructor;
  logger: Logger;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** Timeout of every call that does not set its own (ms). */
  timeoutMs: number;
}

/** The endpoint path that publishes to `type`'s log, e.g. `tracking/publishevent`. */
export function publishPath(type: MessageType): string {
  return `tracking/publish${type.toLowerCase()}`;
}

/** The endpoint path that reads `type`'s log, e.g. `tracking/readnotification`. */
export function readPath(type: MessageType): string {
  return `tracking/read${type.toLowerCase()}`;
}

/** Lazily created connections, one per endpoint. */
export class Endpoints {
  private readonly connections = new Map<string, Connection>();
  private webSocket: Promise<WebSocketConstructor> | undefined;
  private requestId = 0;
  private readonly hub: HubContact = { reached: false };

  constructor(readonly settings: EndpointSettings) {}

  /** The hub's HTTP base URL (`http[s]://host[:port]`), for the few checks made over HTTP. */
  get httpBase(): string {
    return this.settings.url.replace(/^ws/, "http").replace(/\/+$/, "");
  }

  /** Headers that authorize HTTP calls to the hub. */
  get httpHeaders(): Record<string, string> {
    return this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {};
  }

  /** The connection to `path` (with `topic` for CUSTOM and DOCUMENT logs). */
  connection(path: string, topic?: string | null): Connection {
    const key = topic ? `${path}?topic=${topic}` : path;
    let connection = this.connections.get(key);
    if (!connection) {
      connection = new Connection({
        name: `/${key}`,
        open: () => this.open(path, topic),
        compression: this.settings.compression,
        nextRequestId: () => ++this.requestId,
        logger: this.settings.logger,
        pingIntervalMs: this.settings.pingIntervalMs,
        pingTimeoutMs: this.settings.pingTimeoutMs,
        timeoutMs: this.settings.timeoutMs,
        hub: this.hub,
        diagnose: (detail) => this.diagnose(key, detail),
      });
      this.connections.set(key, connection);
    }
    return connection;
  }

  /** Closes every connection. */
  close(): void {
    for (const c of this.connections.values()) c.close();
    this.connections.clear();
  }

  /**
   * Why a socket to `/key` failed before it opened while the hub was never reached. `ws` says
   * (refusals are handled before this), so it was the network. Platform WebSockets say nothing:
   * if the hub answers HTTP at `/health`, it refused the socket; if not, it is unreachable.
   */
  private async diagnose(key: string, detail: string): Promise<FluxError> {
    const where = `${this.settings.url} (/${key})`;
    const WebSocket = await this.webSocket;
    if (!WebSocket || !isNodeWs(WebSocket)) {
      const answered = await fetch(`${this.httpBase}/health`, { signal: AbortSignal.timeout(5_000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (answered) return new FluxError("connection_refused", `the hub at ${this.settings.url} refused /${key} (a wrong API key or project?)`);
    }
    return new FluxError("unreachable", `cannot reach the hub at ${where}${detail ? `: ${detail}` : ""}`);
  }

  /**
   * Opens a socket to `path`. The API key goes in an `Authorization: Bearer` header where the
   * implementation sends headers (`ws`), else in the `apiKey` query parameter (browsers, Workers).
   */
  private async open(path: string, topic?: string | null): Promise<WebSocketLike> {
    const WebSocket = await (this.webSocket ??= this.settings.WebSocket ? Promise.resolve(this.settings.WebSocket) : defaultWebSocket());
    const { url, clientId, clientName, projectId, compression, apiKey } = this.settings;
    const headers = apiKey && isNodeWs(WebSocket) ? { authorization: `Bearer ${apiKey}` } : undefined;
    const q = new URLSearchParams({ clientId, clientName, compression });
    if (projectId) q.set("projectId", projectId);
    if (topic) q.set("topic", topic);
    if (apiKey && !headers) q.set("apiKey", apiKey);
    const base = url.replace(/^http/, "ws").replace(/\/+$/, "");
    return new WebSocket(`${base}/${path}?${q}`, [], { perMessageDeflate: false, ...(headers ? { headers } : {}) });
  }
}
