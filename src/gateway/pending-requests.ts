/**
 * The web requests a gateway object waits on, in memory: a request is a live HTTP call held by
 * this very object, so if the object goes away the call goes with it and there is nothing to
 * resume. Each request ends with the reply built from its WEBRESPONSE, or with 504 at its
 * deadline. Chunked responses (metadata `$finalChunk: "false"` on all but the last chunk) are
 * joined, as Flux's `DefaultRequestHandler` joins intermediate results.
 */
import { type GatewayReply, type ResponseMessage, bodyOf, handlerErrorReply, replyFromResponse, timeoutReply } from "./web-response";

/** A WEBRESPONSE with the routing fields the gateway matches on. */
export interface RoutedResponse extends ResponseMessage {
  requestId?: number | null;
}

interface Pending {
  openedAt: number;
  chunks: Uint8Array[];
  finish(reply: GatewayReply): void;
}

/** Request ids are Java ints. */
const MAX_REQUEST_ID = 2 ** 31 - 1;

function joined(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Open web requests by request id. */
export class PendingRequests {
  private readonly open = new Map<number, Pending>();
  private nextId: number;

  /**
   * Ids start at a random point so that a restarted object does not reuse the ids of requests
   * whose late responses may still be in the log.
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
    firstId = Math.floor(Math.random() * MAX_REQUEST_ID),
  ) {
    this.nextId = firstId;
  }

  /** Opens a request: its id, and the reply it ends with (504 after the timeout). */
  add(): { requestId: number; reply: Promise<GatewayReply> } {
    const requestId = this.nextId;
    this.nextId = this.nextId >= MAX_REQUEST_ID ? 0 : this.nextId + 1;
    const reply = new Promise<GatewayReply>((resolve) => {
      const timer = setTimeout(() => this.finish(requestId, timeoutReply(this.timeoutMs)), this.timeoutMs);
      this.open.set(requestId, {
        openedAt: this.now(),
        chunks: [],
        finish: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
    return { requestId, reply };
  }

  /** Ends a request with `reply` (e.g. when publishing it failed); no-op when it already ended. */
  finish(requestId: number, reply: GatewayReply): void {
    const pending = this.open.get(requestId);
    if (!pending) return;
    this.open.delete(requestId);
    pending.finish(reply);
  }

  /** Applies a WEBRESPONSE addressed to this gateway; responses to unknown requests are ignored. */
  accept(message: RoutedResponse): void {
    const pending = typeof message.requestId === "number" ? this.open.get(message.requestId) : undefined;
    if (!pending) return;
    const body = bodyOf(message);
    if (body === null) return this.finish(message.requestId!, handlerErrorReply());
    pending.chunks.push(body);
    if (message.metadata?.$finalChunk === "false") return;
    this.finish(message.requestId!, replyFromResponse(message, joined(pending.chunks)));
  }

  /** Number of open requests. */
  get size(): number {
    return this.open.size;
  }

  /** When the oldest open request was opened (epoch ms), or null. */
  oldestOpenedAt(): number | null {
    let oldest: number | null = null;
    for (const p of this.open.values()) oldest = oldest === null ? p.openedAt : Math.min(oldest, p.openedAt);
    return oldest;
  }
}
