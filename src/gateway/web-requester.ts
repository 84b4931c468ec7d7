/**
 * One web gateway: publishes HTTP requests as WEBREQUESTs and hands each caller the reply built
 * from its WEBRESPONSE. Like Flux's `DefaultRequestHandler`, it tracks the WEBRESPONSE log as a
 * requester (filterMessageTarget, ignoreSegment, clientControlledIndex), so the partitions pass
 * it only responses targeted at its client id. While any request is open it keeps exactly one
 * Read parked at its Consumer; the Consumer answers through the host object's `deliver`, or at
 * once when responses are already there. With no request open it stops reading.
 */
import { minIndexFromMillis } from "../log/index-clock";
import { parseJson } from "../protocol/json";
import type { SerializedMessage } from "../protocol/messages";
import { toIndex } from "../tracking/position";
import type { ReadSettings } from "../tracking/tracker";
import { PendingRequests, type RoutedResponse } from "./pending-requests";
import type { WebRequestInit } from "./web-request";
import { webRequestMessage } from "./web-request";
import { type GatewayReply, handlerErrorReply } from "./web-response";

/** What the gateway needs of its host object. */
export interface GatewayHost {
  /** Appends the WEBREQUEST; resolves once it is stored. */
  publish(message: SerializedMessage): Promise<void>;
  /** Sends a Read to the response consumer: the encoded ReadResult now, or null when parked. */
  read(settings: ReadSettings, requestId: number): Promise<string | null>;
  now(): number;
}

/** Who the gateway is in Flux terms. */
export interface GatewayIdentity {
  clientId: string;
  consumer: string;
}

/** How long a Read stays parked before the Consumer answers it empty (and it is sent again). */
export const READ_TIMEOUT_MS = 30_000;
/** Pause before reading again after a Read failed. */
export const RETRY_DELAY_MS = 1000;
/** Responses may carry indexes a little behind the gateway's clock (other machines' clocks). */
export const CLOCK_SKEW_MS = 2000;

/**
 * A Read of the WEBRESPONSE log as Flux's requesters send it (`DefaultRequestHandler`, the proxy's
 * websocket handler): only messages targeted at this client, on every segment, after `lastIndex`.
 */
export function requesterRead(identity: GatewayIdentity, lastIndex: bigint): ReadSettings {
  return {
    consumer: identity.consumer,
    trackerId: identity.clientId,
    maxSize: 1024,
    maxTimeout: READ_TIMEOUT_MS,
    typeFilter: null,
    filterMessageTarget: true,
    ignoreSegment: true,
    singleTracker: false,
    clientControlledIndex: true,
    lastIndex,
    purgeTimeout: null,
  };
}

/** A ReadResult as the Consumer encodes it. */
export interface ReadResultBody {
  "@type"?: string;
  requestId?: unknown;
  messageBatch?: { messages?: RoutedResponse[]; lastIndex?: unknown };
}

/** The requester side of web requests for one gateway object. */
export class WebRequester {
  private readonly pending: PendingRequests;
  /** The id of the Read in flight (sent or parked), or null when none is. */
  private reading: number | null = null;
  private nextReadId = 0;
  /** The last WEBRESPONSE index this gateway has seen (client-controlled). */
  private lastIndex: bigint;

  constructor(
    private readonly host: GatewayHost,
    private readonly identity: GatewayIdentity,
    timeoutMs: number,
  ) {
    this.pending = new PendingRequests(timeoutMs, () => host.now());
    this.lastIndex = minIndexFromMillis(host.now() - CLOCK_SKEW_MS);
  }

  /** Publishes `request` and resolves with the reply to send (504 on timeout, 500 on failure). */
  async send(request: WebRequestInit): Promise<GatewayReply> {
    const { requestId, reply } = this.pending.add();
    this.ensureReading();
    try {
      await this.host.publish(webRequestMessage(request, this.identity.clientId, requestId, this.host.now()));
    } catch (e) {
      console.error("web request not published", e);
      this.pending.finish(requestId, handlerErrorReply());
    }
    return reply;
  }

  /** A ReadResult delivered later by the Consumer (the parked Read answered). */
  deliver(text: string): void {
    this.onResult(text);
  }

  /** Number of requests waiting for a response. */
  get openRequests(): number {
    return this.pending.size;
  }

  private ensureReading(): void {
    if (this.reading !== null || this.pending.size === 0) return;
    const readId = this.nextReadId++;
    this.reading = readId;
    this.host.read(this.readSettings(), readId).then(
      (text) => {
        if (text !== null) this.onResult(text);
      },
      (e: unknown) => {
        console.warn("reading web responses failed; retrying", e);
        if (this.reading === readId) this.retryLater();
      },
    );
  }

  private onResult(text: string): void {
    const result = parseJson(text) as ReadResultBody;
    // A result of an older Read (superseded, or sent before this object restarted) carries nothing new.
    if (this.reading === null || result.requestId !== this.reading) return;
    if (result["@type"] !== "readResult") {
      console.warn("reading web responses failed; retrying", result);
      return this.retryLater();
    }
    this.reading = null;
    const batch = result.messageBatch ?? {};
    for (const message of batch.messages ?? []) this.pending.accept(message);
    if (batch.lastIndex !== undefined && batch.lastIndex !== null) {
      const last = toIndex(batch.lastIndex);
      if (last > this.lastIndex) this.lastIndex = last;
    }
    this.ensureReading();
  }

  private retryLater(): void {
    this.reading = null;
    setTimeout(() => this.ensureReading(), RETRY_DELAY_MS);
  }

  /**
   * The Read for the response consumer. It starts after the last response seen, but never before
   * the oldest open request was published: earlier responses cannot be for it, and skipping them
   * keeps each Read from rescanning responses meant for other gateways.
   */
  private readSettings(): ReadSettings {
    const oldest = this.pending.oldestOpenedAt();
    const floor = oldest === null ? this.lastIndex : minIndexFromMillis(oldest - CLOCK_SKEW_MS);
    return requesterRead(this.identity, floor > this.lastIndex ? floor : this.lastIndex);
  }
}
