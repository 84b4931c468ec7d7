/**
 * A log partition's append counters: messages and appends in total, and per minute for the last
 * hour. Kept in the partition's own SQLite and bumped in the append's transaction (one upsert per
 * append, never per message, and no D1 write), so counting costs the append path next to nothing.
 * Counting starts when a partition first runs this code; older messages are not counted.
 */
import { migrate } from "../storage/migrations";

/** Minutes of per-minute counts kept. */
export const KEPT_MINUTES = 60;
const MINUTE_MS = 60_000;

const MIGRATIONS = [
  `CREATE TABLE append_minutes (minute INTEGER PRIMARY KEY, messages INTEGER NOT NULL, appends INTEGER NOT NULL);
   CREATE TABLE append_totals (id INTEGER PRIMARY KEY CHECK (id = 0), messages INTEGER NOT NULL, appends INTEGER NOT NULL);
   INSERT INTO append_totals (id, messages, appends) VALUES (0, 0, 0);`,
];

/** One minute's counts; `minute` is the minute's start, epoch ms. */
export interface MinuteCount {
  minute: number;
  messages: number;
  appends: number;
}

/** What a partition reports. */
export interface AppendStats {
  /** Messages stored (duplicates not counted) since counting began. */
  messages: number;
  /** Appends that stored at least one message. */
  appends: number;
  /** The last KEPT_MINUTES minutes that saw appends, oldest first. */
  minutes: MinuteCount[];
}

/** The append counters of one partition. */
export class AppendCounts {
  private pruned = -1;

  constructor(
    private readonly sql: SqlStorage,
    private readonly now: () => number = Date.now,
  ) {
    migrate(sql, "metrics", MIGRATIONS);
  }

  /** Counts `appends` appends (one commit's worth) that stored `messages` messages in all. */
  count(messages: number, appends = 1): void {
    const minute = Math.floor(this.now() / MINUTE_MS);
    this.sql.exec(
      `INSERT INTO append_minutes (minute, messages, appends) VALUES (?, ?, ?)
       ON CONFLICT (minute) DO UPDATE SET messages = messages + excluded.messages, appends = appends + excluded.appends`,
      minute,
      messages,
      appends,
    );
    this.sql.exec("UPDATE append_totals SET messages = messages + ?, appends = appends + ? WHERE id = 0", messages, appends);
    // Old minutes go once per minute, not on every append.
    if (minute !== this.pruned) {
      this.sql.exec("DELETE FROM append_minutes WHERE minute <= ?", minute - KEPT_MINUTES);
      this.pruned = minute;
    }
  }

  /** The counters now. */
  stats(): AppendStats {
    const totals = this.sql.exec<{ messages: number; appends: number }>("SELECT messages, appends FROM append_totals WHERE id = 0").one();
    const since = Math.floor(this.now() / MINUTE_MS) - KEPT_MINUTES;
    const minutes = this.sql
      .exec<{ minute: number; messages: number; appends: number }>(
        "SELECT minute, messages, appends FROM append_minutes WHERE minute > ? ORDER BY minute",
        since,
      )
      .toArray()
      .map((r) => ({ minute: r.minute * MINUTE_MS, messages: r.messages, appends: r.appends }));
    return { messages: totals.messages, appends: totals.appends, minutes };
  }
}
