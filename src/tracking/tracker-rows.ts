/**
 * What a Consumer keeps in its SQLite: one row per tracker (membership: its session and settings,
 * and a Read parked in the Consumer itself), and a few state values (cluster, position, origin).
 * Reads that change nothing write nothing here; the logic's unit tests use an in-memory store.
 */
import type { Compression } from "../protocol/compression";
import { parseJson, stringifyJson } from "../protocol/json";
import { migrate } from "../storage/migrations";
import { toIndex } from "./position";
import type { DeliverTo, Recipient } from "./recipient";
import type { Tracker } from "./tracker";

/** A Read parked in the Consumer: nothing to lease yet (empty range, a claim) or several partitions to watch. */
export interface ParkedHere {
  requestId: unknown;
  kind: "read" | "claim";
  deadline: number;
}

/** A tracker as persisted. */
export interface TrackerRow {
  tracker: Tracker;
  recipient: Recipient;
  parked: ParkedHere | null;
}

/** The storage the tracking logic needs. */
export interface TrackerStore {
  rows(): TrackerRow[];
  put(row: TrackerRow): void;
  remove(trackerId: string): void;
  state(key: string): string | null;
  saveState(key: string, value: string): void;
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
  "ALTER TABLE trackers ADD COLUMN compression TEXT;",
];

/** Tracker rows in a Durable Object's SQLite. */
export class SqlTrackerRows implements TrackerStore {
  constructor(private readonly sql: SqlStorage) {
    migrate(sql, "tracking", MIGRATIONS);
  }

  rows(): TrackerRow[] {
    return this.sql
      .exec<{ tracker_id: string; session_id: string; deliver_to: DeliverTo; compression: Compression | null; settings: string; parked_request: string | null; parked_kind: "read" | "claim" | null; deadline: number | null }>(
        "SELECT tracker_id, session_id, deliver_to, compression, settings, parked_request, parked_kind, deadline FROM trackers ORDER BY tracker_id",
      )
      .toArray()
      .map((r) => {
        const tracker = parseJson(r.settings) as Tracker;
        return {
          tracker: { ...tracker, lastIndex: tracker.lastIndex === null ? null : toIndex(tracker.lastIndex) },
          recipient: { sessionId: r.session_id, deliverTo: r.deliver_to, ...(r.compression ? { compression: r.compression } : {}) },
          parked: r.parked_kind === null ? null : { requestId: r.parked_request === null ? null : parseJson(r.parked_request), kind: r.parked_kind, deadline: r.deadline ?? 0 },
        };
      });
  }

  put(row: TrackerRow): void {
    this.sql.exec(
      `INSERT INTO trackers (tracker_id, session_id, deliver_to, compression, settings, parked_request, parked_kind, deadline)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tracker_id) DO UPDATE SET session_id = excluded.session_id, deliver_to = excluded.deliver_to,
         compression = excluded.compression, settings = excluded.settings, parked_request = excluded.parked_request,
         parked_kind = excluded.parked_kind, deadline = excluded.deadline`,
      row.tracker.trackerId,
      row.recipient.sessionId,
      row.recipient.deliverTo,
      row.recipient.compression ?? null,
      stringifyJson(row.tracker),
      row.parked ? stringifyJson(row.parked.requestId ?? null) : null,
      row.parked?.kind ?? null,
      row.parked?.deadline ?? null,
    );
  }

  remove(trackerId: string): void {
    this.sql.exec("DELETE FROM trackers WHERE tracker_id = ?", trackerId);
  }

  state(key: string): string | null {
    return this.sql.exec<{ value: string }>("SELECT value FROM consumer_state WHERE key = ?", key).toArray()[0]?.value ?? null;
  }

  saveState(key: string, value: string): void {
    this.sql.exec("INSERT INTO consumer_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
  }
}
