/**
 * One consumer of one log: its tracker cluster and its positions. The consumer decides which
 * segments a tracker reads and from where, and hands that to a partition as a lease; the partition
 * answers the Read itself, now or from the commit that satisfies it, straight to the tracker's
 * session. No message passes through here (except client-controlled trackers whose range spans
 * several partitions, whose batch must merge them in index order).
 *
 * Memory holds the cluster with each tracker's activity and where its Read is; SQLite holds only
 * what an evicted or restarted consumer needs to be exact: membership, ranges, positions and Reads
 * parked here. A Read that changes none of these writes nothing.
 *
 * Operations run one at a time: each may await partitions, and two interleaved operations could
 * otherwise answer one Read twice or move a range under a Read being answered.
 */
import { BadRequest } from "../errors";
import type { ReadFilter, ReadOutcome } from "../log/log-store";
import type { Lease, Revocation, Service } from "../log/parked-reads";
import { partitionsFor, rangeOfPartition } from "../log/partition-map";
import { minIndexFromMillis } from "../log/index-clock";
import { EMPTY_RANGE, type SegmentRange } from "../protocol/segment";
import type { FluxResult } from "../protocol/endpoint";
import { stringifyJson } from "../protocol/json";
import { Position } from "./position";
import { type Batch, claimSegmentResult, readResult } from "./read-result";
import type { Recipient, Requester } from "./recipient";
import { startPosition } from "./start-position";
import { type ReadSettings, type Tracker, trackerFromRead } from "./tracker";
import { TrackerCluster } from "./tracker-cluster";
import type { ParkedHere, TrackerStore } from "./tracker-rows";
import { SerialQueue } from "../serial-queue";

/** What the consumer needs from its host object. */
export interface TrackingHost {
  rows: TrackerStore;
  now(): number;
  /** The consumer's object name, which partitions key its leases by. */
  consumer: string;
  /** Number of partitions of the log. */
  partitions: number;
  /** Grants a lease to a partition: answered there now, or parked there when `park` is set. */
  serve(partition: number, lease: Lease, park: boolean): Promise<Service>;
  /** Takes back a tracker's lease from a partition. */
  revoke(partition: number, trackerId: string): Promise<Revocation>;
  /** Reads a partition (only for merged batches of client-controlled trackers over several partitions). */
  read(partition: number, after: bigint, maxSize: number, filter: ReadFilter): Promise<ReadOutcome>;
  /** Registers for a wake-up when the partition's head passes `after`; returns its current head. */
  watch(partition: number, after: bigint): Promise<bigint>;
  /** Sends a result to the tracker's requester; false when it is gone. */
  deliver(to: Recipient, requestId: unknown, result: FluxResult): Promise<boolean>;
  /** Whether a requester is still there (false after a crash dropped a socket unannounced). */
  isSessionOpen(to: Recipient): Promise<boolean>;
  /** Arms the object's one alarm (null: none needed). */
  setAlarm(at: number | null): void;
}

/** A Read waiting for its answer. */
interface Waiting {
  requestId: unknown;
  kind: "read" | "claim";
  /** Epoch ms by which it is answered, empty if need be. */
  deadline: number;
}

/** A member of the cluster and where its latest Read stands. */
interface Member {
  tracker: Tracker;
  recipient: Recipient;
  /** Parked here (persisted), to be answered by a cluster change, a wake-up or the alarm. */
  here: Waiting | null;
  /** Leased to a partition, which answers it. */
  lease: { partition: number; epoch: number } | null;
  /** After a restart: a lease may be out at any partition of its range. */
  unknown: boolean;
  /** The lease of the tracker's previous Read, taken back by the partition the new one goes to (or revoked). */
  replacing?: { partition: number; epoch: number } | null;
}

/** Settings that every tracker of one consumer must share. */
const SHARED_SETTINGS = ["typeFilter", "ignoreSegment", "clientControlledIndex", "singleTracker", "filterMessageTarget"] as const;

