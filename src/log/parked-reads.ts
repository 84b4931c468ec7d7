/**
 * Reads parked at a partition, answered from the commit that satisfies them. A Consumer hands the
 * partition a lease: "for this tracker, messages past `after` that pass `filter`, as a batch with
 * this segment and position, to this recipient, by this deadline". The partition answers it at once
 * from SQLite when it can; otherwise it keeps the lease and answers it from the next commit's own
 * messages, in the commit's turn, without reading them back and without a hop through the Consumer.
 *
 * Leases live in memory. One still parked after `persistAfterMs` is also written to the
 * partition's storage, so an evicted or restarted partition still answers it: on the next commit,
 * or empty at its deadline (the alarm). Leases answered sooner (request/response, busy consumers)
 * never touch storage: a write would cost CPU and hold the partition's next answers until it is
 * durable. Objects are evicted only after seconds of inactivity, so only a crash in the first
 * `persistAfterMs` of a park can lose one; its Read is then answered when the client reads again
 * (clients resend Reads after reconnecting, and a crashed runtime drops their sockets).
 */
import type { Compression } from "../protocol/compression";
import type { Lz4Block } from "../protocol/lz4-splice";
import { MAX_SEGMENT, type SegmentRange } from "../protocol/segment";
import { MAX_READ_CHARS, type MessageFilter, type ReadFilter, type ReadOutcome, type StoredMessage, messageFilter, withPosition } from "./log-store";

/** Where a lease's answer goes: the object named `sessionId` of kind `deliverTo`. */
export interface LeaseRecipient {
  sessionId: string;
  deliverTo: "session" | "gateway" | "socket";
  /** A session's frame compression, if known. */
  compression?: Compression;
}

/** A tracker's standing read at one partition, granted by its Consumer. */
export interface Lease {
  /** The Consumer object's name. */
  consumer: string;
  trackerId: string;
  /** Grows with every lease the Consumer grants, so an answer can be matched to its lease. */
  epoch: number;
  recipient: LeaseRecipient;
  /** The Read's requestId, echoed in the answer. */
  requestId: unknown;
  /** Messages with a higher index than this are candidates. */
  after: bigint;
  maxSize: number;
  /** Range, type and target filter; per-segment positions travel compactly as `positionRuns`. */
  filter: Omit<ReadFilter, "positions">;
  /** Runs of segments `[start, end)` already read up to `index`: messages at or below are skipped. */
  positionRuns?: [number, number, bigint][];
  /** The batch's `segment` and `position` (Flux JSON), as the Consumer computed them. */
  segment: SegmentRange;
  position: unknown;
  /** Epoch ms by which the Read is answered, empty if need be. */
  deadline: number;
}

/** A lease's answer: the messages (complete JSON) and the batch's lastIndex. */
export interface LeaseAnswer {
  lease: Lease;
  messages: string[];
  lastIndex: bigint | null;
  caughtUp: boolean;
  /** The messages as the ReadResult embeds them, LZ4-compressed ahead (see ReadOutcome.packed). */
  packed?: Lz4Block;
}

/** What `revoke` found: the lease if it was still parked, else when its tracker was last answered. */
export interface Revocation {
  parked: Lease | null;
  /** When the tracker's latest lease here was answered (epoch ms), if this partition remembers. */
  answeredAt: number | null;
  answeredEpoch: number | null;
}

/** What `serve` did with a lease. */
export interface Service {
  /** True when the lease was answered (now, with messages). */
  answered: boolean;
  /** True when it was kept to be answered by a later commit or at its deadline. */
  parked: boolean;
  head: bigint;
  /** The tracker's earlier lease this one replaced while it was still parked here, if any. */
  replaced: { requestId: unknown } | null;
}

interface Held {
  lease: Lease;
  accepts: MessageFilter;
  /** The highest index examined for this lease (filtered out), reported at the deadline. */
  scannedTo: bigint | null;
  /** When it was parked (epoch ms), and whether it is in storage yet. */
  parkedAt: number;
  stored: boolean;
}

