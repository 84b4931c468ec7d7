/**
 * Consumer: one consumer of one log. Hosts ConsumerTracking (tracker cluster, positions, parked
 * reads) and connects it to the log partitions, the client sessions and the object's alarm.
 */
import { DurableObject } from "cloudflare:workers";
import type { ReadFilter } from "../src/log/log-store";
import { partitionStub } from "../src/log/log-client";
import { partitionCount } from "../src/log/partition-map";
import { MAX_SEGMENT, type SegmentRange } from "../src/protocol/segment";
import type { FluxResult } from "../src/protocol/endpoint";
import { stringifyJson } from "../src/protocol/json";
import { registerConsumer } from "../src/metrics/registry";
import { resultText } from "../src/session/result-text";
import { ConsumerTracking } from "../src/tracking/consumer-tracking";
import { type Recipient, type Requester, recipientStub } from "../src/tracking/recipient";
import { SqlTrackerRows } from "../src/tracking/tracker-rows";
import type { Lease } from "../src/log/parked-reads";
import { type ConsumerTarget, consumerObjectName } from "../src/tracking/consumer-name";
import type { ReadSettings } from "../src/tracking/tracker";

/** What `describe` reports. */
export interface ConsumerDescription {
  position: unknown;
  positions: (bigint | null)[];
  trackers: { trackerId: string; clientId: string; segment: SegmentRange | null; active: boolean }[];
}

export class Consumer extends DurableObject<Cloudflare.Env> {
  private tracking: ConsumerTracking | null = null;
  private alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const target = ctx.storage.kv.get<ConsumerTarget>("target");
      if (target) this.tracking = this.create(target);
      this.alarmAt = await ctx.storage.getAlarm();
    });
  }

  /** Read: the encoded ReadResult now, or null when parked (delivered later through the session). */
  async read(target: ConsumerTarget, read: ReadSettings, requestId: unknown, from: Requester): Promise<string | null> {
    return encoded(await this.open(target).read(read, requestId, from));
  }

  /** ClaimSegment: a ClaimSegmentResult now, or null when parked. */
  async claimSegment(target: ConsumerTarget, read: ReadSettings, requestId: unknown, from: Requester): Promise<string | null> {
    return encoded(await this.open(target).claimSegment(read, requestId, from));
  }

  async storePosition(target: ConsumerTarget, range: SegmentRange, lastIndex: bigint): Promise<void> {
    return this.open(target).storePosition(range, lastIndex);
  }

  async resetPosition(target: ConsumerTarget, lastIndex: bigint): Promise<void> {
    return this.open(target).resetPosition(lastIndex);
  }

  /** The consumer's position as Flux's wire JSON. */
  async getPosition(target: ConsumerTarget): Promise<unknown> {
    return (await this.open(target).getPosition()).toJSON();
  }

  async disconnectTracker(target: ConsumerTarget, trackerId: string, sendFinalEmptyBatch: boolean): Promise<void> {
    return this.open(target).disconnectTracker(trackerId, sendFinalEmptyBatch);
  }

  /** Trackers and position (wire JSON and per segment), for lag reports. */
  async describe(target: ConsumerTarget): Promise<ConsumerDescription> {
    const { position, trackers } = await this.open(target).describe();
    return { position: position.toJSON(), positions: Array.from({ length: MAX_SEGMENT }, (_, s) => position.indexOf(s) ?? null), trackers };
  }

  /** Frees the segments of every tracker of a closed session. */
  async disconnectSession(sessionId: string): Promise<void> {
    await this.tracking?.disconnectSession(sessionId);
  }

  /** Called by a partition whose answer to a tracker found its recipient gone. */
  async recipientGone(trackerId: string, sessionId: string): Promise<void> {
    await this.tracking?.recipientGone(trackerId, sessionId);
  }

  /** Called by partitions when messages arrive past a registered index. */
  async wake(): Promise<void> {
    await this.tracking?.wake();
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    await this.tracking?.onAlarm();
  }

  private open(target: ConsumerTarget): ConsumerTracking {
    if (!this.tracking) {
      this.ctx.storage.kv.put("target", target);
      this.tracking = this.create(target);
    }
    return this.tracking;
  }

  private create(target: ConsumerTarget): ConsumerTracking {
    const env = this.env;
    const name = consumerObjectName(target);
    // Objects cannot be listed: metrics learn of consumers from this registry.
    this.ctx.waitUntil(registerConsumer(env.DB, target).catch((e) => console.warn(`consumer ${name} not registered for metrics`, e)));
    return new ConsumerTracking(
      {
        rows: new SqlTrackerRows(this.ctx.storage.sql),
        now: () => Date.now(),
        consumer: name,
        partitions: partitionCount(env),
        serve: (p: number, lease: Lease, park: boolean) => partitionStub(env, target.log, p).serve(lease, park),
        revoke: (p: number, trackerId: string) => partitionStub(env, target.log, p).revoke(name, trackerId),
        read: (p: number, after: bigint, maxSize: number, filter: ReadFilter) => partitionStub(env, target.log, p).read(after, maxSize, filter),
        watch: (p: number, after: bigint) => partitionStub(env, target.log, p).watch(name, after),
        deliver: (to: Recipient, requestId: unknown, result: FluxResult) => recipientStub(env, to).deliver(resultText(result, requestId as number)),
        isSessionOpen: (to: Recipient) => recipientStub(env, to).isOpen(),
        setAlarm: (at: number | null) => this.setAlarm(at),
      },
      target.messageType,
    );
  }

  private setAlarm(at: number | null): void {
    if (at === this.alarmAt) return;
    this.alarmAt = at;
    if (at === null) void this.ctx.storage.deleteAlarm();
    else void this.ctx.storage.setAlarm(at);
  }
}

/** Results travel as JSON text: stored messages are embedded raw, which structured clone cannot carry. */
function encoded(result: FluxResult | null): string | null {
  return result === null ? null : stringifyJson(result);
}
