/**
 * What every system under test (the hub, NATS JetStream, Redis Streams) implements. Each run uses
 * its own log (`run` names it: a hub project, a JetStream stream, a Redis key), so every run
 * starts from the same empty state whatever ran before.
 */
import type { Arrivals } from "./flow";
import type { PayloadPool } from "../shared/payload";

export type SystemId = "hub" | "nats" | "redis";

/** Batching shared by the three: messages per batch and batches in flight. */
export const BATCH = 1000;
export const IN_FLIGHT = 4;

export interface System {
  id: SystemId;
  /** Publishes `count` messages from `pool` to a fresh log `run`, each batch acknowledged as stored; resolves with the seconds from first send to last ack. */
  publish(run: string, pool: PayloadPool, count: number): Promise<number>;
  /** Deletes what `run` stored, where the system can (the hub keeps it until it stops). */
  drop(run: string): Promise<void>;
  /**
   * Reads all `count` messages of `run` with a new consumer group of `consumers` (one connection
   * each), committing each batch; resolves with the seconds from the first read until every
   * message is committed (connecting and leaving are not timed).
   */
  consume(run: string, group: string, consumers: number, count: number): Promise<number>;
  /** Publishes at `rate` msg/s for `seconds` to a fresh log while one consumer records each message's latency. */
  latency(run: string, rate: number, seconds: number, size: number, arrivals: Arrivals): Promise<void>;
  /** Makes `count` request/reply round trips one after another; resolves with each one's ms. */
  requestReply(run: string, count: number, size: number): Promise<number[]>;
  close(): Promise<void>;
}