/** Tracking for one consumer of one log. */
export class ConsumerTracking {
  private cluster: TrackerCluster;
  private position: Position;
  /** Where the consumer started (its first Read), for segments it never stored. */
  private origin: bigint | null;
  private readonly members = new Map<string, Member>();
  private readonly queue = new SerialQueue();
  private epoch = 0;
  /** Per tracker, the partition to read first next time (round-robin over several partitions). */
  private readonly nextPartition = new Map<string, number>();

  constructor(
    private readonly host: TrackingHost,
    private readonly messageType: string,
  ) {
    const rows = host.rows;
    const cluster = rows.state("cluster");
    this.cluster = cluster ? TrackerCluster.fromJSON(JSON.parse(cluster)) : new TrackerCluster();
    const position = rows.state("position");
    this.position = position ? Position.decode(position) : Position.empty();
    const origin = rows.state("origin");
    this.origin = origin === null ? null : BigInt(origin);
    for (const row of rows.rows()) {
      this.members.set(row.tracker.trackerId, { tracker: row.tracker, recipient: row.recipient, here: row.parked, lease: null, unknown: row.parked === null });
    }
    // Epochs only need to differ from those of leases granted before the restart.
    this.epoch = host.now();
  }

  /** Handles a Read: a result to send now, or null when a partition answers it (or it waits here). */
  read(read: ReadSettings, requestId: unknown, from: Requester): Promise<FluxResult | null> {
    return this.serially(() => this.track(read, requestId, from, "read"));
  }

  /** Handles a ClaimSegment: the claimed range now, or null when parked until one frees up. */
  claimSegment(read: ReadSettings, requestId: unknown, from: Requester): Promise<FluxResult | null> {
    return this.serially(() => this.track(read, requestId, from, "claim"));
  }

  /**
   * StorePosition: raises the segments of `range` to `lastIndex`; never lowers them. Accepted for
   * any range from any socket, as Flux does: clients send it on any session of their pool, and
   * operators position consumers that have no tracker yet.
   */
  storePosition(range: SegmentRange, lastIndex: bigint): Promise<void> {
    return this.serially(async () => {
      const next = this.position.store(range, lastIndex);
      if (next.equals(this.position)) return;
      this.position = next;
      this.host.rows.saveState("position", this.position.encode());
    });
  }

  /** ResetPosition: every segment to `lastIndex`, redelivering what follows it. */
  resetPosition(lastIndex: bigint): Promise<void> {
    return this.serially(async () => {
      this.position = Position.ofAll(lastIndex);
      this.host.rows.saveState("position", this.position.encode());
      // Leases carry the old position: take them back and grant them anew.
      await this.regrant([...this.members.values()].filter((m) => m.lease || m.unknown));
    });
  }

  /** GetPosition. */
  getPosition(): Promise<Position> {
    return this.serially(async () => this.position);
  }

  /** DisconnectTracker: removes it, optionally answering its waiting Read with an empty batch. */
  disconnectTracker(trackerId: string, sendFinalEmptyBatch: boolean): Promise<void> {
    return this.serially(async () => {
      const member = this.members.get(trackerId);
      if (!member) return;
      const waiting = await this.withdraw(member);
      if (sendFinalEmptyBatch && waiting?.kind === "read") {
        await this.host.deliver(member.recipient, waiting.requestId, readResult(emptyBatch([...EMPTY_RANGE], this.position, true)));
      }
      await this.change((c) => c.withoutTracker(trackerId), [trackerId]);
    });
  }

  /** A session closed: its trackers leave and their segments go to the others. */
  disconnectSession(sessionId: string): Promise<void> {
    return this.serially(async () => {
      const gone = [...this.members.values()].filter((m) => m.recipient.sessionId === sessionId);
      if (gone.length === 0) return;
      await Promise.all(gone.map((m) => this.withdraw(m)));
      const ids = gone.map((m) => m.tracker.trackerId);
      await this.change((c) => ids.reduce((x, id) => x.withoutTracker(id), c), ids);
    });
  }

  /** A partition that a Read parked here watches has new messages: try those Reads again. */
  wake(): Promise<void> {
    return this.serially(() => this.answerParked());
  }

