/**
 * One log partition's storage on Durable Object SQLite. Messages are stored the way Kafka stores
 * record batches: one row per appended batch (split at ~512 KB), holding the messages' JSON lines
 * and a column per routing field, because a row per message caps appends at the SQLite row rate
 * (docs/architecture.md and docs/performance.md have the measurements). Indexes inside a row are consecutive, so a row
 * needs only its first index; a batch whose indexes jump (scheduled messages at their deadlines)
 * gets a row per consecutive run.
 */
import { migrate } from "../storage/migrations";
import { maxIndexFromMillis, millisFromIndex, minIndexFromMillis, requestedIndex } from "./index-clock";
import type { SegmentRange } from "../protocol/segment";
import { type TypeMatcher, compileTypeFilter } from "./type-filter";
import type { Lz4Block } from "../protocol/lz4-splice";
import { type ReadInputs, ReadsAhead } from "./read-ahead";
import { RowLines } from "./row-lines";

/** Messages prepared for a partition by the caller (which parses and validates them). */
export interface EncodedBatch {
  /** Each message's JSON without `index` and `segment`, which the partition assigns and splices in. */
  lines: string[];
  segments: number[];
  messageIds: string[];
  /** `data.type` per message, for type filters. */
  types: (string | null)[];
  /** `target` per message, for result routing. */
  targets: (string | null)[];
  /** Per message, the keys the audit trail indexes (see `MessageKeys`). */
  keys: MessageKeys[];
  /**
   * Per message, the index it asks for instead of the clock's (scheduled messages: `deadline << 16`),
   * granted when above the partition head, else the head's next index. Absent for ordinary appends.
   */
  requestedIndexes?: bigint[];
}

/**
 * What the audit trail indexes of a message besides its id and type, taken when the message is
 * encoded so that feeding the audit trail never parses stored messages:
 * `[timestamp, $correlationId, $traceId, metadata when its JSON is at most 1 KB]`.
 */
export type MessageKeys = [number | null, string | null, string | null, Record<string, string> | null];

/** One stored message's keys, for the audit feed. */
export interface KeyRow {
  index: bigint;
  messageId: string;
  type: string | null;
  keys: MessageKeys;
}

/** What an append did. Duplicates (by messageId, within the dedupe window) are not stored again. */
export interface AppendOutcome {
  stored: number;
  duplicates: number;
  /** Index of the last message stored, or of the partition head when all were duplicates. */
  lastIndex: bigint;
}

/** A message as committed, for answering parked reads from the commit without reading it back. */
export interface StoredMessage {
  index: bigint;
  segment: number;
  type: string | null;
  target: string | null;
  /** The stored JSON line, without index and segment. */
  line: string;
}

/** What one group commit did: an outcome per batch, and the messages it stored, oldest first. */
export interface AppendGroup {
  outcomes: AppendOutcome[];
  stored: StoredMessage[];
}

/** A group with its indexes, not yet written ({@link LogStore.prepare}). */
export interface PreparedGroup {
  group: AppendGroup;
  /** The group's last index: the head once it is written. */
  head: bigint;
  /**
   * Whether readers may see the group before it is durable: only when every index comes from the
   * clock and lies at or below the clock's present millisecond. After a crash loses such a group the
   * clock restarts past it, so no later message can take an index at or below one a reader saw. An
   * index a client requested (a schedule's deadline) could, and so could clock indexes above the
   * present (after a future deadline the next indexes follow it, and a burst past 65,536 in one
   * millisecond spills into the next): a reader that stored the lost one as its position would skip
   * the message that takes it again.
   */
  early: boolean;
  /** @internal */
  now: number;
  /** @internal */
  pending: Pending;
}

/** Which messages a read wants. Everything is optional; omitted parts do not filter. */
export interface ReadFilter {
  /** Only these segments. */
  range?: SegmentRange;
  /** Per segment (0..127), the last index already seen; messages at or below it are skipped. */
  positions?: (bigint | null)[];
  /** Full-match regex on `data.type`; messages without a type always pass. */
  typeFilter?: string | null;
  /** Result routing: keep messages targeted at `trackerId`, drop those targeted at another client. */
  target?: { clientId: string; trackerId: string } | null;
}

