/**
 * One consumer of one log: its tracker cluster, its positions and its parked reads, all in the
 * host's SQLite so an evicted or restarted object resumes where it was. A Read is answered at once
 * when the log has messages for the tracker; otherwise it is parked until a partition reports an
 * append (push, no polling), the cluster changes, or its deadline passes (alarm).
 *
 * Operations run one at a time: each may await partition reads, and two interleaved operations
 * could otherwise hand the same parked Read two batches.
 */
import { BadRequest } from "../errors";
import type { ReadFilter, ReadOutcome } from "../log/log-store";
import { partitionsFor, rangeOfPartition } from "../log/partition-map";
import { EMPTY_RANGE, MAX_SEGMENT, type SegmentRange } from "../protocol/segment";
import type { FluxResult } from "../protocol/endpoint";
import { parseJson, stringifyJson } from "../protocol/json";
import { migrate } from "../storage/migrations";
import { Position, toIndex } from "./position";
import { type Batch, claimSegmentResult, readResult } from "./read-result";
import { startPosition } from "./start-position";
import { type ReadSettings, type Tracker, trackerFromRead } from "./tracker";
import { TrackerCluster } from "./tracker-cluster";

/** What the consumer needs from its host object. */
export interface TrackingHost {
  sql: SqlStorage;
  now(): number;
  /** Number of partitions of the log. */
  partitions: number;
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

/**
 * Which kind of object parked a Read and gets its result: a ClientSession (a client's socket), a
 * WebGateway (the hub itself waiting for WEBRESPONSEs) or a WebSocketGateway (the hub reading
 * what handlers push to browser sockets).
 */
export type DeliverTo = "session" | "gateway" | "socket";

/** Who sent a tracker request. */
export interface Requester {
  sessionId: string;
  clientId: string;
  /** Default "session". */
  deliverTo?: DeliverTo;
}

/** Where a tracker's results go: the object named `sessionId` of kind `deliverTo`. */
export interface Recipient {
  sessionId: string;
  deliverTo: DeliverTo;
}

type ParkedKind = "read" | "claim";

interface TrackerRow {
  tracker: Tracker;
  recipient: Recipient;
  parkedRequest: unknown;
  parkedKind: ParkedKind | null;
  lastSegment: SegmentRange | null;
}

const MIGRATIONS = [
  `CREATE TABLE consumer_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE trackers (
     tracker_id TEXT PRIMARY KEY,
     session_id TEXT NOT NULL,
     settings TEXT NOT NULL,
     parked_request TEXT,
     parked_kind TEXT,
     deadline INTEGER,
     last_segment TEXT
   );
   CREATE INDEX trackers_by_session ON trackers (session_id);`,
  `ALTER TABLE trackers ADD COLUMN deliver_to TEXT NOT NULL DEFAULT 'session';`,
];

/** Settings that every tracker of one consumer must share. */
const SHARED_SETTINGS = ["typeFilter", "ignoreSegment", "clientControlledIndex", "singleTracker", "filterMessageTarget"] as const;

/** Rounds of fetching past filtered-out messages before a Read parks. */
const MAX_ROUNDS = 4;

/** Tracking for one consumer of one log. */
export class ConsumerTracking {
  private cluster: TrackerCluster;
  private position: Position;
  private queue: Promise<unknown> = Promise.resolve();
  /** Last head seen per partition: partitions known to hold nothing new are not read. */
  private readonly heads = new Map<number, bigint>();
  /** Per tracker, the partition to read first next time (round-robin). */
  private readonly nextPartition = new Map<string, number>();

  constructor(
    private readonly host: TrackingHost,
    private readonly messageType: string,
  ) {
    migrate(host.sql, "tracking", MIGRATIONS);
    const cluster = this.state("cluster");
    this.cluster = cluster ? TrackerCluster.fromJSON(JSON.parse(cluster)) : new TrackerCluster();
    const position = this.state("position");
    this.position = position ? Position.decode(position) : Position.empty();
  }

  /** Handles a Read: the batch to send now, or null when the Read was parked. */
  read(read: ReadSettings, requestId: unknown, from: Requester): Promise<FluxResult | null> {
    return this.serially(() => this.track(read, requestId, from, "read"));
  }

  /** Handles a ClaimSegment: the claimed range now, or null when parked until one frees up. */
  claimSegment(read: ReadSettings, requestId: unknown, from: Requester): Promise<FluxResult | null> {
    return this.serially(() => this.track(read, requestId, from, "claim"));
  }

