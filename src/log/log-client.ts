/**
 * How the Worker and other objects reach a log: routes messages to the LogPartition objects that
 * own their segments and merges reads across partitions.
 */
import type { LogType, SerializedMessage } from "../protocol/messages";

/** A log: one per (project, message type[, topic]). */
export interface LogAddress {
  projectId: string;
  type: LogType;
  /** CUSTOM topic or DOCUMENT collection; null for the other types. */
  topic: string | null;
}

/**
 * Appends messages to a log durably: resolves once every message is stored. Messages are deduplicated
 * by `messageId`, so a retry after a failure never stores a message twice.
 */
export async function appendToLog(env: Cloudflare.Env, log: LogAddress, messages: SerializedMessage[]): Promise<void> {
  void env; void log; void messages;
  throw new Error("appendToLog: not wired yet");
}