/** Read results as columns, oldest first. `messages` are complete JSON with index and segment. */
export interface ReadOutcome {
  indexes: bigint[];
  segments: number[];
  messages: string[];
  /** The highest index examined (matching or not); null if nothing was examined. */
  scannedTo: bigint | null;
  /** The partition's last index, or -1 when empty. */
  head: bigint;
  /** The JSON characters of `messages`, so replies stay within what a frame may hold. */
  bytes: number;
  /** `messages` as a JSON array, LZ4-compressed by a read ahead for a reader of LZ4 frames. */
  packed?: Lz4Block;
}

/**
 * The most message characters one read returns (a reply must stay far below what the runtime can
 * hold as one string); at least one message is always returned, so a consumer never stalls.
 */
export const MAX_READ_CHARS = 8 * 1024 * 1024;

/** A position's distance from a partition's head. */
export interface PartitionLag {
  head: bigint;
  /** Messages past the position (at most the cap). */
  messages: number;
  /** True when counting stopped at the cap. */
  capped: boolean;
  /** The oldest message past the position, whose age is how many seconds the consumer is behind. */
  oldestIndex: bigint | null;
}

/** The storage a LogStore needs from its host. */
export type LogStorage = Pick<DurableObjectStorage, "sql" | "transactionSync">;

const ROW_CHARS = 512 * 1024;
/** Characters of recent rows' lines a partition holds for reads (~16 MB: 32 full rows). */
const ROW_LINES_CHARS = 32 * ROW_CHARS;
/**
 * Characters and packed bytes of batches read ahead a partition holds (~8 MB: one read at its
 * largest, or eight trackers' batches of 1,000 messages of 200 B with their LZ4 blocks), beside the
 * row lines: objects may share an isolate's 128 MB.
 */
const READ_AHEAD_CHARS = MAX_READ_CHARS;
const MIGRATIONS = [
  `CREATE TABLE batches (
     first_index INTEGER PRIMARY KEY,
     last_index INTEGER NOT NULL,
     segments BLOB NOT NULL,
     message_ids TEXT NOT NULL,
     types TEXT NOT NULL,
     targets TEXT,
     messages TEXT NOT NULL
   );
   CREATE UNIQUE INDEX batches_by_last ON batches (last_index);
   CREATE TABLE log_settings (key TEXT PRIMARY KEY, value TEXT);`,
  "ALTER TABLE batches ADD COLUMN message_keys TEXT",
];

interface Pending {
  lastIndex: bigint;
  ids: Set<string>;
  stored: StoredMessage[];
  /** The batch rows' column values, in INSERT order. */
  rows: (SqlStorageValue | Uint8Array)[][];
  /** Each row's message lines, held for reads once the rows are written. */
  lines: { first: string; lines: string[]; chars: number }[];
}

/** The columns every scan reads of a batch row. */
interface ScanRow extends Record<string, SqlStorageValue> {
  first: string;
  segments: ArrayBuffer;
}

/** A batch row as a read sees it (its messages come from {@link RowLines} or on their own). */
interface MessageRow extends ScanRow {
  types: string;
  targets: string | null;
}

/** A batch row as a key read sees it. */
interface KeysRow extends ScanRow {
  ids: string;
  types: string;
  keys: string;
}

/** One stored message met by a scan: its index and segment, and its batch row and place in it. */
interface Scanned<R> {
  index: bigint;
  segment: number;
  row: R;
  position: number;
}

/** Append, read, retention and deduplication for one log partition. */
export class LogStore {
  /** The last index stored: the head readers see. */
  private lastIndex: bigint;
  /** Lines of recent rows, shared by the reads that meet them. */
  private readonly rowLines = new RowLines(ROW_LINES_CHARS);
  /** Batches read ahead for trackers (see src/log/read-ahead.ts). */
  private readonly ahead = new ReadsAhead(READ_AHEAD_CHARS);
  /** The last index handed out, stored or not (a failed write's indexes are not reused). */
  private clock: bigint;
  private retentionMillis: number | null;
  private readonly recentIds = new Map<string, number>();

