/**
 * Bench-only Worker: the request/reply round trip through the local runtime with none of the hub's
 * code, the floor any design on this runtime starts from. Two WebSocket clients, an asker and an
 * answerer; every frame is `<recipient>\n<body>` and is carried in one of three shapes:
 * - `relay`: each socket in its own object (as the hub's sessions are), one RPC to the other;
 * - `logged`: the same, with a log object between them that inserts every message into SQLite and
 *   pushes it to the recipient's object before the write, as the hub's partitions do (the hub's shape);
 * - `single`: both sockets and the log in one object, no RPC at all.
 */
import { DurableObject } from "cloudflare:workers";

interface Env {
  SOCKETS: DurableObjectNamespace<Sockets>;
  LOG: DurableObjectNamespace<Log>;
}

export type FloorShape = "relay" | "logged" | "single";

/** Splits a frame into recipient and body. */
function parse(frame: string): [string, string] {
  const at = frame.indexOf("\n");
  return [frame.slice(0, at), frame.slice(at + 1)];
}

/** Holds hibernating sockets, tagged with their client's name. */
export class Sockets extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [url.searchParams.get("name")!, url.searchParams.get("shape")!]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const [to, body] = parse(String(frame));
    const shape = this.ctx.getTags(ws)[1] as FloorShape;
    if (shape === "single") {
      this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS messages (idx INTEGER PRIMARY KEY, message TEXT NOT NULL)");
      for (const peer of this.ctx.getWebSockets(to)) peer.send(body);
      this.ctx.storage.sql.exec("INSERT INTO messages (message) VALUES (?)", body);
    } else if (shape === "logged") {
      await this.env.LOG.get(this.env.LOG.idFromName("log")).append(to, body);
    } else {
      await this.env.SOCKETS.get(this.env.SOCKETS.idFromName(to)).deliver(to, body);
    }
  }

  /** Sends `body` to the sockets of client `to`. */
  deliver(to: string, body: string): void {
    for (const ws of this.ctx.getWebSockets(to)) ws.send(body);
  }
}

/** A log partition reduced to its core: push to the recipient, then store. */
export class Log extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS messages (idx INTEGER PRIMARY KEY, message TEXT NOT NULL)");
  }

  async append(to: string, body: string): Promise<void> {
    const pushed = this.env.SOCKETS.get(this.env.SOCKETS.idFromName(to)).deliver(to, body);
    this.ctx.storage.sql.exec("INSERT INTO messages (message) VALUES (?)", body);
    await pushed;
  }
}

export default {
  /** `GET /?name=<client>&shape=<shape>` upgrades; `single` puts every socket in one object. */
  fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const shape = url.searchParams.get("shape");
    const name = shape === "single" ? "single" : url.searchParams.get("name")!;
    return env.SOCKETS.get(env.SOCKETS.idFromName(name)).fetch(request);
  },
};
