/**
 * Batches read ahead for trackers that are behind. A tracker that just got a full batch reads
 * again as soon as it has handled it, with the same filter, after the batch's lastIndex (the
 * position it stores first). Its partition reads that batch while the client is still busy with
 * the last one, and answers the next read from it when the read asks exactly that: a read depends
 * only on the log and its inputs, so the answer is the one a fresh read would give. A write drops
 * a batch that reached the head and keeps one that stopped short of it (at maxSize or a scan
 * bound): messages appended later all come after it, so it is still what a read returns. Held in
 * memory only, within a budget.
 */
import { MAX_SEGMENT } from "../protocol/segment";
import type { ReadFilter, ReadOutcome } from "./log-store";

/** What a read asks: the inputs its outcome depends on (besides the log). */
export interface ReadInputs {
  after: bigint;
  maxSize: number;
  filter: ReadFilter;
}

/**
 * The read a tracker makes after being answered `outcome` for `read`: after its lastIndex, with
 * every segment of its range stored up to there (never lowered), as StorePosition does. Null when
 * there is nothing to read ahead: an empty batch, or one that reached the head.
 */
export function nextRead(read: ReadInputs, outcome: ReadOutcome, caughtUp: boolean): ReadInputs | null {
  const last = outcome.scannedTo;
  if (caughtUp || last === null || outcome.indexes.length === 0) return null;
  const [from, to] = read.filter.range ?? [0, MAX_SEGMENT];
  const positions = read.filter.positions?.map((p, s) => (s < from || s >= to || (p !== null && p >= last) ? p : last));
  return { after: last, maxSize: read.maxSize, filter: positions ? { ...read.filter, positions } : read.filter };
}

interface Held extends ReadInputs {
  outcome: ReadOutcome;
}

/** Outcomes read ahead, at most one per reader, each taken by the reader's next read. */
export class ReadsAhead {
  private readonly held = new Map<string, Held>();
  private size = 0;

  /** `budget`: the most message characters and packed bytes held, oldest dropped first. */
  constructor(private readonly budget: number) {}

  /** Whether an outcome of `size` (message characters and packed bytes) can be held. */
  fits(size: number): boolean {
    return size <= this.budget;
  }

  /** Holds `outcome` as the answer to `reader`'s next read if it is `read`. */
  hold(reader: string, read: ReadInputs, outcome: ReadOutcome): void {
    this.drop(reader);
    if (!this.fits(sizeOf(outcome))) return;
    this.held.set(reader, { ...read, outcome });
    this.size += sizeOf(outcome);
    for (const [oldest] of this.held) {
      if (this.size <= this.budget) break;
      this.drop(oldest);
    }
  }

  /**
   * What is held for `reader`, given up: its outcome if it was read ahead for exactly `read` (with
   * the partition's `head` now), else null.
   */
  take(reader: string, read: ReadInputs, head: bigint): ReadOutcome | null {
    const held = this.held.get(reader);
    if (!held) return null;
    this.drop(reader);
    return sameRead(held, read) ? { ...held.outcome, head } : null;
  }

  /** After a write: drops the batches that reached the head, which the write may have added to. */
  written(): void {
    for (const [reader, { outcome }] of this.held) if (!stoppedShort(outcome)) this.drop(reader);
  }

  /** Drops everything held (the messages a read may return changed). */
  clear(): void {
    this.held.clear();
    this.size = 0;
  }

  private drop(reader: string): void {
    const held = this.held.get(reader);
    if (!held) return;
    this.held.delete(reader);
    this.size -= sizeOf(held.outcome);
  }
}

function sizeOf(outcome: ReadOutcome): number {
  return outcome.bytes + (outcome.packed?.frame.length ?? 0);
}

/** Whether a read stopped before the partition's head (at a bound), so that appends leave it as it is. */
function stoppedShort(outcome: ReadOutcome): boolean {
  return outcome.scannedTo !== null && outcome.scannedTo < outcome.head;
}

/** Whether two reads select the same messages: the same inputs, positions compared where the range reaches. */
function sameRead(a: ReadInputs, b: ReadInputs): boolean {
  const fa = a.filter;
  const fb = b.filter;
  if (a.after !== b.after || a.maxSize !== b.maxSize || (fa.typeFilter ?? null) !== (fb.typeFilter ?? null)) return false;
  if ((fa.target?.clientId ?? null) !== (fb.target?.clientId ?? null) || (fa.target?.trackerId ?? null) !== (fb.target?.trackerId ?? null)) return false;
  if (fa.range?.[0] !== fb.range?.[0] || fa.range?.[1] !== fb.range?.[1]) return false;
  if (!fa.positions !== !fb.positions) return false;
  if (!fa.positions || !fb.positions) return true;
  // A message addressed to the tracker passes the range, so with a target every segment's position counts.
  const [from, to] = fa.range && !fa.target ? fa.range : [0, MAX_SEGMENT];
  for (let s = from; s < to; s++) if ((fa.positions[s] ?? null) !== (fb.positions[s] ?? null)) return false;
  return true;
}