  /** The alarm: answers Reads parked here past their deadline and purges trackers busy beyond purgeTimeout. */
  onAlarm(): Promise<void> {
    return this.serially(async () => {
      const now = this.host.now();
      const inHand = await this.learnActivity([...this.members.values()].filter((m) => m.tracker.purgeTimeout !== null && (m.lease || m.unknown)));
      const purged = this.cluster.purgeExpiredTrackers(now);
      if (purged !== this.cluster) {
        const gone = this.cluster.getTrackers().filter((t) => !purged.contains(t.trackerId)).map((t) => t.trackerId);
        await Promise.all(gone.map((id) => this.withdraw(this.members.get(id)!)));
        await this.change((c) => c.purgeExpiredTrackers(now), gone);
      }
      for (const member of this.members.values()) {
        if (!member.here || member.here.deadline > now) continue;
        const { requestId, kind } = member.here;
        this.unparkHere(member);
        if (kind !== "read") continue;
        const segment = this.cluster.getSegment(member.tracker) ?? [...EMPTY_RANGE];
        await this.host.deliver(member.recipient, requestId, readResult(emptyBatch(segment, this.position, true)));
        // As in Flux, a tracker holding a batch (even an empty one) keeps its range until it reads again.
        if (this.cluster.contains(member.tracker.trackerId)) this.cluster = this.cluster.withActiveTracker(member.tracker, now);
      }
      for (const [m, waiting] of inHand) if (this.members.get(m.tracker.trackerId) === m) await this.answerInHand(m, waiting);
      await this.answerParked();
    });
  }

  /** A recipient turned out to be gone when a partition answered its tracker: the tracker leaves. */
  recipientGone(trackerId: string, sessionId: string): Promise<void> {
    return this.serially(async () => {
      const member = this.members.get(trackerId);
      if (!member || member.recipient.sessionId !== sessionId) return;
      await this.withdraw(member);
      await this.change((c) => c.withoutTracker(trackerId), [trackerId]);
    });
  }

  /** Per consumer lag inputs: the stored position and the trackers with their ranges. */
  describe(): Promise<{ position: Position; trackers: { trackerId: string; clientId: string; segment: SegmentRange | null; active: boolean }[] }> {
    return this.serially(async () => ({
      position: this.position,
      trackers: this.cluster.getTrackers().map((t) => ({
        trackerId: t.trackerId,
        clientId: this.members.get(t.trackerId)?.tracker.clientId ?? "",
        segment: this.cluster.getSegment(t.trackerId),
        active: this.cluster.isActive(t.trackerId) || Boolean(this.members.get(t.trackerId)?.unknown),
      })),
    }));
  }

  private serially<T>(op: () => Promise<T>): Promise<T> {
    return this.queue.run(op).finally(() => this.armAlarm());
  }

  private async track(read: ReadSettings, requestId: unknown, from: Requester, kind: Waiting["kind"]): Promise<FluxResult | null> {
    const now = this.host.now();
    const tracker = trackerFromRead(read, this.messageType, from.clientId, from.sessionId, now);
    this.checkSharedSettings(tracker);
    const recipient: Recipient = { sessionId: from.sessionId, deliverTo: from.deliverTo ?? "session", ...(from.compression ? { compression: from.compression } : {}) };
    let member = this.members.get(tracker.trackerId);
    if (!member || !this.cluster.contains(tracker.trackerId)) await this.dropDeadSessions(from.sessionId);
    // The tracker reads again. Its previous lease, if still parked, is taken back by the partition
    // the new one goes to (no extra call) or revoked; an earlier Read still waiting is superseded
    // (clients resend Reads after reconnecting) and answered empty, so that nobody waits on it.
    let replacing: Member["replacing"] = null;
    if (member?.lease) replacing = member.lease;
    else if (member) await this.supersede(member, await this.withdraw(member), requestId);
    const stored = member && sameMembership(member.tracker, tracker) && member.recipient.sessionId === recipient.sessionId && member.recipient.deliverTo === recipient.deliverTo && member.recipient.compression === recipient.compression;
    member = { tracker, recipient, here: null, lease: null, unknown: false, replacing };
    this.members.set(tracker.trackerId, member);
    if (!stored) this.host.rows.put({ tracker, recipient, parked: null });
    if (this.origin === null && !tracker.clientControlledIndex) {
      this.origin = tracker.lastIndex ?? minIndexFromMillis(now - 1000);
      this.host.rows.saveState("origin", this.origin.toString());
    }
    await this.change((c) => c.withWaitingTracker(tracker), [tracker.trackerId]);
    return this.answer(member, { requestId, kind, deadline: tracker.deadline });
  }

