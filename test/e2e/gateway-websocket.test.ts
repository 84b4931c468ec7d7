// Browser WebSockets through a real local hub: an upgrade under /web becomes a WS_HANDSHAKE
// WEBREQUEST; once a handler (a plain Flux socket here) allows it, the browser's socket (the `ws`
// package) is open and its events reach the handler as WS_OPEN, WS_MESSAGE and WS_CLOSE with one
// sessionId, and WEBRESPONSEs the handler addresses to that sessionId reach the browser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { FluxSocket, type Json } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { readRequest } from "../support/tracking";

let hub: Hub;
beforeAll(async () => {
  hub = await startHub({ vars: { WEB_TIMEOUT_SECONDS: "5" } });
});
afterAll(async () => {
  await hub?.dispose();
});

const b64 = (text: string) => Buffer.from(text).toString("base64");
const text = (m: Json) => (m.data.value === null ? null : Buffer.from(m.data.value, "base64").toString());

/** A handler application: reads the project's WEBREQUESTs in order and publishes WEBRESPONSEs. */
class Handler {
  private readonly seen: Json[] = [];
  private reading: Promise<void> | null = null;

  private constructor(
    private readonly reader: FluxSocket,
    private readonly publisher: FluxSocket,
  ) {}

  static async start(project: string): Promise<Handler> {
    const params = { clientId: "web-app", projectId: project };
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readwebrequest", params);
    const publisher = await FluxSocket.open(hub.wsUrl, "tracking/publishwebresponse", params);
    const handler = new Handler(reader, publisher);
    // The first Read is parked before anything is published: a new consumer starts at "now".
    handler.reading = handler.readBatch();
    return handler;
  }

  /** The next WEBREQUEST. */
  async next(): Promise<Json> {
    while (this.seen.length === 0) {
      this.reading ??= this.readBatch();
      await this.reading;
      this.reading = null;
    }
    return this.seen.shift()!;
  }

  /** Publishes a WEBRESPONSE. */
  async respond(response: Json): Promise<void> {
    await this.publisher.request({ "@type": "append", messages: [{ messageId: crypto.randomUUID(), timestamp: Date.now(), ...response }], guarantee: "STORED" });
  }

  /** Allows a WS_HANDSHAKE, naming this tracker as Flux's WebsocketResponseInterceptor does. */
  async allow(handshake: Json): Promise<void> {
    await this.respond({
      target: handshake.source,
      requestId: handshake.requestId,
      data: { value: null, type: null, revision: 0 },
      metadata: { status: "204", clientId: "web-app", trackerId: "web-app-1" },
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.reader.close(), this.publisher.close()]);
  }

  private async readBatch(): Promise<void> {
    const read = await this.reader.request(readRequest("web-app_WEBREQUEST", "web-app-1", { maxTimeout: 5000 }), 10_000);
    const { messages, segment, lastIndex } = read.messageBatch;
    this.seen.push(...messages);
    if (lastIndex !== null) {
      await this.reader.request({ "@type": "storePosition", consumer: "web-app_WEBREQUEST", segment, lastIndex, guarantee: "STORED" });
    }
  }
}

/** A browser socket that collects what it receives. */
function browser(url: string, protocols: string[] = []) {
  const ws = new WebSocket(url, protocols, { perMessageDeflate: false });
  const received: string[] = [];
  const waiting: (() => void)[] = [];
  ws.on("message", (data: Buffer) => {
    received.push(data.toString());
    waiting.splice(0).forEach((w) => w());
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once("error", reject);
  });
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  const nextMessage = async () => {
    while (received.length === 0) await new Promise<void>((r) => waiting.push(r));
    return received.shift()!;
  };
  return { ws, opened, closed, nextMessage };
}

describe("browser WebSockets through the hub", () => {
  it("maps handshake, open, message and close to WEBREQUESTs and sends the handler's pushes", async () => {
    const handler = await Handler.start("chat");
    const b = browser(`${hub.wsUrl}/web/rooms/lobby?projectId=chat&user=ann`);

    const handshake = await handler.next();
    expect(handshake.metadata).toMatchObject({ method: "WS_HANDSHAKE", url: "/rooms/lobby?user=ann" });
    expect(JSON.parse(handshake.metadata.headers)).toMatchObject({ upgrade: ["websocket"] });
    expect(handshake.metadata.sessionId).toBeUndefined();
    await handler.allow(handshake);
    await b.opened;

    const open = await handler.next();
    const sessionId = open.metadata.sessionId;
    expect(sessionId).toEqual(expect.any(String));
    expect(open.metadata).toMatchObject({ method: "WS_OPEN", url: "/rooms/lobby?user=ann" });
    expect(open).toMatchObject({ target: "web-app-1", source: expect.stringMatching(/^flux-edge-ws-\d$/) });
    expect(open.data).toMatchObject({ value: null, type: null, format: "unknown" });

    b.ws.send("hello");
    const message = await handler.next();
    expect(message.metadata).toMatchObject({ method: "WS_MESSAGE", sessionId });
    expect(text(message)).toBe("hello");

    // The handler's reply, as Flux's WebsocketResponseInterceptor addresses it.
    await handler.respond({
      target: message.source,
      data: { value: b64("hi ann"), type: "java.lang.String", revision: 0 },
      metadata: { sessionId, function: "message" },
    });
    expect(await b.nextMessage()).toBe("hi ann");

    b.ws.close(1000);
    expect(await b.closed).toBe(1000);
    const close = await handler.next();
    expect(close.metadata).toMatchObject({ method: "WS_CLOSE", sessionId });
    expect(text(close)).toBe("1000");
    await handler.close();
  });

  it("closes the socket when the handler pushes a close, and reports it as WS_CLOSE", async () => {
    const handler = await Handler.start("chat-2");
    const b = browser(`${hub.wsUrl}/web/feed?projectId=chat-2`);
    await handler.allow(await handler.next());
    await b.opened;
    const open = await handler.next();
    await handler.respond({ target: open.source, data: { value: b64("4000"), type: null, revision: 0 }, metadata: { sessionId: open.metadata.sessionId, function: "close" } });
    const close = await handler.next();
    expect(close.metadata).toMatchObject({ method: "WS_CLOSE", sessionId: open.metadata.sessionId });
    expect(text(close)).toBe("4000");
    // The local runtime ends the connection some 10 s after a close the server started.
    expect(await b.closed).toBe(4000);
    await handler.close();
  });

  it("passes subprotocol pairs as headers and answers with the first subprotocol", async () => {
    const handler = await Handler.start("chat-3");
    const b = browser(`${hub.wsUrl}/web/secure?projectId=chat-3`, ["x-token", "t-1"]);
    const handshake = await handler.next();
    expect(JSON.parse(handshake.metadata.headers)).toMatchObject({ "x-token": ["t-1"] });
    await handler.allow(handshake);
    await b.opened;
    expect(b.ws.protocol).toBe("x-token");
    b.ws.close();
    await b.closed;
    await handler.close();
  });

  it("refuses the upgrade with the handler's answer when it is not below 300", async () => {
    const handler = await Handler.start("chat-4");
    const b = browser(`${hub.wsUrl}/web/private?projectId=chat-4`);
    const handshake = await handler.next();
    // Expected before the answer goes out: the refusal can arrive before respond() resolves.
    const refused = expect(b.opened).rejects.toThrow("upgrade refused: 403");
    await handler.respond({ target: handshake.source, requestId: handshake.requestId, data: { value: b64("no"), type: null, revision: 0 }, metadata: { status: "403" } });
    await refused;
    await handler.close();
  });
});
