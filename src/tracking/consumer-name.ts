/**
 * Names of Consumer objects: one per (log, consumer name), holding that consumer's tracker cluster,
 * positions and parked reads.
 */
import type { LogAddress } from "../log/log-client";

/** The Durable Object name of a consumer of a log. */
export function consumerObjectName(log: LogAddress, consumer: string): string {
  return `${log.projectId}/${log.type}/${log.topic ?? ""}/${consumer}`;
}
