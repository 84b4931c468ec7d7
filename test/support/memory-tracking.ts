/**
 * An in-memory host for the tracking logic: partitions that hold messages in arrays but answer
 * leases with the real `ParkedReads`, tracker rows in memory, a clock the test moves, and a record
 * of every result delivered. Lets the Consumer's logic and its races be tested step by step.
 */
import { type MessageFilter, type ReadFilter, type ReadOutcome, type StoredMessage, messageFilter, withPosition } from "../../src/log/log-store";
import { type Lease, type LeaseAnswer, type LeaseStore, ParkedReads } from "../../src/log/parked-reads";
import type { FluxResult } from "../../src/protocol/endpoint";
import { ConsumerTracking, type TrackingHost } from "../../src/tracking/consumer-tracking";
import { leaseResult } from "../../src/tracking/read-result";
import type { Recipient } from "../../src/tracking/recipient";
import { parseJson, stringifyJson } from "../../src/protocol/json";
import { toIndex } from "../../src/tracking/position";
import type { TrackerRow, TrackerStore } from "../../src/tracking/tracker-rows";

/** Parked leases in a Map, as a partition's storage keeps them. */
export class MemoryKv implements LeaseStore {
  readonly map = new Map<string, Lease>();
  *list(prefix: string): Iterable<[string, Lease]> {
    for (const [k, v] of [...this.map].sort(([a], [b]) => (a < b ? -1 : 1))) if (k.startsWith(prefix)) yield [k, structuredClone(v)];
  }
  put(key: string, lease: Lease): void {
    this.map.set(key, structuredClone(lease));
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

/** A delivered result, as the recipient would get it. */
export interface Delivery {
  to: string;
  requestId: unknown;
  result: any;
}

/** One partition: messages in an array, leases in the real ParkedReads. */
export class MemoryPartition {
  readonly messages: StoredMessage[] = [];
  kv = new MemoryKv();
  parked = new ParkedReads(this.parkedHost());

  constructor(private readonly rig: MemoryRig) {}

  get head(): bigint {
    return this.messages.length ? this.messages[this.messages.length - 1].index : -1n;
  }

  /** Appends messages (one per segment given) and answers the leases the commit satisfies. */
  append(segments: number[], type = "T", target: string | null = null): bigint[] {
    const stored = segments.map((segment, i) => ({ index: this.head + 1n + BigInt(i), segment, type, target, line: `{"n":${this.rig.counter++}}` }));
    this.messages.push(...stored);
    for (const answer of this.parked.offer(stored, this.head, this.rig.now)) this.rig.answered(answer);
    return stored.map((m) => m.index);
  }

  read(after: bigint, maxSize: number, filter: ReadFilter): ReadOutcome {
    const accepts: MessageFilter = messageFilter(filter);
    const out: ReadOutcome = { indexes: [], segments: [], messages: [], scannedTo: null, head: this.head, bytes: 0 };
    for (const m of this.messages) {
      if (m.index <= after) continue;
      if (out.indexes.length >= maxSize) break;
      out.scannedTo = m.index;
      if (!accepts(m.index, m.segment, m.type, m.target)) continue;
      out.indexes.push(m.index);
      out.segments.push(m.segment);
      out.messages.push(withPosition(m.line, m.index, m.segment));
    }
    return out;
  }

  /** The partition restarts: memory is gone, what it had stored stays. */
  restart(): void {
    this.parked = new ParkedReads(this.parkedHost());
  }

  private parkedHost() {
    return { store: this.kv, now: () => this.rig.now, later: () => {} };
  }
}

/** A consumer over `partitions` in-memory partitions. */
export class MemoryRig {
  now = 1_700_000_000_000;
  counter = 0;
  readonly rows = new MemoryTrackerRows();
  readonly partitions: MemoryPartition[];
  readonly deliveries: Delivery[] = [];
  readonly closed = new Set<string>();
  alarm: number | null = null;
  tracking: ConsumerTracking;
  readonly host: TrackingHost;

  constructor(partitions = 1) {
    this.partitions = Array.from({ length: partitions }, () => new MemoryPartition(this));
    this.host = {
      rows: this.rows,
      now: () => this.now,
      consumer: "c",
      partitions,
      serve: async (p: number, lease: Lease, park: boolean) => {
        const part = this.partitions[p];
        const { service, answer } = part.parked.serve(structuredClone(lease), park, (a, n, f) => part.read(a, n, f), this.now);
        if (answer) this.answered(answer);
        return service;
      },
      revoke: async (p: number, trackerId: string) => this.partitions[p].parked.revoke("c", trackerId),
      read: async (p: number, after: bigint, maxSize: number, filter: ReadFilter) => this.partitions[p].read(after, maxSize, filter),
      watch: async (p: number) => this.partitions[p].head,
      deliver: async (to: Recipient, requestId: unknown, result: FluxResult) => this.record(to.sessionId, requestId, JSON.parse(stringifyJson(result))),
      isSessionOpen: async (to: Recipient) => !this.closed.has(to.sessionId),
      setAlarm: (at: number | null) => {
        this.alarm = at;
      },
    };
    this.tracking = new ConsumerTracking(this.host, "EVENT");
  }

  /** A partition answered a lease: record it as its recipient would get it. */
  answered(answer: LeaseAnswer): void {
    if (!this.record(answer.lease.recipient.sessionId, answer.lease.requestId, JSON.parse(stringifyJson(leaseResult(answer))))) {
      void this.tracking.recipientGone(answer.lease.trackerId, answer.lease.recipient.sessionId);
    }
  }

  private record(to: string, requestId: unknown, result: any): boolean {
    if (this.closed.has(to)) return false;
    this.deliveries.push({ to, requestId, result });
    return true;
  }

  /** The consumer object is evicted: a new instance over the same rows. */
  restartConsumer(): void {
    this.tracking = new ConsumerTracking(this.host, "EVENT");
  }

  /** Results delivered for `requestId`. */
  answersTo(requestId: unknown): any[] {
    return this.deliveries.filter((d) => d.requestId === requestId).map((d) => d.result);
  }
}

/** Tracker rows in memory, for unit tests of the tracking logic. */
export class MemoryTrackerRows implements TrackerStore {
  readonly trackers = new Map<string, string>();
  readonly values = new Map<string, string>();
  /** Every write, counted: a Read that changes nothing must not add to it. */
  writes = 0;

  rows(): TrackerRow[] {
    return [...this.trackers.keys()].sort().map((id) => {
      const row = parseJson(this.trackers.get(id)!) as TrackerRow;
      return { ...row, tracker: { ...row.tracker, lastIndex: row.tracker.lastIndex === null ? null : toIndex(row.tracker.lastIndex) } };
    });
  }

  put(row: TrackerRow): void {
    this.writes++;
    this.trackers.set(row.tracker.trackerId, stringifyJson(row));
  }

  remove(trackerId: string): void {
    this.writes++;
    this.trackers.delete(trackerId);
  }

  state(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  saveState(key: string, value: string): void {
    this.writes++;
    this.values.set(key, value);
  }
}
