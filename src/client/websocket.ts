/**
 * Which WebSocket implementation the SDK uses. In Node it is the `ws` package (so permessage-deflate
 * can be turned off, headers set and pings sent, as Flux clients do); in Workers, browsers, Deno
 * and Bun it is the global `WebSocket`. Callers may pass their own constructor instead.
 */
import { FluxError } from "./errors";

/** The part of a WebSocket the SDK uses: the WHATWG API, plus `ping` and `on("pong")` when present (`ws`). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "close" | "error" | "message", listener: (event: { data?: unknown }) => void): void;
  ping?(): void;
  terminate?(): void;
  on?(event: "pong", listener: () => void): unknown;
}

/**
 * A WebSocket constructor: the global `WebSocket`, `ws`, or anything with the same shape. It is
 * called as `new WebSocket(url, [], { perMessageDeflate: false, headers })`; implementations that
 * take only `(url, protocols)` ignore the third argument.
 */
export type WebSocketConstructor = new (url: string, protocols: string[], options: WsOptions) => WebSocketLike;

/** Options understood by `ws`. */
export interface WsOptions {
  perMessageDeflate: boolean;
  headers?: Record<string, string>;
}

/** `WebSocket.OPEN` in every implementation. */
export const OPEN = 1;

interface Globals {
  WebSocket?: WebSocketConstructor;
  process?: { versions?: { node?: string } };
  navigator?: { userAgent?: string };
}

const globals = globalThis as unknown as Globals;

/** Whether `WebSocket` accepts headers and sends pings (the `ws` package does, the WHATWG one does not). */
export function isNodeWs(WebSocket: WebSocketConstructor): boolean {
  return typeof (WebSocket.prototype as Partial<WebSocketLike> | undefined)?.ping === "function";
}

/** The constructor to use when the caller passed none: `ws` under Node, else the global one. */
export async function defaultWebSocket(): Promise<WebSocketConstructor> {
  const inWorkers = globals.navigator?.userAgent === "Cloudflare-Workers";
  if (!inWorkers && globals.process?.versions?.node) {
    try {
      // A variable specifier keeps bundlers for Workers and browsers from resolving `ws`.
      const specifier = "ws";
      const mod = (await import(/* @vite-ignore */ specifier)) as { default: WebSocketConstructor };
      return mod.default;
    } catch {
      // No `ws` installed: fall back to the global WebSocket (Node 22 has one).
    }
  }
  if (!globals.WebSocket) throw new FluxError("invalid_argument", "no WebSocket implementation: install `ws` or pass `WebSocket` to connect()");
  return globals.WebSocket;
}
