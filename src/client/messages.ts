/**
 * Messages as the SDK user sees them: JSON payloads going out (turned into Flux SerializedMessages
 * with base64 JSON `data.value`) and `FluxMessage`s coming in (payload decoded on first use).
 */
import { fromBase64, toBase64 } from "../protocol/base64";
import { parseJson, stringifyJson } from "../protocol/json";
import type { Data, MessageType, SerializedMessage } from "../protocol/messages";
import { segmentOf } from "../protocol/segment";

/** How one outgoing message is described beyond its payload. */
export interface MessageOptions {
  /** `data.type`, what handlers and `typeFilter` match on, e.g. `"com.shop.OrderPlaced"`. */
  type?: string;
  /** `data.revision` of the payload's type; 0 by default. */
  revision?: number;
  /** Flat string metadata. */
  metadata?: Record<string, string>;
  /** A client-chosen id; a random UUID by default. The hub hashes it into the segment when `segment` is unset. */
  messageId?: string;
  /** The segment (0–127) to route the message to; by default the hub derives it from the messageId. */
  segment?: number;
  /**
   * Messages with one routing key share a segment, so one tracker of each consumer gets them all,
   * in order (Flux's `@RoutingKey`). Ignored when `segment` is given.
   */
  routingKey?: string;
}

/** A payload with its own {@link MessageOptions}; build one with {@link message}. */
export class OutgoingMessage {
  /** Use {@link message}. */
  constructor(
    readonly payload: unknown,
    readonly options: MessageOptions = {},
  ) {}
}

/** Wraps a payload with message options, for `publish` and `appendEvents` calls that mix several types. */
export function message(payload: unknown, options: MessageOptions = {}): OutgoingMessage {
  return new OutgoingMessage(payload, options);
}

/** Routing fields the SDK sets on requests and results. */
export interface Routing {
  source?: string;
  target?: string;
  requestId?: number;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Base64 `Data` holding the JSON of `value` (`undefined` becomes `null`). */
export function jsonData(value: unknown, type?: string | null, revision = 0): Data {
  return { value: toBase64(utf8Encoder.encode(stringifyJson(value ?? null))), type: type ?? null, revision };
}

/** Decodes JSON `Data` (integers beyond 2^53 come back as bigint); a null value decodes to null. */
export function decodeData(data: Data | null | undefined): unknown {
  if (!data?.value) return null;
  return parseJson(utf8Decoder.decode(fromBase64(data.value)));
}

function segmentOption(options: MessageOptions): { segment?: number } {
  if (options.segment !== undefined) return { segment: options.segment };
  return options.routingKey === undefined ? {} : { segment: segmentOf(options.routingKey) };
}

/** The SerializedMessage for a payload or an {@link OutgoingMessage}, with call-wide defaults. */
export function serialize(item: unknown, defaults: MessageOptions = {}, routing: Routing = {}): SerializedMessage {
  const own = item instanceof OutgoingMessage ? item.options : {};
  const payload = item instanceof OutgoingMessage ? item.payload : item;
  const options = { ...defaults, ...own, metadata: { ...defaults.metadata, ...own.metadata } };
  return {
    data: jsonData(payload, options.type, options.revision ?? 0),
    metadata: options.metadata,
    messageId: options.messageId ?? crypto.randomUUID(),
    timestamp: Date.now(),
    ...segmentOption(options),
    ...routing,
  };
}

/** A message read from a log. */
export class FluxMessage<T = unknown> {
  private decoded: { value: T } | undefined;

  /** Wraps a SerializedMessage read from the `messageType` log. */
  constructor(
    /** The message exactly as the hub sent it. */
    readonly serialized: SerializedMessage,
    /** The log it was read from. */
    readonly messageType: MessageType,
  ) {}

  /** The JSON payload, decoded on first access. */
  get payload(): T {
    this.decoded ??= { value: decodeData(this.serialized.data) as T };
    return this.decoded.value;
  }

  /** `data.type`, or null when untyped. */
  get type(): string | null {
    return this.serialized.data.type ?? null;
  }

  /** The metadata (empty when none). */
  get metadata(): Readonly<Record<string, string>> {
    return this.serialized.metadata ?? {};
  }

  /** The log index the hub assigned (exact, as bigint). */
  get index(): bigint | null {
    const i = this.serialized.index;
    return i === null || i === undefined ? null : BigInt(i);
  }

  /** The segment (0–127) the message was routed to. */
  get segment(): number | null {
    return this.serialized.segment ?? null;
  }

  /** The client-chosen message id. */
  get messageId(): string | null {
    return this.serialized.messageId ?? null;
  }

  /** The client-set timestamp (epoch ms). */
  get timestamp(): number | null {
    return this.serialized.timestamp ?? null;
  }

  /** The clientId of the requester, for commands and queries sent with `send`/`query`. */
  get source(): string | null {
    return this.serialized.source ?? null;
  }

  /** The clientId a result is meant for. */
  get target(): string | null {
    return this.serialized.target ?? null;
  }

  /** The requester's request id, for commands and queries that expect a result. */
  get requestId(): number | null {
    return this.serialized.requestId ?? null;
  }
}