  /** StorePosition: raises the segments of `range` to `lastIndex`; never lowers them. */
  storePosition(range: SegmentRange, lastIndex: bigint, from: Requester): Promise<void> {
    return this.serially(async () => {
      if (!this.ownedBySession(range, from.sessionId)) {
        throw new BadRequest(`segment [${range[0]},${range[1]}) is not held by a tracker of this session`);
      }
      this.position = this.position.store(range, lastIndex);
      this.saveState("position", this.position.encode());
    });
  }

  /** ResetPosition: every segment to `lastIndex`, redelivering what follows it. */
  resetPosition(lastIndex: bigint): Promise<void> {
    return this.serially(async () => {
      this.position = Position.ofAll(lastIndex);
      this.saveState("position", this.position.encode());
      await this.retryParked();
    });
  }

  /** GetPosition. */
  getPosition(): Promise<Position> {
    return this.serially(async () => this.position);
  }

  /** DisconnectTracker: removes it, optionally answering its parked Read with an empty batch. */
  disconnectTracker(trackerId: string, sendFinalEmptyBatch: boolean): Promise<void> {
    return this.serially(async () => {
      const row = this.trackerRow(trackerId);
      if (!row) return;
      if (sendFinalEmptyBatch && row.parkedKind === "read") {
        await this.host.deliver(row.recipient, row.parkedRequest, readResult(emptyBatch([...EMPTY_RANGE], this.position, true)));
      }
      this.remove([trackerId]);
      await this.retryParked();
    });
  }

  /** A session closed: its trackers leave and their segments go to the others. */
  disconnectSession(sessionId: string): Promise<void> {
    return this.serially(async () => {
      const ids = this.host.sql
        .exec<{ id: string }>("SELECT tracker_id AS id FROM trackers WHERE session_id = ?", sessionId)
        .toArray()
        .map((r) => r.id);
      if (ids.length === 0) return;
      this.remove(ids);
      await this.retryParked();
    });
  }

  /** A partition has new messages: retry the parked Reads. */
  wake(): Promise<void> {
    return this.serially(() => this.retryParked());
  }

  /** The alarm: answers Reads past their deadline and purges trackers busy beyond purgeTimeout. */
  onAlarm(): Promise<void> {
    return this.serially(async () => {
      const now = this.host.now();
      const purged = this.cluster.purgeExpiredTrackers(now);
      if (purged !== this.cluster) {
        const gone = this.cluster.getTrackers().filter((t) => !purged.contains(t.trackerId)).map((t) => t.trackerId);
        this.remove(gone);
      }
      const due = this.host.sql
        .exec<{ id: string }>("SELECT tracker_id AS id FROM trackers WHERE parked_request IS NOT NULL AND deadline <= ?", now)
        .toArray();
      for (const { id } of due) {
        const row = this.trackerRow(id)!;
        if (row.parkedKind === "read") {
          const segment = this.cluster.getSegment(row.tracker) ?? [...EMPTY_RANGE];
          await this.host.deliver(row.recipient, row.parkedRequest, readResult(emptyBatch(segment, this.position, true)));
          // As in Flux, a tracker holding a batch (even an empty one) keeps its range until it reads again.
          if (this.cluster.contains(id)) this.cluster = this.cluster.withActiveTracker(row.tracker, now);
        }
        this.host.sql.exec("UPDATE trackers SET parked_request = NULL, parked_kind = NULL, deadline = NULL WHERE tracker_id = ?", id);
      }
      await this.retryParked();
    });
  }

  /** Per consumer lag inputs: the stored position and the trackers with their ranges. */
  describe(): Promise<{ position: Position; trackers: { trackerId: string; clientId: string; segment: SegmentRange | null; active: boolean }[] }> {
    return this.serially(async () => ({
      position: this.position,
      trackers: this.cluster.getTrackers().map((t) => {
        const row = this.trackerRow(t.trackerId);
        return { trackerId: t.trackerId, clientId: row?.tracker.clientId ?? "", segment: this.cluster.getSegment(t.trackerId), active: this.cluster.isActive(t.trackerId) };
      }),
    }));
  }

