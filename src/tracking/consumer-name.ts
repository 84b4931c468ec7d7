/**
 * Names of Consumer objects: one per (project, requested message type, topic, consumer name). The
 * requested type keeps NOTIFICATION readers (broadcast) apart from EVENT consumers of the same log.
 */
import { stubByName } from "../storage/object-stub";
import { BadRequest } from "../errors";
import type { LogAddress } from "../log/log-address";
import type { MessageType } from "../protocol/messages";

/** What a Consumer object serves: a consumer of a log, read as a message type. */
export interface ConsumerTarget {
  log: LogAddress;
  messageType: MessageType;
  consumer: string;
}

/**
 * Consumer names as Flux allows them: any string (the Java client's default is
 * `<application name>_<TYPE>`, and application names may hold spaces or slashes), 1 to 200
 * characters, no control characters.
 */
export const CONSUMER_NAME = /^[^\u0000-\u001f\u007f]{1,200}$/u;

/** Checks a consumer name, naming the rule when it is broken. */
export function checkConsumerName(name: unknown): string {
  if (typeof name !== "string" || !CONSUMER_NAME.test(name)) throw new BadRequest("consumer must be a string of 1 to 200 characters without control characters");
  return name;
}

/** The Consumer object of a consumer (by its target, or by its object name). */
export function consumerStub(env: Cloudflare.Env, consumer: ConsumerTarget | string) {
  return stubByName(env.CONSUMER, typeof consumer === "string" ? consumer : consumerObjectName(consumer));
}

/** The Durable Object name of a consumer; `/` and `%` in the consumer are escaped, so no two names meet. */
export function consumerObjectName(target: ConsumerTarget): string {
  const consumer = target.consumer.replaceAll("%", "%25").replaceAll("/", "%2F");
  return `${target.log.projectId}/${target.messageType}/${target.log.topic ?? ""}/${consumer}`;
}
