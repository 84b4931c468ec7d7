/**
 * Consumer lag: for each partition under a consumer, how many messages lie past its stored position
 * and how old the oldest of them is. Works with no tracker connected: it reads only the stored
 * position and the partitions.
 */
import { partitionStub } from "../log/log-client";
import { partitionCount, rangeOfPartition } from "../log/partition-map";
import type { SegmentRange } from "../protocol/segment";
import { millisFromIndex } from "../log/index-clock";
import type { ConsumerTarget } from "./consumer-name";
import { consumerStub } from "./consumer-name";

/** Lag of one partition's segments. */
export interface PartitionLagReport {
  partition: number;
  segment: SegmentRange;
  head: bigint;
  messagesBehind: number;
  /** True when there were more than the hub counted. */
  atLeast: boolean;
  secondsBehind: number;
}

/** The lag report of a consumer. */
export interface ConsumerLagReport {
  consumer: string;
  position: unknown;
  trackers: { trackerId: string; clientId: string; segment: SegmentRange | null; active: boolean }[];
  partitions: PartitionLagReport[];
  messagesBehind: number;
  secondsBehind: number;
}

/** Measures the lag of a consumer of `log` now. */
export async function consumerLag(env: Cloudflare.Env, target: ConsumerTarget, now = Date.now()): Promise<ConsumerLagReport> {
  const consumer = consumerStub(env, target);
  const { position, positions, trackers } = await consumer.describe(target);
  const partitions = await Promise.all(
    Array.from({ length: partitionCount(env) }, async (_, p) => {
      const segment = rangeOfPartition(p, partitionCount(env));
      const lag = await partitionStub(env, target.log, p).lag(positions, segment);
      return {
        partition: p,
        segment,
        head: lag.head,
        messagesBehind: lag.messages,
        atLeast: lag.capped,
        secondsBehind: lag.oldestIndex === null ? 0 : Math.max(0, (now - millisFromIndex(lag.oldestIndex)) / 1000),
      };
    }),
  );
  return {
    consumer: target.consumer,
    position,
    trackers,
    partitions,
    messagesBehind: partitions.reduce((n, p) => n + p.messagesBehind, 0),
    secondsBehind: Math.max(0, ...partitions.map((p) => p.secondsBehind)),
  };
}
