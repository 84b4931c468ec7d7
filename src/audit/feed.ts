/**
 * A log partition's audit feed: copies the keys of its messages to the D1 audit trail, off the
 * append path. An append only arms the partition's one alarm (at most once per run); the alarm
 * reads a bounded batch after the feed's cursor, writes it to D1 in one batch, then advances the
 * cursor and re-arms while more is pending. The cursor lives in the partition's SQLite, so a crash
 * before or during a run only means the same rows are written again, which D1 ignores.
 */
import { millisFromIndex } from "../log/index-clock";
import type { LogStore } from "../log/log-store";
import { FULL_RANGE, MAX_SEGMENT } from "../protocol/segment";
import { migrate } from "../storage/migrations";
import { auditKeys, type PartitionIdentity } from "./audit-row";
import { feedStatements } from "./audit-writes";

/**
 * Messages per run: bounds the alarm's time and the size of its D1 batch (20,000 keys with 1 KB of
 * metadata each is ~20 MB). Large runs matter: each audit row adds an entry to indexes keyed by
 * random ids, and a transaction costs a page write per distinct page it touches, so per row it
 * costs less the more rows share it (SQLite, 300,000–600,000 rows: 35 ms per 1,000 in runs of
 * 5,000, 19 in runs of 20,000; docs/performance.md "The audit feed's share").
 */
export const FEED_BATCH = 20_000;
/** How long after an append the feed runs, so that a stream of appends shares one run. */
export const FEED_DELAY_MS = 1000;
const MAX_RETRY_DELAY_MS = 60_000;

const MIGRATIONS = [
  `CREATE TABLE audit_feed (
     id INTEGER PRIMARY KEY CHECK (id = 0),
     project_id TEXT,
     log_type TEXT,
     topic TEXT,
     partition INTEGER,
     fed_to INTEGER NOT NULL
   );
   INSERT INTO audit_feed (id, fed_to) VALUES (0, -1);`,
];

/** What the feed needs of its partition. */
export interface FeedHost {
  storage: Pick<DurableObjectStorage, "sql" | "getAlarm" | "setAlarm">;
  log: Pick<LogStore, "readKeys" | "head" | "lag">;
  db: D1Database;
  now?: () => number;
}

/** A partition's feed position against its log, for `GET …/audit/lag`. */
export interface FeedLag {
  /** The partition's last index, or -1 when empty. */
  head: bigint;
  /** The last index written to the audit trail, or -1. */
  fedTo: bigint;
  /** Messages not yet in the audit trail, counted up to a cap. */
  messagesBehind: number;
  /** True when `messagesBehind` stopped at the cap. */
  capped: boolean;
  /** Age of the oldest message not yet in the audit trail. */
  secondsBehind: number;
}

interface FeedRow extends Record<string, SqlStorageValue> {
  project_id: string | null;
  log_type: string | null;
  topic: string | null;
  partition: number | null;
  fed_to: string;
}

/** The audit feed of one LogPartition. */
export class AuditFeed {
  private identity: PartitionIdentity | null;
  private fedTo: bigint;
  private armed: boolean;
  private failures = 0;

  private constructor(private readonly host: FeedHost, row: FeedRow, armed: boolean) {
    this.identity = row.project_id === null
      ? null
      : { projectId: row.project_id, type: row.log_type as PartitionIdentity["type"], topic: row.topic, partition: row.partition! };
    this.fedTo = BigInt(row.fed_to);
    this.armed = armed;
  }

  /** Opens the feed; re-arms it if messages are waiting and no alarm is set (data from before the feed). */
  static async open(host: FeedHost): Promise<AuditFeed> {
    const sql = host.storage.sql;
    migrate(sql, "audit", MIGRATIONS);
    const row = sql
      .exec<FeedRow>("SELECT project_id, log_type, topic, partition, CAST(fed_to AS TEXT) AS fed_to FROM audit_feed WHERE id = 0")
      .one();
    const feed = new AuditFeed(host, row, (await host.storage.getAlarm()) !== null);
    if (feed.identity && host.log.head > feed.fedTo) await feed.arm(FEED_DELAY_MS);
    return feed;
  }

  private now(): number {
    return (this.host.now ?? Date.now)();
  }

  /**
   * Called after an append stored messages: remembers which log this partition is (the first time
   * a caller says) and arms the alarm unless it is already armed. No D1 work happens here.
   */
  async appended(identity: PartitionIdentity | undefined): Promise<void> {
    if (identity && !this.identity) {
      this.identity = identity;
      this.host.storage.sql.exec(
        "UPDATE audit_feed SET project_id = ?, log_type = ?, topic = ?, partition = ? WHERE id = 0",
        identity.projectId, identity.type, identity.topic, identity.partition,
      );
    }
    if (this.identity) await this.arm(FEED_DELAY_MS);
  }

  /**
   * One run (the alarm): feeds up to FEED_BATCH messages after the cursor. Re-arms at once while
   * more is pending; on failure re-arms with a growing delay, so the feed never gives up.
   */
  async run(): Promise<void> {
    this.armed = false;
    const identity = this.identity;
    if (!identity) return;
    try {
      const batch = this.host.log.readKeys(this.fedTo, FEED_BATCH);
      if (batch.rows.length > 0) await this.host.db.batch(feedStatements(this.host.db, identity, batch.rows.map(auditKeys)));
      // Nothing readable after the cursor means whatever lies up to the head was purged.
      this.advance(batch.rows.length > 0 ? batch.rows[batch.rows.length - 1].index : batch.head);
      this.failures = 0;
    } catch (e) {
      this.failures++;
      console.warn(`audit feed of ${identity.projectId}/${identity.type}/${identity.partition} failed`, e);
      this.armed = false;
      await this.arm(Math.min(MAX_RETRY_DELAY_MS, FEED_DELAY_MS * 2 ** this.failures));
      return;
    }
    if (this.host.log.head > this.fedTo) {
      this.armed = false;
      await this.arm(0);
    }
  }

  /** How far the audit trail is behind this partition. */
  lag(): FeedLag {
    // The feed is a consumer of every segment whose position is the cursor.
    const backlog = this.host.log.lag(new Array<bigint>(MAX_SEGMENT).fill(this.fedTo), FULL_RANGE);
    const ageMillis = backlog.oldestIndex === null ? 0 : Math.max(0, this.now() - millisFromIndex(backlog.oldestIndex));
    return { head: backlog.head, fedTo: this.fedTo, messagesBehind: backlog.messages, capped: backlog.capped, secondsBehind: ageMillis / 1000 };
  }

  private advance(to: bigint): void {
    if (to <= this.fedTo) return;
    this.host.storage.sql.exec("UPDATE audit_feed SET fed_to = ? WHERE id = 0", to.toString());
    this.fedTo = to;
  }

  private async arm(delayMillis: number): Promise<void> {
    if (this.armed) return;
    this.armed = true;
    await this.host.storage.setAlarm(this.now() + delayMillis);
  }
}