  /**
   * Applies a cluster change. Trackers whose range it would move may hold a lease (a Read parked at
   * a partition, or answered since): their leases are taken back first, so that a tracker already
   * answered keeps its range (it is active, as in Flux) and a tracker still waiting gets its new
   * range in a new lease. `changed` are the trackers the change itself concerns.
   */
  private async change(apply: (c: TrackerCluster) => TrackerCluster, changed: string[]): Promise<void> {
    const before = this.cluster;
    let next = apply(this.cluster);
    const inHand = new Map<Member, Waiting>();
    for (let pass = 0; pass < 4; pass++) {
      const moved = [...this.members.values()].filter(
        (m) => !changed.includes(m.tracker.trackerId) && (m.lease || m.unknown) && !sameRange(this.cluster.getSegment(m.tracker), next.getSegment(m.tracker)),
      );
      if (moved.length === 0) break;
      const found = await this.learnActivity(moved);
      for (const [m, waiting] of found) inHand.set(m, waiting);
      // Trackers found answered are active now and keep their ranges: recompute with them so.
      next = apply(this.cluster);
      if (found.size === moved.length) break;
    }
    this.cluster = next;
    if (!sameAssignments(before, next)) this.host.rows.saveState("cluster", JSON.stringify(next.toJSON()));
    for (const [m, waiting] of inHand) if (this.members.get(m.tracker.trackerId) === m && this.cluster.contains(m.tracker.trackerId)) await this.answerInHand(m, waiting);
    await this.answerParked(changed);
  }

  /**
   * Takes back the leases of `members` and learns which were answered since (then active, as Flux
   * counts a tracker holding a batch) and which were still parked: those are returned, waiting to
   * be leased again.
   */
  private async learnActivity(members: Member[]): Promise<Map<Member, Waiting>> {
    const waiting = new Map<Member, Waiting>();
    await Promise.all(
      members.map(async (m) => {
        const lease = m.lease;
        const found = await this.revokeAll(m);
        const parked = found.find((r) => r.parked)?.parked ?? null;
        if (parked) {
          waiting.set(m, { requestId: parked.requestId, kind: "read", deadline: parked.deadline });
          return;
        }
        const answered = found.find((r) => r.answeredAt !== null && (lease === null || r.answeredEpoch === lease.epoch));
        const at = answered?.answeredAt ?? this.host.now();
        if (this.cluster.contains(m.tracker.trackerId) && !this.cluster.isActive(m.tracker.trackerId)) this.cluster = this.cluster.withActiveTracker(m.tracker, at);
      }),
    );
    return waiting;
  }

  /** Revokes `m`'s lease wherever it may be out. */
  private async revokeAll(m: Member): Promise<Revocation[]> {
    if (!m.lease && !m.unknown) return [];
    const partitions = m.lease ? [m.lease.partition] : this.partitionsOf(m);
    m.lease = null;
    m.unknown = false;
    return Promise.all(partitions.map((p) => this.host.revoke(p, m.tracker.trackerId)));
  }

  /** Takes back whatever Read of `member` is waiting (here or leased) and returns it, if any. */
  private async withdraw(member: Member): Promise<Waiting | null> {
    if (member.here) {
      const waiting = member.here;
      this.unparkHere(member);
      return waiting;
    }
    const parked = (await this.revokeAll(member)).find((r) => r.parked)?.parked;
    return parked ? { requestId: parked.requestId, kind: "read", deadline: parked.deadline } : null;
  }

  /** Answers a superseded Read (`waiting`) empty, unless it is the very Read being handled again. */
  private async supersede(m: Member, waiting: Pick<Waiting, "requestId" | "kind"> | null, requestId: unknown): Promise<void> {
    if (waiting?.kind !== "read" || stringifyJson(waiting.requestId ?? null) === stringifyJson(requestId ?? null)) return;
    const segment = this.cluster.getSegment(m.tracker) ?? [...EMPTY_RANGE];
    await this.host.deliver(m.recipient, waiting.requestId, readResult(emptyBatch(segment, this.position, true)));
  }

