/**
 * The event stream of one aggregate, and its outbox to the EVENT log. Events get consecutive
 * 0-based sequence numbers. Events that must also be published are copied into the outbox in the
 * same transaction, so a crash after the append can neither lose nor (thanks to kept messageIds)
 * duplicate them on the log; the outbox is drained by {@link OutboxForwarder}.
 */
import { segmentOf } from "../protocol/segment";
import { parseJson, stringifyJson } from "../protocol/json";
import type { SerializedMessage } from "../protocol/messages";
import { migrate } from "../storage/migrations";

const MIGRATIONS = [
  "CREATE TABLE events (seq INTEGER PRIMARY KEY, message TEXT NOT NULL)",
  "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, project_id TEXT NOT NULL, message TEXT NOT NULL)",
];

/** What the stream needs from its host: SQLite and synchronous transactions. */
export type StreamStorage = Pick<DurableObjectStorage, "sql" | "transactionSync">;

/** Flux `EventBatch` as the stream takes it, plus the optional optimistic-concurrency check. */
export interface StreamBatch {
  events: SerializedMessage[];
  /** Store in the stream only; do not publish on the EVENT log. */
  storeOnly: boolean;
  /**
   * Not in Flux (its clients never send it): the sequence number of the last event the writer saw,
   * -1 for a new stream. When set and the stream's last sequence number differs, nothing is stored.
   */
  expectedSequenceNumber?: number;
}

/** The outcome of an append: the sequence numbers given, or the conflict that stopped it. */
export type StreamAppendOutcome =
  | { ok: true; firstSequenceNumber: number; lastSequenceNumber: number }
  | { ok: false; expectedSequenceNumber: number; actualSequenceNumber: number };

/** A page of events: those after the asked sequence number, and the sequence number of the last one. */
export interface EventPage {
  /** The stored SerializedMessage JSON texts, in sequence order. */
  events: string[];
  /** Sequence number of the last event returned; the asked one when none were. */
  lastSequenceNumber: number;
}

/** A message waiting in the outbox to be appended to a project's EVENT log. */
export interface OutboxEntry {
  id: number;
  projectId: string;
  message: SerializedMessage;
}

class ConflictSignal {
  constructor(readonly expected: number, readonly actual: number) {}
}

/** One aggregate's events and outbox, over the host's SQLite. */
export class AggregateStream {
  /** Creates the tables on first use. */
  constructor(private readonly storage: StreamStorage) {
    migrate(storage.sql, "aggregate-stream", MIGRATIONS);
  }

  /** Sequence number of the last stored event; -1 when the stream is empty. */
  lastSequenceNumber(): number {
    return this.storage.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events").one().seq ?? -1;
  }

  /**
   * Appends the batches in one transaction: all are stored, or none when a batch's expected sequence
   * number is not the stream's last. Fills in what Flux's DefaultEventStore and aggregate roots would:
   * `segment` (hash of the aggregate id), `$aggregateId` and `$sequenceNumber` metadata, and a
   * `messageId` and `timestamp` when missing; values the client set are kept.
   */
  append(projectId: string, aggregateId: string, batches: readonly StreamBatch[]): StreamAppendOutcome {
    try {
      return this.storage.transactionSync(() => {
        const first = this.lastSequenceNumber() + 1;
        let seq = first;
        for (const batch of batches) {
          if (batch.expectedSequenceNumber !== undefined && batch.expectedSequenceNumber !== seq - 1) {
            throw new ConflictSignal(batch.expectedSequenceNumber, seq - 1);
          }
          for (const event of batch.events) {
            const message = stringifyJson(complete(event, aggregateId, seq));
            this.storage.sql.exec("INSERT INTO events (seq, message) VALUES (?, ?)", seq++, message);
            if (!batch.storeOnly) this.storage.sql.exec("INSERT INTO outbox (project_id, message) VALUES (?, ?)", projectId, message);
          }
        }
        return { ok: true, firstSequenceNumber: first, lastSequenceNumber: seq - 1 };
      });
    } catch (e) {
      if (e instanceof ConflictSignal) return { ok: false, expectedSequenceNumber: e.expected, actualSequenceNumber: e.actual };
      throw e;
    }
  }

  /** Up to `limit` events with sequence numbers above `after`, in order. */
  read(after: number, limit: number): EventPage {
    const events = this.storage.sql
      .exec<{ message: string }>("SELECT message FROM events WHERE seq > ? ORDER BY seq LIMIT ?", after, limit)
      .toArray()
      .map((row) => row.message);
    return { events, lastSequenceNumber: Math.max(after, -1) + events.length };
  }

  /** Deletes the stream: the next append starts again at 0. Pending outbox entries are still published. */
  delete(): void {
    this.storage.sql.exec("DELETE FROM events");
  }

  /** The oldest outbox entries: up to `limit` of them and `maxChars` of JSON, but at least one. */
  pending(limit: number, maxChars: number): OutboxEntry[] {
    return this.storage.sql
      .exec<{ id: number; project_id: string; message: string; total: number }>(
        "SELECT id, project_id, message, SUM(length(message)) OVER (ORDER BY id) AS total FROM outbox ORDER BY id LIMIT ?",
        limit,
      )
      .toArray()
      .filter((row, i) => i === 0 || row.total <= maxChars)
      .map((row) => ({ id: row.id, projectId: row.project_id, message: parseJson(row.message) as SerializedMessage }));
  }

  /** Number of outbox entries not yet acknowledged by the log. */
  pendingCount(): number {
    return this.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n;
  }

  /** Removes outbox entries up to and including `lastId`, once the log has stored them. */
  acknowledge(lastId: number): void {
    this.storage.sql.exec("DELETE FROM outbox WHERE id <= ?", lastId);
  }
}

function complete(event: SerializedMessage, aggregateId: string, seq: number): SerializedMessage {
  return {
    ...event,
    metadata: { $aggregateId: aggregateId, $sequenceNumber: String(seq), ...(event.metadata ?? {}) },
    segment: event.segment ?? segmentOf(aggregateId),
    messageId: event.messageId ?? crypto.randomUUID(),
    timestamp: event.timestamp ?? Date.now(),
  };
}
