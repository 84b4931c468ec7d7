/**
 * How a log is named: one per (project, message type[, topic]). Its own module, so that naming
 * (partition map, log paths, consumer names) and appending (the log client) need not import each
 * other.
 */
import type { LogType } from "../protocol/messages";

/** A log: one per (project, message type[, topic]). */
export interface LogAddress {
  projectId: string;
  type: LogType;
  /** CUSTOM topic or DOCUMENT collection; null for the other types. */
  topic: string | null;
}
