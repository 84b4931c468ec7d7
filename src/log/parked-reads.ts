/**
 * Reads parked at a partition, answered from the commit that satisfies them. A Consumer hands the
 * partition a lease: "for this tracker, messages past `after` that pass `filter`, as a batch with
 * this segment and position, to this recipient, by this deadline". The partition answers it at once
 * from SQLite when it can; otherwise it keeps the lease and answers it from the next commit's own
 * messages, in the commit's turn, without reading them back and without a hop through the Consumer.
 *
 * Leases are kept in memory and in the partition's key-value storage, so an evicted or restarted
 * partition still answers them: on the next commit, or empty at their deadline (the alarm).
 */
import type { SegmentRange } from "../protocol/segment";
import { MAX_READ_CHARS, type MessageFilter, type ReadFilter, type ReadOutcome, type StoredMessage, messageFilter, withPosition } from "./log-store";

/** Where a lease's answer goes: the object named `sessionId` of kind `deliverTo`. */
export interface LeaseRecipient {
  sessionId: string;
  deliverTo: "session" | "gateway" | "socket";
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
  filter: ReadFilter;
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
}

interface Held {
  lease: Lease;
  accepts: MessageFilter;
  /** The highest index examined for this lease (filtered out), reported at the deadline. */
  scannedTo: bigint | null;
}

const PREFIX = "lease/";

/** The parked reads of one partition. */
export class ParkedReads {
  private readonly held = new Map<string, Held>();
  private readonly answered = new Map<string, { epoch: number; at: number }>();

  constructor(private readonly kv: SyncKvStorage) {
    for (const [key, lease] of kv.list<Lease>({ prefix: PREFIX })) this.held.set(key.slice(PREFIX.length), hold(lease));
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
    this.drop(key);
    const outcome = read(lease.after, lease.maxSize, lease.filter);
    const atHead = outcome.scannedTo === null || outcome.scannedTo >= outcome.head;
    // A read that stopped short of the head (its scan bound) is answered with what it examined, so
    // the client stores that position and reads on.
    if (outcome.indexes.length > 0 || !atHead) {
      this.answered.set(key, { epoch: lease.epoch, at: now });
      const caughtUp = atHead && outcome.indexes.length < lease.maxSize;
      return { service: { answered: true, parked: false, head: outcome.head }, answer: { lease, messages: outcome.messages, lastIndex: outcome.scannedTo, caughtUp } };
    }
    if (!park) return { service: { answered: false, parked: false, head: outcome.head }, answer: null };
    const held = hold({ ...lease, after: outcome.head > lease.after ? outcome.head : lease.after });
    held.scannedTo = outcome.scannedTo;
    this.held.set(key, held);
    this.kv.put(PREFIX + key, held.lease);
    return { service: { answered: false, parked: true, head: outcome.head }, answer: null };
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
      this.answered.set(key, { epoch: lease.epoch, at: now });
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
      this.answered.set(key, { epoch: held.lease.epoch, at: now });
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

  private drop(key: string): void {
    if (this.held.delete(key)) this.kv.delete(PREFIX + key);
  }
}

function hold(lease: Lease): Held {
  return { lease, accepts: messageFilter(lease.filter), scannedTo: null };
}

function keyOf(consumer: string, trackerId: string): string {
  return `${consumer}\n${trackerId}`;
}

function maxOf(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
