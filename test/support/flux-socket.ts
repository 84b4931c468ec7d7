/**
 * A minimal Flux protocol connection for tests: sends requests as compressed binary frames over a
 * real WebSocket (per-message deflate off, as Flux clients run) and matches results by requestId.
 */
import WebSocket from "ws";
import { type Compression, compress, decompress } from "../../src/protocol/compression";
import { parseJson, stringifyJson } from "../../src/protocol/json";

export type Json = Record<string, any>;

let nextRequestId = 1;

/** One open Flux session. */
export class FluxSocket {
  private readonly waiting = new Map<string, (r: Json) => void>();
  /** Every result received, in order (including unsolicited ones). */
  readonly received: Json[] = [];

  private constructor(readonly ws: WebSocket, readonly compression: Compression) {
    ws.on("message", async (data: Buffer) => {
      const bytes = await decompress(new Uint8Array(data), compression);
      const value = parseJson(new TextDecoder().decode(bytes)) as Json;
      const results = value["@type"] === "resultBatch" ? (value.results as Json[]) : [value];
      for (const r of results) {
        this.received.push(r);
        const key = String(r.requestId);
        const resolve = this.waiting.get(key);
        if (resolve) {
          this.waiting.delete(key);
          resolve(r);
        }
      }
    });
  }

  /** Opens `path` with the given query parameters. */
  static async open(wsUrl: string, path: string, params: Record<string, string> = {}, compression: Compression = "LZ4"): Promise<FluxSocket> {
    const q = new URLSearchParams({ clientId: "test-client", clientName: "test", compression, ...params });
    const ws = new WebSocket(`${wsUrl}/${path}?${q}`, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return new FluxSocket(ws, compression);
  }

  /** Sends one frame holding `requests` (a requestBatch when more than one); assigns requestIds. */
  async send(...requests: Json[]): Promise<number[]> {
    const ids = requests.map((r) => (r.requestId ??= nextRequestId++));
    const body = requests.length === 1 ? requests[0] : { "@type": "requestBatch", requests };
    this.ws.send(await compress(new TextEncoder().encode(stringifyJson(body)), this.compression));
    return ids;
  }

  /** Sends raw bytes as one frame. */
  sendRaw(bytes: Uint8Array | string): void {
    this.ws.send(bytes);
  }

  /** Resolves with the result for `requestId`, or rejects after `timeoutMs`. */
  result(requestId: number, timeoutMs = 10_000): Promise<Json> {
    const done = this.received.find((r) => String(r.requestId) === String(requestId));
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(String(requestId));
        reject(new Error(`no result for request ${requestId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(String(requestId), (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }

  /** Sends one request and waits for its result. */
  async request(request: Json, timeoutMs?: number): Promise<Json> {
    const [id] = await this.send(request);
    return this.result(id, timeoutMs);
  }

  /** Closes the socket and waits until it is closed. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once("close", () => resolve());
      this.ws.close(1000, "done");
    });
  }
}

/** A Flux SerializedMessage with a JSON payload. */
export function message(payload: unknown, { type = "com.example.Payload", ...extra }: Json = {}): Json {
  return {
    data: { value: Buffer.from(JSON.stringify(payload)).toString("base64"), type, revision: 0 },
    metadata: {},
    messageId: crypto.randomUUID(),
    timestamp: Date.now(),
    ...extra,
  };
}

/** Decodes the JSON payload of a received message. */
export function payloadOf(m: Json): any {
  return JSON.parse(Buffer.from(m.data.value, "base64").toString());
}

/** Attempts a WebSocket upgrade that the hub should refuse; returns the status and JSON body. */
export function refusedUpgrade(url: string): Promise<{ status: number; body: Json }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once("open", () => reject(new Error("upgrade was accepted")));
    ws.once("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
  });
}
