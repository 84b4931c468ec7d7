/**
 * The browser sockets of one WebSocketGateway shard (P/WebsocketEndpoint.java): each accepted
 * socket gets a fresh `sessionId` and is published as WS_OPEN, each frame as WS_MESSAGE and its
 * close as WS_CLOSE (with the close code as text), all as this shard's client. Pushes a handler
 * addresses to a socket (WEBRESPONSEs naming its `sessionId`, read by PushReader) are sent on it.
 * Sockets hibernate: everything a socket needs after a wake-up is in its attachment.
 */
import { appendToLog } from "../log/log-client";
import { consumerStub } from "../tracking/consumer-name";
import type { GatewayAddress } from "./gateway-address";
import { PushReader } from "./push-reader";
import { socketClientId, socketConsumer, socketObjectName } from "./socket-address";
import { type PushMessage, pushAction, pushSessionId } from "./socket-push";
import { type SocketIdentity, type SocketMethod, WS_CLOSE, WS_MESSAGE, WS_OPEN, socketRequestMessage } from "./socket-request";
import { SerialQueue } from "../serial-queue";

/** Header carrying the SocketOpening from the Worker to the shard. */
export const OPENING_HEADER = "x-flux-web-socket";

/** What the Worker learned from the handshake, handed to the shard that accepts the socket. */
export interface SocketOpening {
  address: GatewayAddress;
  url: string;
  headers: [string, string][];
  /** The tracker that accepted the handshake. */
  target: string | null;
  /** The subprotocol to answer the upgrade with. */
  protocol: string | null;
}

interface SocketAttachment extends SocketIdentity {
  openedAt: number;
  /** Set once WS_CLOSE is published, so that a close seen twice is published once. */
  closed: boolean;
}

const ADDRESS = "address";

/** The sockets of one shard. */
export class BrowserSockets {
  /** Events of one socket are published strictly in order. */
  private readonly queues = new Map<string, SerialQueue>();
  private reader: PushReader | null = null;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Cloudflare.Env,
  ) {}

  /** Accepts the upgrade the Worker routed here after a handler allowed the handshake. */
  async open(request: Request): Promise<Response> {
    const opening = JSON.parse(request.headers.get(OPENING_HEADER)!) as SocketOpening;
    this.ctx.storage.kv.put(ADDRESS, opening.address);
    const socket: SocketAttachment = {
      sessionId: crypto.randomUUID(),
      url: opening.url,
      headers: opening.headers,
      target: opening.target,
      openedAt: Date.now(),
      closed: false,
    };
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server, [socket.sessionId]);
    server.serializeAttachment(socket);
    try {
      // Published before the browser can send anything, so WS_OPEN precedes every WS_MESSAGE.
      await this.publish(socket, WS_OPEN, null);
    } catch (e) {
      console.error("WS_OPEN not published", e);
      server.close(1011, "could not be opened");
      return Response.json({ error: "internal", message: "internal error" }, { status: 500 });
    }
    this.pushes().ensureReading();
    const headers: Record<string, string> = opening.protocol ? { "sec-websocket-protocol": opening.protocol } : {};
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  /** A frame from the browser. */
  received(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    const socket = ws.deserializeAttachment() as SocketAttachment;
    const payload = typeof message === "string" ? new TextEncoder().encode(message) : new Uint8Array(message);
    this.pushes().ensureReading();
    return this.inOrder(socket.sessionId, () => this.publish(socket, WS_MESSAGE, payload));
  }

  /** The socket closed (by the browser, the handler or an error) with `code`. */
  async closed(ws: WebSocket, code: number): Promise<void> {
    const socket = ws.deserializeAttachment() as SocketAttachment;
    if (socket.closed) return;
    ws.serializeAttachment({ ...socket, closed: true });
    await this.inOrder(socket.sessionId, () => this.publish(socket, WS_CLOSE, new TextEncoder().encode(String(code))));
    this.queues.delete(socket.sessionId);
  }

  /** A ReadResult of the push consumer; false once no socket is open (the Consumer then drops the tracker). */
  deliver(result: string): boolean {
    return this.ctx.storage.kv.get(ADDRESS) === undefined ? false : this.pushes().deliver(result);
  }

  /** When the oldest open socket opened, or null when none is open. */
  oldestOpenAt(): number | null {
    let oldest: number | null = null;
    for (const ws of this.ctx.getWebSockets()) {
      const socket = ws.deserializeAttachment() as SocketAttachment;
      if (!socket.closed) oldest = oldest === null ? socket.openedAt : Math.min(oldest, socket.openedAt);
    }
    return oldest;
  }

  private push(messages: PushMessage[]): void {
    for (const message of messages) {
      const sessionId = pushSessionId(message);
      const ws = sessionId === null ? undefined : this.ctx.getWebSockets(sessionId)[0];
      if (!ws || (ws.deserializeAttachment() as SocketAttachment).closed) continue;
      const action = pushAction(message);
      if (action === null) {
        console.warn(`push to socket ${sessionId} ignored: its data or close code is not valid`);
      } else if (action.kind === "send") {
        ws.send(action.data);
      } else if (action.kind === "close") {
        this.closeByHandler(ws, action.code);
      }
    }
  }

  private closeByHandler(ws: WebSocket, code: number): void {
    try {
      ws.close(code);
    } catch {
      // A code the platform refuses to send closes as a normal closure.
      ws.close(1000);
    }
    this.ctx.waitUntil(this.closed(ws, code));
  }

  private inOrder(sessionId: string, run: () => Promise<void>): Promise<void> {
    let queue = this.queues.get(sessionId);
    if (!queue) this.queues.set(sessionId, (queue = new SerialQueue()));
    return queue.run(run).catch((e: unknown) => console.error(`socket ${sessionId}: event not published`, e));
  }

  private async publish(socket: SocketIdentity, method: SocketMethod, payload: Uint8Array | null): Promise<void> {
    const address = this.address();
    const message = socketRequestMessage(socket, method, payload, socketClientId(address));
    await appendToLog(this.env, { projectId: address.projectId, type: "WEBREQUEST", topic: null }, [message]);
  }

  private address(): GatewayAddress {
    return this.ctx.storage.kv.get<GatewayAddress>(ADDRESS)!;
  }

  private pushes(): PushReader {
    if (this.reader) return this.reader;
    const env = this.env;
    const address = this.address();
    const target = socketConsumer(address);
    const consumer = consumerStub(env, target);
    const clientId = socketClientId(address);
    const requester = { sessionId: socketObjectName(address), clientId, deliverTo: "socket" as const };
    this.reader = new PushReader(
      {
        read: (settings, readId) => consumer.read(target, settings, readId, requester),
        state: this.ctx.storage.kv,
        oldestOpenAt: () => this.oldestOpenAt(),
        push: (messages) => this.push(messages),
        now: () => Date.now(),
      },
      { clientId, consumer: target.consumer },
    );
    return this.reader;
  }
}