  /** Takes back the previous lease of `m` unless it was at `partition` (where serving replaced it). */
  private async takeBack(m: Member, replacing: Member["replacing"], requestId: unknown, partition?: number): Promise<void> {
    if (!replacing || replacing.partition === partition) return;
    const found = await this.host.revoke(replacing.partition, m.tracker.trackerId);
    if (found.parked) await this.supersede(m, { requestId: found.parked.requestId, kind: "read" }, requestId);
  }

  /** Leases taken back to be granted anew (the position changed under them). */
  private async regrant(members: Member[]): Promise<void> {
    for (const m of members) {
      const waiting = await this.withdraw(m);
      if (waiting) await this.answerInHand(m, waiting);
    }
  }

  /** Answers every Read parked here that may now be answerable (except `skip`). */
  private async answerParked(skip: string[] = []): Promise<void> {
    for (const m of [...this.members.values()]) {
      if (!m.here || skip.includes(m.tracker.trackerId) || this.members.get(m.tracker.trackerId) !== m) continue;
      await this.answerInHand(m, m.here);
    }
  }

  /** Answers a Read that is not the request being handled, delivering a result made here. */
  private async answerInHand(m: Member, waiting: Waiting): Promise<void> {
    const result = await this.answer(m, waiting);
    if (result && !(await this.host.deliver(m.recipient, waiting.requestId, result))) {
      await this.change((c) => c.withoutTracker(m.tracker.trackerId), [m.tracker.trackerId]);
      this.forget(m.tracker.trackerId);
    }
  }

  /**
   * Answers a waiting Read: a claim with its range, a Read by a lease to its partition (which
   * answers it), or, when the tracker's range spans several partitions, by leases offered to each
   * in turn and a wake-up registration at all of them. Returns a result only when it is made here.
   */
  private async answer(m: Member, waiting: Waiting): Promise<FluxResult | null> {
    const tracker = m.tracker;
    const now = this.host.now();
    const deadline = waiting.deadline;
    const replacing = m.replacing ?? null;
    m.replacing = null;
    const range = this.cluster.getSegment(tracker);
    const parts = !range || range[0] === range[1]
      ? []
      : tracker.ignoreSegment
        ? Array.from({ length: this.host.partitions }, (_, p) => ({ partition: p, range: rangeOfPartition(p, this.host.partitions) }))
        : partitionsFor(range, this.host.partitions);
    if (parts.length !== 1 || waiting.kind === "claim" || (tracker.clientControlledIndex && parts.length > 1)) await this.takeBack(m, replacing, waiting.requestId);
    if (!range || range[0] === range[1]) return this.parkHere(m, waiting);
    const start = startPosition(tracker, this.position, range, now, this.origin);
    if (waiting.kind === "claim") {
      this.unparkHere(m);
      this.cluster = this.cluster.withActiveTracker(tracker, now);
      return claimSegmentResult(range, start);
    }
    if (tracker.clientControlledIndex && parts.length > 1) return this.answerMerged(m, waiting, range, start, parts);
    const lease = (part: { partition: number; range: SegmentRange }): Lease => ({
      consumer: this.host.consumer,
      trackerId: tracker.trackerId,
      epoch: ++this.epoch,
      recipient: m.recipient,
      requestId: waiting.requestId,
      after: start.lowestIndexForSegment(tracker.ignoreSegment ? range : part.range) ?? -1n,
      maxSize: tracker.maxSize,
      filter: {
        typeFilter: tracker.typeFilter,
        target: tracker.filterMessageTarget ? { clientId: tracker.clientId, trackerId: tracker.trackerId } : null,
        range: tracker.ignoreSegment ? undefined : part.range,
      },
      positionRuns: tracker.ignoreSegment ? undefined : start.splitInSegments().map(([[a, b], index]) => [a, b, index] as [number, number, bigint]),
      // An ignoreSegment tracker reads everything but reports the range it holds: the client filters by it.
      segment: tracker.ignoreSegment ? range : part.range,
      position: start.toJSON(),
      deadline,
    });
    if (parts.length === 1) {
      const granted = lease(parts[0]);
      const service = await this.host.serve(parts[0].partition, granted, true);
      if (service.replaced) await this.supersede(m, { requestId: service.replaced.requestId, kind: "read" }, waiting.requestId);
      await this.takeBack(m, replacing, waiting.requestId, parts[0].partition);
      this.unparkHere(m);
      if (service.parked) m.lease = { partition: parts[0].partition, epoch: granted.epoch };
      else this.cluster = this.cluster.withActiveTracker(tracker, now);
      return null;
    }
    const first = (this.nextPartition.get(tracker.trackerId) ?? 0) % parts.length;
    const heads: { partition: number; head: bigint; after: bigint }[] = [];
    for (let k = 0; k < parts.length; k++) {
      const part = parts[(first + k) % parts.length];
      const granted = lease(part);
      const service = await this.host.serve(part.partition, granted, false);
      if (service.answered) {
        this.nextPartition.set(tracker.trackerId, first + k + 1);
        this.unparkHere(m);
        this.cluster = this.cluster.withActiveTracker(tracker, now);
        return null;
      }
      heads.push({ partition: part.partition, head: service.head, after: granted.after });
    }
    return this.watchAll(m, waiting, heads);
  }

