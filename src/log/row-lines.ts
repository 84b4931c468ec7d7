/**
 * The message lines of recently written or read batch rows, by the row's first index. A
 * consumer's trackers each read the same rows (each keeps the messages of its own segments), and
 * a backlog is read soon after it was written; without this every such read fetches the row's
 * whole text from SQLite and splits it again. Rows never change once written, and a purged row is
 * never asked for (reads only meet rows SQLite still has), so nothing here goes stale.
 */

export class RowLines {
  private readonly rows = new Map<string, string[]>();
  private readonly sizes = new Map<string, number>();
  private chars = 0;

  /** Keeps at most `maxChars` of lines (the oldest rows leave first). */
  constructor(private readonly maxChars: number) {}

  /** A row's lines, or undefined when not held. */
  get(first: string): string[] | undefined {
    return this.rows.get(first);
  }

  /** Holds a row's lines (`chars` long in all); a row larger than the whole budget is not held. */
  put(first: string, lines: string[], chars: number): void {
    if (chars > this.maxChars || this.rows.has(first)) return;
    this.rows.set(first, lines);
    this.sizes.set(first, chars);
    this.chars += chars;
    for (const [oldest] of this.rows) {
      if (this.chars <= this.maxChars) break;
      this.chars -= this.sizes.get(oldest)!;
      this.rows.delete(oldest);
      this.sizes.delete(oldest);
    }
  }
}
