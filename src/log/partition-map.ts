/**
 * Which LogPartition object owns a segment. A log is split into P partitions (P divides 128);
 * partition p owns the contiguous segments [p·128/P, (p+1)·128/P), so a tracker's segment range
 * maps onto a few neighbouring partitions.
 */
import { MAX_SEGMENT, type SegmentRange, intersect } from "../protocol/segment";
import type { LogAddress } from "./log-address";

/** The deployment's partition count, validated: a divisor of 128. */
export function partitionCount(env: { PARTITIONS?: string }): number {
  const p = Number(env.PARTITIONS ?? "1");
  if (!Number.isInteger(p) || p < 1 || p > MAX_SEGMENT || MAX_SEGMENT % p !== 0) {
    throw new Error(`PARTITIONS must divide ${MAX_SEGMENT}, got ${env.PARTITIONS}`);
  }
  return p;
}

/** The partition that owns `segment`. */
export function partitionOf(segment: number, partitions: number): number {
  return Math.floor(segment / (MAX_SEGMENT / partitions));
}

/** The segments partition `p` owns. */
export function rangeOfPartition(p: number, partitions: number): SegmentRange {
  const width = MAX_SEGMENT / partitions;
  return [p * width, (p + 1) * width];
}

/** The partitions overlapping `range`, each with the part of `range` it owns. */
export function partitionsFor(range: SegmentRange, partitions: number): { partition: number; range: SegmentRange }[] {
  const result: { partition: number; range: SegmentRange }[] = [];
  for (let p = 0; p < partitions; p++) {
    const part = intersect(range, rangeOfPartition(p, partitions));
    if (part) result.push({ partition: p, range: part });
  }
  return result;
}

/** The Durable Object name of one partition of a log. */
export function partitionName(log: LogAddress, partition: number): string {
  return `${log.projectId}/${log.type}/${log.topic ?? ""}/${partition}`;
}
