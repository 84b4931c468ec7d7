/**
 * Request/response over logs, as Flux's DefaultRequestHandler does it: a command or query goes out
 * with `source` = clientId and a fresh int `requestId`; the handler's RESULT comes back with
 * `target` = clientId and the same requestId, read by one tracker per client on the RESULT log
 * (consumer `<clientName>_$request-handler`, filterMessageTarget + ignoreSegment +
 * clientControlledIndex, starting 2 s in the past). A query still unanswered after a second asks
 * the hub whether any tracker reads the QUERY log, and fails with `no_handler` when none does.
 */
import { type Endpoints, publishPath, readPath } from "./endpoints";
import { FluxError } from "./errors";
import { type MessageOptions, serialize } from "./messages";
import { unwrapResult } from "./results";
import { Tracker } from "./tracker";
import { trackerCount } from "./tracker-count";

/** How long a query waits for its answer before asking the hub whether anyone handles queries. */
const NO_HANDLER_CHECK_MS = 1000;

/** Options of `send` and `query`. */
export interface RequestOptions extends MessageOptions {
  /** Reject with a `timeout` FluxError when no result arrives within this (ms); the client's default otherwise. */
  timeoutMs?: number;
}

interface Waiting {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Sends requests and matches their RESULTs. */
export class RequestGateway {
  private readonly waiting = new Map<number, Waiting>();
  private readonly controller = new AbortController();
  private tracking: Promise<void> | undefined;
  private requestId = 0;

  constructor(
    private readonly endpoints: Endpoints,
    private readonly defaultTimeoutMs: number,
  ) {}

  /** Publishes `payload` to the COMMAND or QUERY log and resolves with the handler's result payload. */
  async request(messageType: "COMMAND" | "QUERY", payload: unknown, options: RequestOptions = {}): Promise<unknown> {
    if (this.controller.signal.aborted) throw new FluxError("closed", "the client was closed");
    this.tracking ??= this.trackResults();
    const requestId = ++this.requestId;
    const message = serialize(payload, options, { source: this.endpoints.settings.clientId, requestId });
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const result = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new FluxError("timeout", `no result for ${messageType.toLowerCase()} ${message.data.type ?? ""} within ${timeoutMs} ms`));
      }, timeoutMs);
      const check =
        messageType === "QUERY" && timeoutMs > NO_HANDLER_CHECK_MS
          ? setTimeout(async () => {
              if ((await trackerCount(this.endpoints, "QUERY")) !== 0) return;
              this.waiting.get(requestId)?.reject(new FluxError("no_handler", `no tracker reads the QUERY log: nobody can answer query ${message.data.type ?? ""}`));
            }, NO_HANDLER_CHECK_MS)
          : undefined;
      const settle = (fn: (v: unknown) => void) => (v: unknown) => {
        clearTimeout(timer);
        if (check !== undefined) clearTimeout(check);
        this.waiting.delete(requestId);
        fn(v);
      };
      this.waiting.set(requestId, { resolve: settle(resolve), reject: settle(reject) });
    });
    try {
      await this.endpoints.connection(publishPath(messageType)).post({ "@type": "append", messages: [message], guarantee: "SENT" });
    } catch (e) {
      this.waiting.get(requestId)?.reject(e);
    }
    return result;
  }

  /** Stops tracking results and rejects every outstanding request with `closed`. */
  close(): void {
    this.controller.abort();
    for (const w of [...this.waiting.values()]) w.reject(new FluxError("closed", "the client was closed"));
  }

  private async trackResults(): Promise<void> {
    const { clientId, clientName, logger } = this.endpoints.settings;
    const tracker = new Tracker(
      this.endpoints.connection(readPath("RESULT")),
      {
        messageType: "RESULT",
        consumer: `${clientName}_$request-handler`,
        trackerId: `${clientId}_$request-handler`,
        maxSize: 1024,
        maxTimeoutMs: 30_000,
        typeFilter: null,
        filterMessageTarget: true,
        ignoreSegment: true,
        singleTracker: false,
        clientControlledIndex: true,
        lastIndex: BigInt(Date.now() - 2000) << 16n,
        storePositions: false,
      },
      this.controller.signal,
      logger,
    );
    while (!this.controller.signal.aborted) {
      const batch = await tracker.read();
      if (!batch) continue;
      for (const m of batch.messages) {
        // Chunked results: only the final chunk settles the request.
        const waiting = m.target === clientId && m.requestId !== null ? this.waiting.get(m.requestId) : undefined;
        if (!waiting || m.metadata.$finalChunk === "false") continue;
        try {
          waiting.resolve(unwrapResult(m));
        } catch (e) {
          waiting.reject(e);
        }
      }
      await tracker.commit(batch);
    }
  }
}
