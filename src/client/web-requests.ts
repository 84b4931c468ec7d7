/**
 * Serving HTTP through the hub: the hub publishes each call under its web prefix as a WEBREQUEST
 * (body bytes as data, `url`/`method`/`headers` metadata), and waits for a WEBRESPONSE targeted at
 * the request's `source` with the same `requestId`, whose metadata carries `status` and `headers`
 * (JSON of name → values) and whose data is the body. `handleWebRequests` is a WEBREQUEST consumer
 * that turns each request into a {@link WebRequest}, calls the handler and publishes its answer so.
 */
import { fromBase64, toBase64 } from "../protocol/base64";
import type { SerializedMessage } from "../protocol/messages";
import type { ConsumerOptions } from "./consumer";
import { type Endpoints, publishPath } from "./endpoints";
import { FluxError } from "./errors";
import type { FluxMessage } from "./messages";

/** The answer to a web request: status (default 200), headers and body. */
export interface WebResponseInit {
  status?: number;
  headers?: Record<string, string | readonly string[]>;
  /** Text, bytes, or any other value sent as JSON (with `content-type: application/json`). */
  body?: string | Uint8Array | unknown;
}

/** Options of {@link FluxClient.handleWebRequests}. */
export interface WebRequestHandlerOptions extends Omit<ConsumerOptions, "messageType" | "topic" | "typeFilter"> {
  /** Answers one request; a throw (or a rejected promise) answers 500. */
  handler: (request: WebRequest) => WebResponseInit | Promise<WebResponseInit>;
  /** Trackers to run in parallel (default 1). */
  threads?: number;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** An HTTP request that reached the hub's web prefix. */
export class WebRequest {
  /** `GET`, `POST`, … */
  readonly method: string;
  /** The path after the web prefix, with its query, e.g. `/orders/o-1?verbose=1`. */
  readonly url: string;
  /** The request headers (names as the hub received them, read case-insensitively). */
  readonly headers: Headers;
  /** The body bytes (empty when there is none). */
  readonly body: Uint8Array;

  /** Wraps a WEBREQUEST message. */
  constructor(
    /** The WEBREQUEST as read from the log. */
    readonly message: FluxMessage,
  ) {
    const metadata = message.metadata;
    this.method = metadata.method ?? "GET";
    this.url = metadata.url ?? "/";
    this.headers = new Headers();
    for (const [name, values] of Object.entries(parseHeaders(metadata.headers))) {
      for (const value of values) this.headers.append(name, value);
    }
    this.body = message.serialized.data.value ? fromBase64(message.serialized.data.value) : new Uint8Array();
  }

  /** The path without the query, e.g. `/orders/o-1`. */
  get path(): string {
    return this.parsedUrl().pathname;
  }

  /** The query parameters. */
  get query(): URLSearchParams {
    return this.parsedUrl().searchParams;
  }

  /** The body as UTF-8 text. */
  text(): string {
    return utf8Decoder.decode(this.body);
  }

  /** The URL parsed against a placeholder origin (the gateway sends the path and query only). */
  private parsedUrl(): URL {
    return new URL(this.url.startsWith("/") ? `http://web${this.url}` : this.url);
  }

  /** The body parsed as JSON; throws `invalid_argument` when it is not JSON. */
  json<T = unknown>(): T {
    try {
      return JSON.parse(this.text()) as T;
    } catch (e) {
      throw new FluxError("invalid_argument", "the request body is not JSON", { cause: e });
    }
  }
}

function parseHeaders(json: string | undefined): Record<string, string[]> {
  try {
    const map = json ? (JSON.parse(json) as Record<string, string[]>) : {};
    return typeof map === "object" && map !== null ? map : {};
  } catch {
    return {};
  }
}

/** The WEBRESPONSE answering `request` with `init`. */
function webResponseFor(request: WebRequest, init: WebResponseInit): SerializedMessage {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = typeof value === "string" ? [value] : [...value];
  let body: Uint8Array;
  if (init.body === undefined || init.body === null) body = new Uint8Array();
  else if (init.body instanceof Uint8Array) body = init.body;
  else if (typeof init.body === "string") body = utf8Encoder.encode(init.body);
  else {
    body = utf8Encoder.encode(JSON.stringify(init.body));
    headers["content-type"] ??= ["application/json"];
  }
  const m = request.message;
  return {
    data: { value: toBase64(body), type: null, revision: 0, format: headers["content-type"]?.[0] ?? null },
    metadata: { status: String(init.status ?? 200), headers: JSON.stringify(headers) },
    messageId: crypto.randomUUID(),
    timestamp: Date.now(),
    target: m.source,
    requestId: m.requestId,
    segment: m.segment,
  };
}

/**
 * The consumer handler behind `handleWebRequests`: answers each WEBREQUEST with `handler`'s
 * response, published (STORED) before the batch is committed, so a failed publish is retried.
 */
export function webRequestHandler(endpoints: Endpoints, options: WebRequestHandlerOptions): (message: FluxMessage) => Promise<void> {
  const { logger } = endpoints.settings;
  return async (message) => {
    if (message.source === null || message.requestId === null) return; // nobody waits for an answer
    const request = new WebRequest(message);
    let response: WebResponseInit;
    try {
      response = await options.handler(request);
    } catch (e) {
      logger.error(`flux: ${options.consumer} failed to handle ${request.method} ${request.url}`, e);
      response = { status: 500 };
    }
    await endpoints.connection(publishPath("WEBRESPONSE")).request(
      { "@type": "append", messages: [webResponseFor(request, response)], guarantee: "STORED" },
      { timeoutMs: 30_000 },
    );
  };
}