  constructor(
    private readonly storage: LogStorage,
    private readonly options: { dedupeWindowMillis: number; now?: () => number } = { dedupeWindowMillis: 120_000 },
  ) {
    const sql = storage.sql;
    migrate(sql, "log", MIGRATIONS);
    const head = sql.exec<{ last: string | null }>("SELECT CAST(MAX(last_index) AS TEXT) AS last FROM batches").one();
    this.lastIndex = this.clock = head.last === null ? -1n : BigInt(head.last);
    const retention = sql.exec<{ value: string }>("SELECT value FROM log_settings WHERE key = 'retention_ms'").toArray()[0];
    this.retentionMillis = retention ? Number(retention.value) : null;
    this.rebuildDedupeWindow();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The last index stored, or -1 when the partition is empty. */
  get head(): bigint {
    return this.lastIndex;
  }

  /** Stores a batch atomically, assigning consecutive indexes; skips messageIds seen in the dedupe window. */
  append(batch: EncodedBatch): AppendOutcome {
    return this.appendMany([batch]).outcomes[0];
  }

  /**
   * Stores several batches in one transaction (group commit: one commit for appends that arrived
   * together), each with its own outcome: {@link prepare} then {@link write}. `beforeWrite` sees
   * the messages with their indexes before they are written.
   */
  appendMany(batches: EncodedBatch[], beforeWrite?: (group: AppendGroup, head: bigint) => void): AppendGroup {
    const prepared = this.prepare(batches);
    beforeWrite?.(prepared.group, prepared.head);
    this.write(prepared);
    return prepared.group;
  }

  /**
   * Assigns a group its indexes and lays out its rows, writing nothing: parked reads can be answered
   * from it before {@link write}. Its indexes are handed out for good, so if the write then fails no
   * reader that saw one can skip a later message carrying it. Groups are written in the order they
   * are prepared, one prepared at a time.
   */
  prepare(batches: EncodedBatch[]): PreparedGroup {
    const now = this.now();
    this.expireDedupe(now);
    const pending: Pending = { lastIndex: this.clock, ids: new Set<string>(), stored: [], rows: [], lines: [] };
    const outcomes = batches.map((batch) => this.planBatch(batch, now, pending));
    this.clock = pending.lastIndex;
    const early = batches.every((b) => !b.requestedIndexes) && millisFromIndex(pending.lastIndex) <= now;
    return { group: { outcomes, stored: pending.stored }, head: pending.lastIndex, early, now, pending };
  }

  /** Writes a prepared group in one transaction; memory (head, dedupe window) changes only once it committed. */
  write(prepared: PreparedGroup): void {
    const { pending, now } = prepared;
    this.storage.transactionSync(() => {
      for (const row of pending.rows) this.storage.sql.exec("INSERT INTO batches (first_index, last_index, segments, message_ids, types, targets, message_keys, messages) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ...row);
      this.purgeExpired(now);
    });
    // Appends come after every stored index (rows retention purged lie below any read it allows).
    this.ahead.written();
    // A group of duplicates only stores nothing: the head stays where the last stored message is.
    if (pending.rows.length > 0) this.lastIndex = pending.lastIndex;
    for (const id of pending.ids) this.recentIds.set(id, now);
    for (const row of pending.lines) this.rowLines.put(row.first, row.lines, row.chars);
  }

  /** Assigns a batch its indexes and lays out its rows (written by the caller, in one transaction). */
  private planBatch(batch: EncodedBatch, now: number, pending: Pending): AppendOutcome {
    const keep: number[] = [];
    for (let i = 0; i < batch.lines.length; i++) {
      const id = batch.messageIds[i];
      if (this.recentIds.has(id) || pending.ids.has(id)) continue;
      pending.ids.add(id);
      keep.push(i);
    }
    if (keep.length === 0) return { stored: 0, duplicates: batch.lines.length, lastIndex: pending.lastIndex };
    const clock = minIndexFromMillis(now);
    const indexes: bigint[] = [];
    let index = pending.lastIndex;
    for (const i of keep) {
      index = requestedIndex(index, batch.requestedIndexes?.[i] ?? clock);
      indexes.push(index);
    }
    for (let start = 0; start < keep.length; ) {
      let end = start;
      let chars = 0;
      while (
        end < keep.length &&
        (end === start || (chars + batch.lines[keep[end]].length < ROW_CHARS && indexes[end] === indexes[end - 1] + 1n))
      ) {
        chars += batch.lines[keep[end]].length + 1;
        end++;
      }
      const rows = keep.slice(start, end);
      const first = indexes[start];
      const last = indexes[end - 1];
      const targets = rows.map((i) => batch.targets[i]);
      rows.forEach((i, k) => pending.stored.push({ index: first + BigInt(k), segment: batch.segments[i], type: batch.types[i], target: batch.targets[i], line: batch.lines[i] }));
      const lines = rows.map((i) => batch.lines[i]);
      pending.lines.push({ first: first.toString(), lines, chars });
      pending.rows.push([
        first.toString(),
        last.toString(),
        Uint8Array.from(rows, (i) => batch.segments[i]),
        JSON.stringify(rows.map((i) => batch.messageIds[i])),
        JSON.stringify(rows.map((i) => batch.types[i])),
        targets.some((t) => t !== null) ? JSON.stringify(targets) : null,
        JSON.stringify(rows.map((i) => batch.keys[i])),
        lines.join("\n"),
      ]);
      start = end;
    }
    pending.lastIndex = index;
    return { stored: keep.length, duplicates: batch.lines.length - keep.length, lastIndex: pending.lastIndex };
  }

  /**
   * A read by `reader` (a tracker) with the default bounds, answered from the batch read ahead for
   * it if that is exactly this read (see src/log/read-ahead.ts).
   */
  readFor(reader: string, after: bigint, maxSize: number, filter: ReadFilter): ReadOutcome {
    const held = this.ahead.take(reader, { after, maxSize, filter }, this.lastIndex);
    return held && this.beforeRetention(after) ? held : this.read(after, maxSize, filter);
  }

  /**
   * Reads `read` now and holds the outcome for `reader`'s next {@link readFor}, with its messages
   * packed by `pack` when given.
   */
  readAhead(reader: string, read: ReadInputs, pack?: (messages: string[]) => Lz4Block): void {
    if (!this.beforeRetention(read.after)) return;
    const outcome = this.read(read.after, read.maxSize, read.filter);
    // Packed only when the block (about as large as the messages) could be held beside them.
    if (pack && outcome.messages.length > 0 && this.ahead.fits(2 * outcome.bytes)) outcome.packed = pack(outcome.messages);
    this.ahead.hold(reader, read, outcome);
  }

  /** Whether retention keeps everything after `after`, so that a read of it does not depend on the time. */
  private beforeRetention(after: bigint): boolean {
    const cutoff = this.retentionCutoff();
    return cutoff === null || cutoff <= after;
  }

  /**
   * Reads up to `maxSize` messages with index > `after` that pass `filter`, examining at most
   * `maxScan` messages so a selective filter over a long log stays bounded, and returning at most
   * `maxChars` of message JSON (but always at least one message).
   */
  read(after: bigint, maxSize: number, filter: ReadFilter = {}, maxScan = Math.max(10_000, maxSize * 10), maxChars = MAX_READ_CHARS): ReadOutcome {
    const out: ReadOutcome = { indexes: [], segments: [], messages: [], scannedTo: null, head: this.lastIndex, bytes: 0 };
    const accepts = messageFilter(filter);
    let scanned = 0;
    let current: MessageRow | null = null;
    let types: (string | null)[] | null = null;
    let targets: (string | null)[] | null = null;
    let lines: string[] | null = null;
    for (const { index, segment, row, position } of this.scan<MessageRow>(after, "types, targets")) {
      if (out.indexes.length >= maxSize || scanned >= maxScan) return out;
      if (row !== current) {
        current = row;
        types = accepts.needsType ? (JSON.parse(row.types) as (string | null)[]) : null;
        targets = accepts.needsTarget && row.targets ? (JSON.parse(row.targets) as (string | null)[]) : null;
        lines = null;
      }
      if (!accepts(index, segment, types?.[position] ?? null, targets?.[position] ?? null)) {
        scanned++;
        out.scannedTo = index;
        continue;
      }
      lines ??= this.linesOf(row.first);
      const message = withPosition(lines[position], index, segment);
      if (out.indexes.length > 0 && out.bytes + message.length > maxChars) return out;
      scanned++;
      out.scannedTo = index;
      out.indexes.push(index);
      out.segments.push(segment);
      out.messages.push(message);
      out.bytes += message.length;
    }
    return out;
  }

  /** The ids, types and audit keys of up to `max` messages after `after`, from their columns (the messages are not read). */
  readKeys(after: bigint, max: number): { rows: KeyRow[]; head: bigint } {
    const out: KeyRow[] = [];
    let current: KeysRow | null = null;
    let ids: string[] = [];
    let types: (string | null)[] = [];
    let keys: MessageKeys[] = [];
    for (const { index, row, position } of this.scan<KeysRow>(after, "message_ids AS ids, types, message_keys AS keys")) {
      if (out.length >= max) break;
      if (row !== current) {
        current = row;
        ids = JSON.parse(row.ids) as string[];
        types = JSON.parse(row.types) as (string | null)[];
        keys = JSON.parse(row.keys) as MessageKeys[];
      }
      out.push({ index, messageId: ids[position], type: types[position], keys: keys[position] });
    }
    return { rows: out, head: this.lastIndex };
  }

  /**
   * How far a consumer position is behind this partition's head within `range`: the messages past
   * the position (counted up to `cap`) and the age of the oldest of them.
   */
  lag(positions: (bigint | null)[], range: SegmentRange, cap = 100_000): PartitionLag {
    let after: bigint | null = null;
    for (let s = range[0]; s < range[1]; s++) {
      const p = positions[s] ?? -1n;
      if (after === null || p < after) after = p;
    }
    const lag: PartitionLag = { head: this.lastIndex, messages: 0, capped: false, oldestIndex: null };
    if (after === null) return lag;
    for (const { index, segment } of this.scan(after, "")) {
      if (segment < range[0] || segment >= range[1] || index <= (positions[segment] ?? -1n)) continue;
      lag.oldestIndex ??= index;
      if (++lag.messages >= cap) {
        lag.capped = true;
        return lag;
      }
    }
    return lag;
  }

  /**
   * The stored messages with index > `after` that retention still keeps, oldest first, each with
   * the batch row it is in (selecting `columns` besides the first index and segments): the one
   * walk over batch rows that reads, key reads and lag counts share.
   */
  private *scan<R extends ScanRow = ScanRow>(after: bigint, columns: string): Generator<Scanned<R>> {
    const cutoff = this.retentionCutoff();
    const from = cutoff !== null && cutoff > after ? cutoff : after;
    const rows = this.storage.sql.exec<R>(
      `SELECT CAST(first_index AS TEXT) AS first, segments${columns ? `, ${columns}` : ""} FROM batches WHERE last_index > ? ORDER BY last_index`,
      from.toString(),
    );
    for (const row of rows) {
      const first = BigInt(row.first);
      const segments = new Uint8Array(row.segments);
      // Indexes inside a row are consecutive: the first row may begin at or before `from`.
      for (let i = from >= first ? Number(from - first) + 1 : 0; i < segments.length; i++) {
        yield { index: first + BigInt(i), segment: segments[i], row, position: i };
      }
    }
  }

  /** The message lines of the row starting at `first` (a row the caller's scan just met). */
  private linesOf(first: string): string[] {
    const held = this.rowLines.get(first);
    if (held) return held;
    const text = this.storage.sql.exec<{ messages: string }>("SELECT messages FROM batches WHERE first_index = ?", first).one().messages;
    const lines = text.split("\n");
    this.rowLines.put(first, lines, text.length);
    return lines;
  }

  /** Sets how long messages are kept; null keeps them forever. Purges what is already too old. */
  setRetention(seconds: number | null): void {
    this.ahead.clear();
    this.retentionMillis = seconds === null ? null : seconds * 1000;
    if (this.retentionMillis === null) {
      this.storage.sql.exec("DELETE FROM log_settings WHERE key = 'retention_ms'");
    } else {
      this.storage.sql.exec(
        "INSERT INTO log_settings (key, value) VALUES ('retention_ms', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        String(this.retentionMillis),
      );
    }
    this.purgeExpired(this.now());
  }

  /** The retention in seconds, or null when messages are kept forever. */
  get retentionSeconds(): number | null {
    return this.retentionMillis === null ? null : this.retentionMillis / 1000;
  }

  /** Messages at or below this index are past retention; null when nothing expires. */
  private retentionCutoff(): bigint | null {
    return this.retentionMillis === null ? null : maxIndexFromMillis(this.now() - this.retentionMillis);
  }

  private purgeExpired(now: number): void {
    if (this.retentionMillis === null) return;
    this.storage.sql.exec("DELETE FROM batches WHERE last_index <= ?", maxIndexFromMillis(now - this.retentionMillis).toString());
  }

  /** After a restart, the dedupe window is rebuilt from the batches appended within it. */
  private rebuildDedupeWindow(): void {
    const now = this.now();
    const since = minIndexFromMillis(now - this.options.dedupeWindowMillis);
    const rows = this.storage.sql.exec<{ ids: string }>("SELECT message_ids AS ids FROM batches WHERE last_index >= ?", since.toString());
    for (const row of rows) for (const id of JSON.parse(row.ids) as string[]) this.recentIds.set(id, now);
  }

  private expireDedupe(now: number): void {
    const limit = now - this.options.dedupeWindowMillis;
    // Map iteration is insertion order, so the oldest entries come first.
    for (const [id, at] of this.recentIds) {
      if (at > limit) break;
      this.recentIds.delete(id);
    }
  }
}

/** A compiled ReadFilter; `needsType`/`needsTarget` say which columns it reads. */
export interface MessageFilter {
  (index: bigint, segment: number, type: string | null, target: string | null): boolean;
  needsType: boolean;
  needsTarget: boolean;
}

/** Compiles `filter` once for a read (or a parked read answered from commits). */
export function messageFilter(filter: ReadFilter): MessageFilter {
  const typeFilter: TypeMatcher | null = filter.typeFilter ? compileTypeFilter(filter.typeFilter) : null;
  const accepts = (index: bigint, segment: number, type: string | null, target: string | null): boolean => {
    if (typeFilter && type !== null && !typeFilter.test(type)) return false;
    // A message addressed to this very tracker reaches it whatever its segment.
    let addressedHere = false;
    if (filter.target && target !== null) {
      if (target !== filter.target.trackerId && target !== filter.target.clientId) return false;
      addressedHere = target === filter.target.trackerId;
    }
    if (!addressedHere && filter.range && (segment < filter.range[0] || segment >= filter.range[1])) return false;
    const position = filter.positions?.[segment];
    return position === null || position === undefined || index > position;
  };
  return Object.assign(accepts, { needsType: typeFilter !== null, needsTarget: Boolean(filter.target) });
}

/** Splices the assigned index and segment into a stored message line. */
export function withPosition(line: string, index: bigint, segment: number): string {
  return line.length > 2 ? `{"index":${index},"segment":${segment},${line.slice(1)}` : `{"index":${index},"segment":${segment}}`;
}