const PREFIX = "lease/";

/** Where parked leases are kept across evictions. */
export interface LeaseStore {
  list(prefix: string): Iterable<[string, Lease]>;
  put(key: string, lease: Lease): void;
  delete(key: string): void;
}

/** What the parked reads need of their partition. */
export interface ParkedReadsHost {
  store: LeaseStore;
  now(): number;
  /** Runs `fn` after `ms` (a timer). */
  later(ms: number, fn: () => void): void;
}

/** How long a lease stays parked before it is written to storage. */
export const PERSIST_AFTER_MS = 100;

/** Trackers whose last answer a partition remembers (oldest forgotten first). */
const MAX_REMEMBERED = 10_000;

/** The parked reads of one partition. */
export class ParkedReads {
  private readonly held = new Map<string, Held>();
  private readonly answered = new Map<string, { epoch: number; at: number }>();
  /** Stored leases since answered or taken back: deleted by `flush`, after the answers went out. */
  private readonly stale = new Set<string>();
  private timer = false;

  constructor(private readonly host: ParkedReadsHost) {
    for (const [key, lease] of host.store.list(PREFIX)) this.held.set(key.slice(PREFIX.length), { ...hold(lease, 0), stored: true });
  }

  /** Number of parked leases. */
  get size(): number {
    return this.held.size;
  }

  /**
   * Answers `lease` from `read` (the partition's SQLite) when messages are there, or else, when
   * `park` is set, keeps it. Everything happens in one synchronous turn, so no commit can slip in
   * between the read and the parking. Returns the answer to send, if any.
   */
  serve(lease: Lease, park: boolean, read: (after: bigint, maxSize: number, filter: ReadFilter) => ReadOutcome, now: number): { service: Service; answer: LeaseAnswer | null } {
    const key = keyOf(lease.consumer, lease.trackerId);
    const previous = this.held.get(key)?.lease;
    const replaced = previous ? { requestId: previous.requestId } : null;
    this.drop(key);
    const outcome = read(lease.after, lease.maxSize, readFilter(lease));
    const atHead = outcome.scannedTo === null || outcome.scannedTo >= outcome.head;
    // A read that stopped short of the head (its scan bound) is answered with what it examined, so
    // the client stores that position and reads on.
    if (outcome.indexes.length > 0 || !atHead) {
      this.remember(key, lease.epoch, now);
      const caughtUp = atHead && outcome.indexes.length < lease.maxSize;
      return { service: { answered: true, parked: false, head: outcome.head, replaced }, answer: { lease, messages: outcome.messages, lastIndex: outcome.scannedTo, caughtUp, ...(outcome.packed ? { packed: outcome.packed } : {}) } };
    }
    if (!park) return { service: { answered: false, parked: false, head: outcome.head, replaced }, answer: null };
    const held = hold({ ...lease, after: outcome.head > lease.after ? outcome.head : lease.after }, now);
    held.scannedTo = outcome.scannedTo;
    this.held.set(key, held);
    this.persistLater();
    return { service: { answered: false, parked: true, head: outcome.head, replaced }, answer: null };
  }

  /**
   * Offers a commit's messages to every parked lease; returns the answers to send. A lease no
   * message matched moves past the commit, so the next one is offered only newer messages.
   */
  offer(stored: StoredMessage[], head: bigint, now: number): LeaseAnswer[] {
    const answers: LeaseAnswer[] = [];
    for (const [key, held] of this.held) {
      const { lease, accepts } = held;
      const messages: string[] = [];
      let chars = 0;
      let lastIndex: bigint | null = null;
      let more = false;
      for (const m of stored) {
        if (m.index <= lease.after) continue;
        if (messages.length >= lease.maxSize) {
          more = true;
          break;
        }
        if (!accepts(m.index, m.segment, m.type, m.target)) {
          held.scannedTo = m.index;
          continue;
        }
        const text = withPosition(m.line, m.index, m.segment);
        if (messages.length > 0 && chars + text.length > MAX_READ_CHARS) {
          more = true;
          break;
        }
        chars += text.length;
        messages.push(text);
        lastIndex = m.index;
      }
      if (messages.length === 0) {
        held.lease = { ...lease, after: head };
        continue;
      }
      this.drop(key);
      this.remember(key, lease.epoch, now);
      // Later messages of the commit that were examined belong to the batch's lastIndex only up to the cut.
      answers.push({ lease, messages, lastIndex: more ? lastIndex : maxOf(lastIndex, held.scannedTo), caughtUp: !more });
    }
    return answers;
  }

