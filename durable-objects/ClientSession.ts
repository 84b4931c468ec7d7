/**
 * ClientSession: owns one client WebSocket (hibernating between frames). It decodes frames, runs
 * them against the endpoint of its path, answers with Flux's reply rules, and delivers results that
 * other objects produce later (parked Reads). Handlers only delegate.
 */
import { DurableObject } from "cloudflare:workers";
import { publishConnect, publishDisconnect } from "../src/metrics/session-events";
import type { Compression } from "../src/protocol/compression";
import { decodeFrame, encodeFrame, fromLz4Frame } from "../src/protocol/frames";
import { dispatch } from "../src/session/dispatch";
import { errorResult, resultText } from "../src/session/result-text";
import { endpointFor } from "../src/session/endpoints";
import { closeIfKeyless, mayContinue } from "../src/session/session-access";
import type { SessionAttachment } from "../src/session/session-info";
import { withOwnPartitionStubs } from "../src/session/own-stubs";
import { SessionTrackers } from "../src/session/session-trackers";
import { SerialQueue } from "../src/serial-queue";

export class ClientSession extends DurableObject<Cloudflare.Env> {
  /**
   * Frames of one socket are handled in order. A frame of Appends only lets the next one start once
   * its appends are issued, so the next frame is decoded while this one's are stored; they reach each
   * partition through one stub of the session's own, so a later frame's cannot overtake. (The Java
   * reference server runs every frame on a pool, in no order at all.)
   */
  private readonly queue = new SerialQueue();
  private trackers!: SessionTrackers;
  /** The env the session's requests run with: its own stubs of the partitions it appends to. */
  private readonly requestEnv: Cloudflare.Env;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.requestEnv = withOwnPartitionStubs(env);
    ctx.blockConcurrencyWhile(async () => {
      this.trackers = new SessionTrackers(ctx.storage.sql);
    });
  }

  /** Accepts the WebSocket upgrade the Worker routed here. */
  override async fetch(request: Request): Promise<Response> {
    const attachment = JSON.parse(request.headers.get("x-flux-session")!) as SessionAttachment;
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment(attachment);
    this.ctx.waitUntil(publishConnect(this.env, attachment.info).catch((e) => console.warn("ConnectEvent not published", e)));
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    let finished: Promise<void> = Promise.resolve();
    // The queue moves on once the frame has issued its requests, or has finished, whichever comes first.
    await this.queue.run(() => new Promise<void>((started) => void (finished = this.handleFrame(ws, message, started).finally(started))));
    await finished;
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    await this.closeSession(ws, code, reason);
    // Completes the closing handshake the client started.
    try {
      ws.close(code === 1005 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.closeSession(ws, 1006, "error");
  }

  /** Whether this session's socket is open. */
  async isOpen(): Promise<boolean> {
    return this.ctx.getWebSockets().length > 0;
  }

  /** Closes the socket if it opened without an API key (the first key was just created). */
  async closeIfKeyless(): Promise<boolean> {
    const ws = this.ctx.getWebSockets()[0];
    return ws ? closeIfKeyless(ws) : false;
  }

  /** Sends a result produced elsewhere (a parked Read answered by its Consumer). */
  async deliver(result: string): Promise<boolean> {
    return this.sendOut((compression) => encodeFrame([result], compression));
  }

  /**
   * Sends an LZ4 frame of one result made elsewhere (a batch a partition compressed ahead): as it
   * is, or, should this socket not read LZ4, decompressed and framed as it does.
   */
  async deliverFrame(frame: Uint8Array): Promise<boolean> {
    return this.sendOut((compression) => fromLz4Frame(frame, compression));
  }

  /** Sends the frame `make` encodes for this socket's compression; false when the socket is gone. */
  private async sendOut(make: (compression: Compression) => Promise<Uint8Array> | Uint8Array): Promise<boolean> {
    const ws = this.ctx.getWebSockets()[0];
    if (!ws) return false;
    const attachment = ws.deserializeAttachment() as SessionAttachment;
    if (!(await mayContinue(ws, attachment, this.env.DB))) return false;
    ws.send(await make(attachment.compression));
    return true;
  }

  private async handleFrame(ws: WebSocket, message: ArrayBuffer | string, started: () => void): Promise<void> {
    const attachment = ws.deserializeAttachment() as SessionAttachment;
    const { info, compression } = attachment;
    let results: string[];
    try {
      // Inside the try: a failing key check answers the frame with an error, the socket stays open.
      if (!(await mayContinue(ws, attachment, this.env.DB))) return;
      const requests = await decodeFrame(message, compression);
      this.trackers.note(info, requests);
      // Only Appends let the next frame start early: they reach their partitions through the session's
      // own stubs, in order. Anything else (key-value writes, events, schedules, positions) finishes
      // first, so that two frames' requests to one object are never reordered.
      const appendsOnly = requests.length > 0 && requests.every((r) => r["@type"] === "append");
      results = await dispatch(requests, endpointFor(info.path)!, { ...info, compression }, this.requestEnv, appendsOnly ? started : undefined);
    } catch (e) {
      // A frame that cannot be decoded gets an error; the session stays open.
      results = [resultText(errorResult(e), -1)];
    }
    if (results.length > 0) ws.send(await encodeFrame(results, compression));
  }

  private async closeSession(ws: WebSocket, code: number, reason: string): Promise<void> {
    const { info } = ws.deserializeAttachment() as SessionAttachment;
    await Promise.all([
      this.trackers.disconnectAll(this.env, info),
      publishDisconnect(this.env, info, code, reason).catch((e) => console.warn("DisconnectEvent not published", e)),
    ]);
  }
}