  /** Client-controlled trackers over several partitions: one batch merged in index order. */
  private async answerMerged(m: Member, waiting: Waiting, range: SegmentRange, start: Position, parts: { partition: number; range: SegmentRange }[]): Promise<FluxResult | null> {
    const tracker = m.tracker;
    const after = start.lowestIndexForSegment(range) ?? -1n;
    const filter: ReadFilter = { typeFilter: tracker.typeFilter, target: tracker.filterMessageTarget ? { clientId: tracker.clientId, trackerId: tracker.trackerId } : null };
    const outcomes = await Promise.all(parts.map((p) => this.host.read(p.partition, after, tracker.maxSize, filter)));
    const batch = mergedBatch(outcomes, range, start);
    if (batch) {
      this.unparkHere(m);
      this.cluster = this.cluster.withActiveTracker(tracker, this.host.now());
      return readResult(batch);
    }
    return this.watchAll(m, waiting, outcomes.map((o, i) => ({ partition: parts[i].partition, head: o.head })));
  }

  /** Parks a Read here and registers for wake-ups at its partitions; re-answers at once if one raced ahead. */
  private async watchAll(m: Member, waiting: Waiting, heads: { partition: number; head: bigint }[]): Promise<FluxResult | null> {
    this.parkHere(m, waiting);
    const raced = await Promise.all(heads.map(async ({ partition, head }) => (await this.host.watch(partition, head)) > head));
    if (raced.some(Boolean)) queueMicrotask(() => void this.wake());
    return null;
  }

  private parkHere(m: Member, waiting: Waiting): null {
    const same = m.here && m.here.requestId === waiting.requestId && m.here.kind === waiting.kind && m.here.deadline === waiting.deadline;
    m.here = waiting satisfies ParkedHere;
    m.lease = null;
    if (!same) this.host.rows.put({ tracker: m.tracker, recipient: m.recipient, parked: waiting });
    return null;
  }

  private unparkHere(m: Member): void {
    if (!m.here) return;
    m.here = null;
    this.host.rows.put({ tracker: m.tracker, recipient: m.recipient, parked: null });
  }

  /** The partitions where a lease of `m` may be out (after a restart, every one under its range). */
  private partitionsOf(m: Member): number[] {
    const range = this.cluster.getSegment(m.tracker);
    if (m.tracker.ignoreSegment || !range || range[0] === range[1]) return Array.from({ length: this.host.partitions }, (_, p) => p);
    return partitionsFor(range, this.host.partitions).map((p) => p.partition);
  }

