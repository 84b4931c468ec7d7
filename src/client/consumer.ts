/**
 * Consumers: `consume()` runs `threads` trackers that call a handler per message, answer commands
 * and queries with RESULTs, report failures to the ERROR log and retry them with backoff;
 * `messages()` is the same tracking as an async iterator.
 */
import type { MessageType } from "../protocol/messages";
import { backoffDelay, sleep } from "./backoff";
import { type Endpoints, publishPath, readPath } from "./endpoints";
import { FluxError } from "./errors";
import { type FluxMessage, jsonData } from "./messages";
import { HANDLER_ERROR_TYPE, errorPayload, expectsResult, resultFor } from "./results";
import { type MessageBatch, Tracker, type TrackerSettings } from "./tracker";

/** What to track and how. */
export interface ConsumerOptions {
  /** The consumer name: trackers with the same name share the log's segments. */
  consumer: string;
  /** The log to track; NOTIFICATION reads the EVENT log as a broadcast. */
  messageType: MessageType;
  /** The topic, for CUSTOM logs and DOCUMENT collections. */
  topic?: string;
  /** A regular expression that `data.type` must fully match; untyped messages always pass. */
  typeFilter?: string;
  /** Most messages per batch (default 1024). */
  maxSize?: number;
  /** How long the hub may hold a Read with nothing new (ms, default 30 000). */
  maxTimeoutMs?: number;
  /** Without a stored position, start at the log's beginning rather than now (default false). */
  fromBeginning?: boolean;
  /** Give all segments to one tracker of the consumer (default false). */
  singleTracker?: boolean;
}

/** Options of {@link FluxClient.consume}. */
export interface ConsumeOptions<T = unknown> extends ConsumerOptions {
  /** Trackers to run in parallel, each with its share of the segments (default 1). */
  threads?: number;
  /**
   * Handles one message. For a command or query sent with `send`/`query`, the value returned
   * (or the error thrown) is the requester's result.
   */
  handler: (message: FluxMessage<T>) => unknown;
  /** Attempts per message before a failing (non-request) message is skipped (default 5). */
  attempts?: number;
  /** First retry delay (ms, default 250), doubled on every attempt up to 10 s. */
  retryDelayMs?: number;
}

/** A running consumer. */
export interface Consumer {
  /** The consumer name. */
  readonly name: string;
  /**
   * Resolves once the hub gave every tracker of this consumer a segment range (for a
   * `singleTracker` consumer: once one holds them all), so every message published from then on
   * reaches a handler here. Rejects with `timeout` after `timeoutMs` (default 30 000) and with
   * `closed` when the consumer stops first.
   */
  ready(timeoutMs?: number): Promise<void>;
  /** Stops every tracker (DisconnectTracker) after the batch in hand; resolves once they stopped. */
  stop(): Promise<void>;
}

/** The Read settings shared by `consume` and `messages`. */
function trackerSettings(o: ConsumerOptions, trackerId: string): TrackerSettings {
  if (!o.consumer) throw new FluxError("invalid_argument", "consumer is required");
  if ((o.messageType === "CUSTOM" || o.messageType === "DOCUMENT") && !o.topic) {
    throw new FluxError("invalid_argument", `${o.messageType} consumers need a topic`);
  }
  return {
    messageType: o.messageType,
    consumer: o.consumer,
    trackerId,
    maxSize: o.maxSize ?? 1024,
    maxTimeoutMs: o.maxTimeoutMs ?? 30_000,
    typeFilter: o.typeFilter ?? null,
    filterMessageTarget: false,
    ignoreSegment: false,
    singleTracker: o.singleTracker ?? false,
    clientControlledIndex: false,
    lastIndex: o.fromBeginning ? -1n : null,
    storePositions: o.messageType !== "NOTIFICATION",
  };
}

/** Starts `options.threads` trackers with ids `<clientId>_<n>`, numbered from `firstTracker`. */
export function consume<T>(endpoints: Endpoints, options: ConsumeOptions<T>, firstTracker = 0): Consumer {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new FluxError("invalid_argument", "threads must be a positive integer");
  const { clientId, logger } = endpoints.settings;
  const connection = endpoints.connection(readPath(options.messageType), options.topic);
  const controller = new AbortController();
  const trackers = Array.from({ length: threads }, (_, n) => new Tracker(connection, trackerSettings(options, `${clientId}_${firstTracker + n}`), controller.signal, logger));
  const readiness = new Readiness(options.singleTracker ? 1 : threads, controller.signal);
  const runs = trackers.map(async (tracker, n) => {
    let claimed: boolean | null = null;
    while (claimed === null && !controller.signal.aborted) claimed = await tracker.claim();
    if (claimed) readiness.holds(n);
    // A batch's StorePosition and the next Read leave in the same tick, so they share one frame.
    let committing: Promise<void> = Promise.resolve();
    while (!controller.signal.aborted) {
      const batch = await tracker.read();
      await committing;
      if (batch && batch.segment[0] < batch.segment[1]) readiness.holds(n);
      committing = batch && (await handleBatch(endpoints, tracker, batch, options, controller.signal)) ? tracker.commit(batch) : Promise.resolve();
    }
    await committing;
    await tracker.disconnect();
  });
  const done = Promise.all(runs).then(() => {});
  return {
    name: options.consumer,
    ready: (timeoutMs) => readiness.wait(options.consumer, timeoutMs),
    stop() {
      controller.abort();
      return done;
    },
  };
}

