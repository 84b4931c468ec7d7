/**
 * Names of Consumer objects: one per (project, requested message type, topic, consumer name). The
 * requested type keeps NOTIFICATION readers (broadcast) apart from EVENT consumers of the same log.
 */
import type { LogAddress } from "../log/log-client";
import type { MessageType } from "../protocol/messages";

/** What a Consumer object serves: a consumer of a log, read as a message type. */
export interface ConsumerTarget {
  log: LogAddress;
  messageType: MessageType;
  consumer: string;
}

/** The Durable Object name of a consumer. */
export function consumerObjectName(target: ConsumerTarget): string {
  return `${target.log.projectId}/${target.messageType}/${target.log.topic ?? ""}/${target.consumer}`;
}
