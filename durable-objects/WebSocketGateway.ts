/**
 * WebSocketGateway: one of a project's browser-socket shards (`<projectId>/ws/<shard>`), in the
 * role of one Flux proxy's websocket endpoint. It owns the browser sockets the Worker routes here
 * (hibernating between frames), publishes their events as WS_* WEBREQUESTs and sends them what
 * handlers push (see BrowserSockets). Handlers only delegate.
 */
import { DurableObject } from "cloudflare:workers";
import { BrowserSockets } from "../src/gateway/browser-sockets";

export class WebSocketGateway extends DurableObject<Cloudflare.Env> {
  private readonly sockets: BrowserSockets;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.sockets = new BrowserSockets(ctx, env);
  }

  /** Accepts a browser socket whose handshake a handler allowed. */
  override async fetch(request: Request): Promise<Response> {
    return this.sockets.open(request);
  }

  override async webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    return this.sockets.received(ws, message);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    await this.sockets.closed(ws, code);
    // Completes the closing handshake the browser started.
    try {
      ws.close(code === 1005 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.sockets.closed(ws, 1006);
  }

  /** A parked Read of the push consumer, answered (called by the Consumer). */
  async deliver(result: string): Promise<boolean> {
    return this.sockets.deliver(result);
  }

  /** Whether any socket is open: the Consumer drops the shard's tracker when none is. */
  async isOpen(): Promise<boolean> {
    return this.sockets.oldestOpenAt() !== null;
  }
}