  private serially<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op);
    this.queue = run.catch(() => {});
    return run.finally(() => this.armAlarm());
  }

  private async track(read: ReadSettings, requestId: unknown, from: Requester, kind: ParkedKind): Promise<FluxResult | null> {
    const now = this.host.now();
    const tracker = trackerFromRead(read, this.messageType, from.clientId, from.sessionId, now);
    this.checkSharedSettings(tracker);
    if (!this.cluster.contains(tracker.trackerId)) await this.dropDeadSessions(from.sessionId);
    // A repeated Read (clients resend parked Reads after reconnecting) supersedes the parked one,
    // which is answered with an empty batch so that nobody waits on it.
    const previous = this.trackerRow(tracker.trackerId);
    if (previous?.parkedKind === "read" && stringifyJson(previous.parkedRequest) !== stringifyJson(requestId ?? null)) {
      const segment = this.cluster.getSegment(previous.tracker) ?? [...EMPTY_RANGE];
      await this.host.deliver(previous.recipient, previous.parkedRequest, readResult(emptyBatch(segment, this.position, true)));
    }
    const before = stringifyJson(this.cluster.toJSON());
    this.cluster = this.cluster.withWaitingTracker(tracker);
    this.host.sql.exec(
      `INSERT INTO trackers (tracker_id, session_id, deliver_to, settings, parked_request, parked_kind, deadline)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tracker_id) DO UPDATE SET session_id = excluded.session_id, deliver_to = excluded.deliver_to,
         settings = excluded.settings, parked_request = excluded.parked_request, parked_kind = excluded.parked_kind,
         deadline = excluded.deadline`,
      tracker.trackerId,
      from.sessionId,
      from.deliverTo ?? "session",
      stringifyJson(tracker),
      stringifyJson(requestId ?? null),
      kind,
      tracker.deadline,
    );
    const result = await this.attempt(tracker, kind);
    if (result) this.unpark(tracker.trackerId);
    this.saveCluster();
    // Membership or activity changed: the other parked trackers may have gained segments.
    if (stringifyJson(this.cluster.toJSON()) !== before) await this.retryParked(tracker.trackerId);
    return result;
  }

  /** Tries to answer a tracker's parked request; null when there is nothing for it yet. */
  private async attempt(tracker: Tracker, kind: ParkedKind): Promise<FluxResult | null> {
    const range = this.cluster.getSegment(tracker);
    if (!range || range[0] === range[1]) return null;
    const now = this.host.now();
    if (kind === "claim") {
      this.cluster = this.cluster.withActiveTracker(tracker, now);
      this.recordSegment(tracker.trackerId, range);
      return claimSegmentResult(range, startPosition(tracker, this.position, range, now));
    }
    let current = tracker;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const position = startPosition(current, this.position, range, now);
      const fetched = await this.fetch(current, range, position);
      if (fetched.batch) {
        this.cluster = this.cluster.withActiveTracker(current, this.host.now());
        this.recordSegment(current.trackerId, fetched.batch.segment);
        return readResult(fetched.batch);
      }
      if (fetched.skippedTo.length > 0) {
        // Everything fetched was filtered out: move past it so the next round reads on.
        if (current.clientControlledIndex) {
          current = { ...current, lastIndex: fetched.skippedTo.reduce((a, s) => (s.index > a ? s.index : a), current.lastIndex ?? -1n) };
          this.host.sql.exec("UPDATE trackers SET settings = ? WHERE tracker_id = ?", stringifyJson(current), current.trackerId);
        } else {
          for (const s of fetched.skippedTo) this.position = this.position.store(s.range, s.index);
          this.saveState("position", this.position.encode());
        }
        continue;
      }
      // Nothing: park, unless an append slipped in between the read and the watch.
      const raced = await Promise.all(
        fetched.heads.map(async ({ partition, head }) => {
          const now = await this.host.watch(partition, head);
          this.heads.set(partition, now);
          return now > head;
        }),
      );
      if (!raced.some(Boolean)) return null;
    }
    return null;
  }

  /**
   * Reads the partitions under the tracker's range. A batch holds messages of one partition, with
   * the range cut to that partition, so the client stores positions per partition. Partitions are
   * read one at a time, round-robin per tracker, stopping at the first with messages, and a
   * partition whose last known head holds nothing past the position is not read at all. (A stale
   * head only delays: parking re-checks every head through `watch`.) Client-controlled trackers
   * keep one index, so their batch merges all partitions in index order instead.
   */
  private async fetch(tracker: Tracker, range: SegmentRange, position: Position) {
    const parts = tracker.ignoreSegment
      ? Array.from({ length: this.host.partitions }, (_, p) => ({ partition: p, range: rangeOfPartition(p, this.host.partitions) }))
      : partitionsFor(range, this.host.partitions);
    const positions = tracker.ignoreSegment ? undefined : Array.from({ length: MAX_SEGMENT }, (_, s) => position.indexOf(s) ?? null);
    const filter: ReadFilter = {
      typeFilter: tracker.typeFilter,
      target: tracker.filterMessageTarget ? { clientId: tracker.clientId, trackerId: tracker.trackerId } : null,
    };
    const after = (part: SegmentRange) => position.lowestIndexForSegment(tracker.ignoreSegment ? range : part) ?? -1n;
    const read = async ({ partition, range: part }: { partition: number; range: SegmentRange }) => {
      const outcome = await this.host.read(partition, after(part), tracker.maxSize, { ...filter, range: tracker.ignoreSegment ? undefined : part, positions });
      this.heads.set(partition, outcome.head);
      return outcome;
    };
    if (tracker.clientControlledIndex) {
      const outcomes = await Promise.all(parts.map(read));
      const batch = mergedBatch(outcomes, range, position, tracker.maxSize);
      const heads = outcomes.map((o, i) => ({ partition: parts[i].partition, head: o.head }));
      const skippedTo = outcomes.flatMap((o, i) => (o.indexes.length === 0 && o.scannedTo !== null ? [{ range: parts[i].range, index: o.scannedTo }] : []));
      return { batch, skippedTo: batch ? [] : skippedTo, heads };
    }
    const start = (this.nextPartition.get(tracker.trackerId) ?? 0) % parts.length;
    const heads: { partition: number; head: bigint }[] = [];
    const skippedTo: { range: SegmentRange; index: bigint }[] = [];
    for (let k = 0; k < parts.length; k++) {
      const part = parts[(start + k) % parts.length];
      const known = this.heads.get(part.partition);
      if (known !== undefined && known <= after(part.range)) {
        heads.push({ partition: part.partition, head: known });
        continue;
      }
      const o = await read(part);
      heads.push({ partition: part.partition, head: o.head });
      if (o.indexes.length > 0) {
        this.nextPartition.set(tracker.trackerId, start + k + 1);
        const batch: Batch = { segment: part.range, messages: o.messages, lastIndex: o.scannedTo, position, caughtUp: o.indexes.length < tracker.maxSize };
        return { batch, skippedTo: [], heads };
      }
      if (o.scannedTo !== null) skippedTo.push({ range: part.range, index: o.scannedTo });
    }
    return { batch: null, skippedTo, heads };
  }

  /** Retries every parked request (except `skip`, just handled) and delivers what is ready. */
  private async retryParked(skip?: string): Promise<void> {
    for (let pass = 0; pass < 3; pass++) {
      const before = stringifyJson(this.cluster.toJSON());
      const parked = this.host.sql
        .exec<{ id: string }>("SELECT tracker_id AS id FROM trackers WHERE parked_request IS NOT NULL ORDER BY tracker_id")
        .toArray();
      for (const { id } of parked) {
        if (id === skip) continue;
        const row = this.trackerRow(id);
        if (!row || !this.cluster.contains(id)) continue;
        const result = await this.attempt(row.tracker, row.parkedKind!);
        if (!result) continue;
        this.unpark(id);
        if (!(await this.host.deliver(row.recipient, row.parkedRequest, result))) this.remove([id]);
      }
      this.saveCluster();
      if (stringifyJson(this.cluster.toJSON()) === before) return;
    }
  }

  /**
   * Removes trackers whose session closed without telling us (a crashed runtime sends no close
   * event). Checked when a tracker joins, which is when a restarted client comes back.
   */
  private async dropDeadSessions(joining: string): Promise<void> {
    const sessions = this.host.sql
      .exec<{ sessionId: string; deliverTo: DeliverTo }>(
        "SELECT DISTINCT session_id AS sessionId, deliver_to AS deliverTo FROM trackers WHERE session_id != ?",
        joining,
      )
      .toArray();
    const open = await Promise.all(sessions.map((to) => this.host.isSessionOpen(to).catch(() => true)));
    const dead = sessions.filter((_, i) => !open[i]).map((to) => to.sessionId);
    if (dead.length === 0) return;
    const ids = this.host.sql
      .exec<{ id: string; session: string }>("SELECT tracker_id AS id, session_id AS session FROM trackers")
      .toArray()
      .filter((r) => dead.includes(r.session))
      .map((r) => r.id);
    this.remove(ids);
  }

  private checkSharedSettings(tracker: Tracker): void {
    for (const other of this.cluster.getTrackers()) {
      if (other.trackerId === tracker.trackerId) continue;
      const row = this.trackerRow(other.trackerId);
      if (!row) continue;
      for (const key of SHARED_SETTINGS) {
        if (row.tracker[key] !== tracker[key]) {
          throw new BadRequest(
            `consumer "${tracker.consumer}" is tracked with ${key}=${String(row.tracker[key])} by tracker ${other.trackerId}; this Read asks ${key}=${String(tracker[key])}`,
          );
        }
      }
      return;
    }
  }

  /** Whether a tracker of the session holds `range`, now or in its last batch or claim. */
  private ownedBySession(range: SegmentRange, sessionId: string): boolean {
    if (range[0] >= range[1]) return true;
    const rows = this.host.sql
      .exec<{ id: string; last: string | null }>("SELECT tracker_id AS id, last_segment AS last FROM trackers WHERE session_id = ?", sessionId)
      .toArray();
    return rows.some(({ id, last }) => {
      const held = [this.cluster.getSegment(id), last ? (JSON.parse(last) as SegmentRange) : null];
      return held.some((h) => h !== null && h[0] <= range[0] && range[1] <= h[1]);
    });
  }

  private trackerRow(trackerId: string): TrackerRow | null {
    const row = this.host.sql
      .exec<{
        session_id: string;
        deliver_to: DeliverTo;
        settings: string;
        parked_request: string | null;
        parked_kind: ParkedKind | null;
        last_segment: string | null;
      }>(
        "SELECT session_id, deliver_to, settings, parked_request, parked_kind, last_segment FROM trackers WHERE tracker_id = ?",
        trackerId,
      )
      .toArray()[0];
    if (!row) return null;
    const tracker = parseJson(row.settings) as Tracker;
    return {
      tracker: { ...tracker, lastIndex: tracker.lastIndex === null ? null : toIndex(tracker.lastIndex) },
      recipient: { sessionId: row.session_id, deliverTo: row.deliver_to },
      parkedRequest: row.parked_request === null ? null : parseJson(row.parked_request),
      parkedKind: row.parked_kind,
      lastSegment: row.last_segment ? (JSON.parse(row.last_segment) as SegmentRange) : null,
    };
  }

  private recordSegment(trackerId: string, segment: SegmentRange): void {
    this.host.sql.exec("UPDATE trackers SET last_segment = ? WHERE tracker_id = ?", JSON.stringify(segment), trackerId);
  }

  private unpark(trackerId: string): void {
    this.host.sql.exec("UPDATE trackers SET parked_request = NULL, parked_kind = NULL, deadline = NULL WHERE tracker_id = ?", trackerId);
  }

  private remove(trackerIds: string[]): void {
    for (const id of trackerIds) {
      this.cluster = this.cluster.withoutTracker(id);
      this.host.sql.exec("DELETE FROM trackers WHERE tracker_id = ?", id);
    }
    this.saveCluster();
  }

  private armAlarm(): void {
    const parked = this.host.sql.exec<{ at: number | null }>("SELECT MIN(deadline) AS at FROM trackers WHERE parked_request IS NOT NULL").one().at;
    const now = this.host.now();
    let purgeAt: number | null = null;
    for (const t of this.cluster.getTrackers()) {
      const busy = this.cluster.processingDuration(t.trackerId, now);
      if (t.purgeTimeout === null || busy === null) continue;
      const at = now - busy + t.purgeTimeout + 1;
      purgeAt = purgeAt === null ? at : Math.min(purgeAt, at);
    }
    const next = [parked, purgeAt].filter((x): x is number => x !== null);
    this.host.setAlarm(next.length ? Math.min(...next) : null);
  }

  private state(key: string): string | null {
    return this.host.sql.exec<{ value: string }>("SELECT value FROM consumer_state WHERE key = ?", key).toArray()[0]?.value ?? null;
  }

  private saveState(key: string, value: string): void {
    this.host.sql.exec(
      "INSERT INTO consumer_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      value,
    );
  }

  private saveCluster(): void {
    this.saveState("cluster", JSON.stringify(this.cluster.toJSON()));
  }
}

function emptyBatch(segment: SegmentRange, position: Position, caughtUp: boolean): Batch {
  return { segment, messages: [], lastIndex: null, position, caughtUp };
}

/**
 * All partitions' messages in index order, cut where a partition that had more stopped, so that
 * nothing below the batch's lastIndex is left behind.
 */
function mergedBatch(outcomes: ReadOutcome[], range: SegmentRange, position: Position, maxSize: number): Batch | null {
  if (outcomes.length === 1) {
    const o = outcomes[0];
    return o.indexes.length ? { segment: range, messages: o.messages, lastIndex: o.indexes[o.indexes.length - 1], position, caughtUp: o.indexes.length < maxSize } : null;
  }
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