/** Which trackers of a consumer have held segments; `wait` resolves once `needed` of them have. */
class Readiness {
  private readonly holding = new Set<number>();
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly needed: number,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener("abort", () => this.notify(), { once: true });
  }

  /** Tracker `n` holds a segment range. */
  holds(n: number): void {
    if (this.holding.has(n)) return;
    this.holding.add(n);
    this.notify();
  }

  /** Resolves once ready; rejects with `timeout` or, when the consumer stops, `closed`. */
  wait(consumer: string, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.holding.size >= this.needed) resolve();
        else if (this.signal.aborted) reject(new FluxError("closed", `consumer ${consumer} stopped before it was ready`));
        else return;
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new FluxError("timeout", `consumer ${consumer} got no segments within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}

/**
 * Runs the handler over a batch, retrying a failing message with backoff. Results of commands
 * are appended (STORED) before the batch is committed; results of queries only, as the Java
 * client sends them, are sent without waiting: a query changes nothing, so a lost answer costs the
 * requester a timeout and a retry, while waiting would hold this tracker's next Read (and so every
 * next query) behind a commit. False when the batch must not be committed (stopped midway, or the
 * results of a command could not be published): it is then delivered again.
 */
async function handleBatch<T>(endpoints: Endpoints, tracker: Tracker, batch: MessageBatch, options: ConsumeOptions<T>, signal: AbortSignal): Promise<boolean> {
  const { logger } = endpoints.settings;
  const attempts = options.attempts ?? 5;
  const results = [];
  for (const message of batch.messages as FluxMessage<T>[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await options.handler(message);
        if (expectsResult(message)) results.push(resultFor(message, value));
        break;
      } catch (error) {
        reportError(endpoints, tracker, message, error, attempt);
        if (expectsResult(message)) {
          results.push(resultFor(message, error, true));
          break;
        }
        if (attempt >= attempts) {
          logger.error(`flux: ${options.consumer} skips message ${message.index} after ${attempt} failed attempts`, error);
          break;
        }
        await sleep(backoffDelay(attempt - 1, options.retryDelayMs ?? 250, 10_000), signal);
        if (signal.aborted) return false;
      }
    }
  }
  if (results.length > 0) {
    const publish = endpoints.connection(publishPath("RESULT")).request({ "@type": "append", messages: results, guarantee: "STORED" }, { timeoutMs: 30_000 });
    if (options.messageType === "QUERY") {
      publish.catch((e: unknown) => logger.error(`flux: ${options.consumer} could not publish ${results.length} query results`, e));
      return true;
    }
    try {
      await publish;
    } catch (e) {
      logger.error(`flux: ${options.consumer} could not publish ${results.length} results; the batch will be redelivered`, e);
      await sleep(1000, signal);
      return false;
    }
  }
  return true;
}

/** Publishes a handler failure to the ERROR log (fire and forget) and logs it. */
function reportError(endpoints: Endpoints, tracker: Tracker, message: FluxMessage, error: unknown, attempt: number): void {
  const { consumer, trackerId, messageType } = tracker.settings;
  endpoints.settings.logger.error(`flux: ${consumer} failed to handle ${messageType} ${message.type ?? ""} (attempt ${attempt})`, error);
  const entry = {
    data: jsonData(errorPayload(error), HANDLER_ERROR_TYPE),
    metadata: {
      $consumer: consumer,
      $trackerId: trackerId,
      messageType,
      messageId: message.messageId ?? "",
      messageIndex: String(message.index ?? ""),
      attempt: String(attempt),
    },
    messageId: crypto.randomUUID(),
    timestamp: Date.now(),
  };
  endpoints.connection(publishPath("ERROR")).post({ "@type": "append", messages: [entry], guarantee: "SENT" }).catch(() => {});
}

/** Messages of one tracker as an async iterator; a batch is committed when the next one is asked for. */
export class MessageStream<T = unknown> implements AsyncIterable<FluxMessage<T>> {
  private readonly controller = new AbortController();
  private readonly tracker: Tracker;
  private started = false;

  /** Use {@link FluxClient.messages}. */
  constructor(endpoints: Endpoints, options: ConsumerOptions) {
    const connection = endpoints.connection(readPath(options.messageType), options.topic);
    const settings = trackerSettings(options, `${endpoints.settings.clientId}_${crypto.randomUUID()}`);
    this.tracker = new Tracker(connection, settings, this.controller.signal, endpoints.settings.logger);
  }

  /** Stops the stream: a pending `next()` resolves as done. */
  stop(): void {
    this.controller.abort();
  }

  /** Iterates once; breaking out of the loop stops the tracker. */
  async *[Symbol.asyncIterator](): AsyncGenerator<FluxMessage<T>> {
    if (this.started) throw new FluxError("invalid_argument", "a message stream can be iterated once");
    this.started = true;
    // A batch's StorePosition and the next Read leave in the same tick, so they share one frame.
    let committing: Promise<void> = Promise.resolve();
    try {
      while (!this.controller.signal.aborted) {
        const batch = await this.tracker.read();
        await committing;
        // Stopped while the previous batch was being committed: this one is not handed out.
        if (!batch || this.controller.signal.aborted) continue;
        for (const m of batch.messages) yield m as FluxMessage<T>;
        committing = this.tracker.commit(batch);
      }
    } finally {
      this.controller.abort();
      await committing;
      await this.tracker.disconnect();
    }
  }
}
