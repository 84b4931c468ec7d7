/**
 * The audit trail's lag for a project: each log partition that has fed it (listed in D1, since
 * Durable Objects cannot be enumerated) is asked for its cursor against its head.
 */
import { partitionStub } from "../log/log-client";
import type { LogType } from "../protocol/messages";
import type { FeedLag } from "./feed";

/** Partitions asked per request; a project with more logs sees the first ones and `truncated`. */
export const MAX_LAG_PARTITIONS = 1000;

/** One partition's feed position, with index values as strings (they exceed 2^53). */
export interface PartitionFeedLag {
  type: LogType;
  topic: string | null;
  partition: number;
  head: string;
  fedTo: string;
  messagesBehind: number;
  /** True when `messagesBehind` stopped at the count's cap. */
  capped: boolean;
  secondsBehind: number;
}

/** The lag of every known partition of a project, and the totals. */
export interface ProjectLag {
  messagesBehind: number;
  /** The worst partition's lag. */
  secondsBehind: number;
  partitions: PartitionFeedLag[];
  truncated: boolean;
}

/** Asks every partition of `projectId` that has fed the audit trail how far behind it is. */
export async function projectLag(env: Cloudflare.Env, projectId: string): Promise<ProjectLag> {
  const { results } = await env.DB
    .prepare("SELECT log_type, topic, partition FROM audit_partitions WHERE project_id = ? ORDER BY log_type, topic, partition LIMIT ?")
    .bind(projectId, MAX_LAG_PARTITIONS + 1)
    .all<{ log_type: LogType; topic: string; partition: number }>();
  const known = results.slice(0, MAX_LAG_PARTITIONS);
  const partitions = await Promise.all(
    known.map(async (r): Promise<PartitionFeedLag> => {
      const topic = r.topic === "" ? null : r.topic;
      const lag: FeedLag = await partitionStub(env, { projectId, type: r.log_type, topic }, r.partition).auditLag();
      return { type: r.log_type, topic, partition: r.partition, ...lag, head: lag.head.toString(), fedTo: lag.fedTo.toString() };
    }),
  );
  return {
    messagesBehind: partitions.reduce((sum, p) => sum + p.messagesBehind, 0),
    secondsBehind: partitions.reduce((max, p) => Math.max(max, p.secondsBehind), 0),
    partitions,
    truncated: results.length > MAX_LAG_PARTITIONS,
  };
}
