/**
 * Publishing: an Append of SerializedMessages to a log's `tracking/publish<type>` endpoint, with
 * Flux's guarantees: NONE and SENT resolve once the frame is written, STORED once the hub has
 * stored the messages (they are then readable).
 */
import type { Guarantee, MessageType } from "../protocol/messages";
import { type Endpoints, publishPath } from "./endpoints";
import { FluxError } from "./errors";
import { type MessageOptions, serialize } from "./messages";

/** Types that can be published to (the hub writes NOTIFICATION, SCHEDULE and DOCUMENT itself). */
export type PublishableType = Exclude<MessageType, "NOTIFICATION" | "SCHEDULE" | "DOCUMENT">;

const PUBLISHABLE: ReadonlySet<string> = new Set<PublishableType>([
  "COMMAND", "EVENT", "QUERY", "RESULT", "ERROR", "METRICS", "WEBREQUEST", "WEBRESPONSE", "CUSTOM",
]);

/** Options of {@link FluxClient.publish}: defaults for every message, plus delivery. */
export interface PublishOptions extends MessageOptions {
  /** When the returned promise resolves: `SENT` (default) once written, `STORED` once stored. */
  guarantee?: Guarantee;
  /** The topic, required for CUSTOM logs. */
  topic?: string;
  /** Reject with `timeout` when not stored (STORED) or not sent (SENT, NONE) within this (ms, default the client's `requestTimeoutMs`). */
  timeoutMs?: number;
}

/** Appends `items` (payloads or `message(...)`s) to `type`'s log. */
export async function publish(endpoints: Endpoints, type: PublishableType, items: readonly unknown[], options: PublishOptions = {}): Promise<void> {
  if (!PUBLISHABLE.has(type)) throw new FluxError("invalid_argument", `${type} cannot be published to (it is read-only)`);
  if (type === "CUSTOM" && !options.topic) throw new FluxError("invalid_argument", "CUSTOM messages need a topic");
  if (!Array.isArray(items)) throw new FluxError("invalid_argument", "publish takes an array of payloads or messages");
  if (items.length === 0) return;
  const { guarantee = "SENT", topic, timeoutMs, ...defaults } = options;
  const connection = endpoints.connection(publishPath(type), type === "CUSTOM" ? topic : null);
  const request = { "@type": "append", messages: items.map((i) => serialize(i, defaults)), guarantee };
  if (guarantee === "STORED") await connection.request(request, { timeoutMs });
  else await connection.post(request, { timeoutMs });
}