  /**
   * Removes trackers whose session closed without telling us (a crashed runtime sends no close
   * event). Checked when a tracker joins, which is when a restarted client comes back.
   */
  private async dropDeadSessions(joining: string): Promise<void> {
    const sessions = new Map<string, Recipient>();
    for (const m of this.members.values()) if (m.recipient.sessionId !== joining) sessions.set(m.recipient.sessionId, m.recipient);
    const checked = await Promise.all([...sessions.values()].map(async (to) => ({ to, open: await this.host.isSessionOpen(to).catch(() => true) })));
    const dead = new Set(checked.filter((c) => !c.open).map((c) => c.to.sessionId));
    if (dead.size === 0) return;
    const gone = [...this.members.values()].filter((m) => dead.has(m.recipient.sessionId));
    for (const m of gone) {
      m.lease = null;
      m.unknown = false;
      this.forget(m.tracker.trackerId);
    }
    const ids = gone.map((m) => m.tracker.trackerId);
    await this.change((c) => ids.reduce((x, id) => x.withoutTracker(id), c), ids);
  }

  private checkSharedSettings(tracker: Tracker): void {
    for (const other of this.members.values()) {
      if (other.tracker.trackerId === tracker.trackerId || !this.cluster.contains(other.tracker.trackerId)) continue;
      for (const key of SHARED_SETTINGS) {
        if (other.tracker[key] !== tracker[key]) {
          throw new BadRequest(
            `consumer "${tracker.consumer}" is tracked with ${key}=${String(other.tracker[key])} by tracker ${other.tracker.trackerId}; this Read asks ${key}=${String(tracker[key])}`,
          );
        }
      }
      return;
    }
  }

  /** A tracker that left: nothing of it is kept. */
  private forget(trackerId: string): void {
    this.members.delete(trackerId);
    this.nextPartition.delete(trackerId);
    this.host.rows.remove(trackerId);
  }

  private armAlarm(): void {
    // Members that left the cluster are forgotten here too.
    for (const [id] of this.members) if (!this.cluster.contains(id)) this.forget(id);
    const now = this.host.now();
    let next: number | null = null;
    const earlier = (at: number) => (next = next === null ? at : Math.min(next, at));
    for (const m of this.members.values()) {
      if (m.here) earlier(m.here.deadline);
      const t = m.tracker;
      if (t.purgeTimeout === null) continue;
      const busy = this.cluster.processingDuration(t.trackerId, now);
      // A leased tracker may have been answered at any moment: look again one purgeTimeout on.
      if (busy !== null) earlier(now - busy + t.purgeTimeout + 1);
      else if (m.lease || m.unknown) earlier(now + t.purgeTimeout + 1);
    }
    this.host.setAlarm(next);
  }
}

/** Whether two Reads of a tracker agree on what is persisted: every setting but the per-Read fields. */
function sameMembership(a: Tracker, b: Tracker): boolean {
  for (const key of Object.keys(a) as (keyof Tracker)[]) if (key !== "lastIndex" && key !== "deadline" && a[key] !== b[key]) return false;
  return true;
}

function sameRange(a: SegmentRange | null, b: SegmentRange | null): boolean {
  return a === b || (a !== null && b !== null && a[0] === b[0] && a[1] === b[1]);
}

function sameAssignments(a: TrackerCluster, b: TrackerCluster): boolean {
  const ta = a.getTrackers();
  const tb = b.getTrackers();
  return ta.length === tb.length && ta.every((t, i) => t.trackerId === tb[i].trackerId && sameRange(a.getSegment(t.trackerId), b.getSegment(t.trackerId)));
}

function emptyBatch(segment: SegmentRange, position: Position, caughtUp: boolean): Batch {
  return { segment, messages: [], lastIndex: null, position, caughtUp };
}

/**
 * All partitions' messages in index order, cut where a partition that had more stopped, so that
 * nothing below the batch's lastIndex is left behind.
 */
function mergedBatch(outcomes: ReadOutcome[], range: SegmentRange, position: Position): Batch | null {
  let limit: bigint | null = null;
  for (const o of outcomes) {
    if (o.scannedTo !== null && o.scannedTo < o.head && (limit === null || o.scannedTo < limit)) limit = o.scannedTo;
  }
  const merged = outcomes
    .flatMap((o) => o.indexes.map((index, i) => ({ index, message: o.messages[i] })))
    .filter((m) => limit === null || m.index <= limit)
    .sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
  if (merged.length === 0) return null;
  return { segment: range, messages: merged.map((m) => m.message), lastIndex: merged[merged.length - 1].index, position, caughtUp: limit === null };
}