  /** Takes back a tracker's parked lease (null if it was answered or never parked here). */
  revoke(consumer: string, trackerId: string): Revocation {
    const key = keyOf(consumer, trackerId);
    const held = this.held.get(key);
    this.drop(key);
    const answered = this.answered.get(key);
    return { parked: held?.lease ?? null, answeredAt: answered?.at ?? null, answeredEpoch: answered?.epoch ?? null };
  }

  /** Removes and returns the leases whose deadline has passed, to be answered empty. */
  takeExpired(now: number): LeaseAnswer[] {
    const out: LeaseAnswer[] = [];
    for (const [key, held] of this.held) {
      if (held.lease.deadline > now) continue;
      this.drop(key);
      this.remember(key, held.lease.epoch, now);
      out.push({ lease: held.lease, messages: [], lastIndex: held.scannedTo, caughtUp: true });
    }
    return out;
  }

  /** The earliest deadline of the parked leases, or null. */
  earliestDeadline(): number | null {
    let at: number | null = null;
    for (const { lease } of this.held.values()) if (at === null || lease.deadline < at) at = lease.deadline;
    return at;
  }

  /**
   * Brings storage up to date: deletes leases answered or taken back, and writes those parked for
   * `PERSIST_AFTER_MS`. The partition calls it after sending answers, so no answer waits for it.
   */
  flush(): void {
    for (const key of this.stale) this.host.store.delete(PREFIX + key);
    this.stale.clear();
    const due = this.host.now() - PERSIST_AFTER_MS;
    for (const [key, held] of this.held) {
      if (held.stored || held.parkedAt > due) continue;
      held.stored = true;
      this.host.store.put(PREFIX + key, held.lease);
    }
  }

  private persistLater(): void {
    if (this.timer) return;
    this.timer = true;
    this.host.later(PERSIST_AFTER_MS, () => {
      this.timer = false;
      this.flush();
      if ([...this.held.values()].some((h) => !h.stored)) this.persistLater();
    });
  }

  /**
   * Remembers when a tracker was last answered, for `revoke`. Bounded: a forgotten tracker only
   * counts as answered now (its range stays frozen until it reads again), never as waiting.
   */
  private remember(key: string, epoch: number, at: number): void {
    this.answered.delete(key);
    this.answered.set(key, { epoch, at });
    if (this.answered.size > MAX_REMEMBERED) this.answered.delete(this.answered.keys().next().value!);
  }

  private drop(key: string): void {
    const held = this.held.get(key);
    if (!held) return;
    this.held.delete(key);
    if (held.stored) this.stale.add(key);
  }
}

function hold(lease: Lease, parkedAt: number): Held {
  return { lease, accepts: messageFilter(readFilter(lease)), scannedTo: null, parkedAt, stored: false };
}

/** A lease's filter with its position runs laid out per segment. */
function readFilter(lease: Lease): ReadFilter {
  if (!lease.positionRuns) return lease.filter;
  const positions = new Array<bigint | null>(MAX_SEGMENT).fill(null);
  for (const [start, end, index] of lease.positionRuns) positions.fill(index, start, end);
  return { ...lease.filter, positions };
}

/** How a partition keys what it keeps per tracker (its parked lease, its batch read ahead). */
export function keyOf(consumer: string, trackerId: string): string {
  return `${consumer}\n${trackerId}`;
}

function maxOf(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
