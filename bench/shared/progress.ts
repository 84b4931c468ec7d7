/**
 * Progress on stderr: a bar redrawn in place on a terminal, one line per step otherwise (CI logs).
 */
const WIDTH = 24;

export class Progress {
  private done = 0;
  private readonly started = performance.now();
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly total: number) {}

  /** A message outside the bar (setup, cleanup). */
  note(text: string): void {
    this.clear();
    process.stderr.write(`bench: ${text}\n`);
  }

  /** Counts one step done and shows what it measured. */
  step(text: string): void {
    this.done++;
    const filled = Math.round((this.done / this.total) * WIDTH);
    const bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
    const elapsed = Math.round((performance.now() - this.started) / 1000);
    const line = `[${bar}] ${String(this.done).padStart(String(this.total).length)}/${this.total} ${elapsed}s  ${text}`;
    process.stderr.write(this.tty ? `\r\x1b[K${line}` : `${line}\n`);
  }

  /** Leaves the bar's last state on its own line (the run may end before the bar is full). */
  end(): void {
    if (this.tty && this.done > 0) process.stderr.write("\n");
  }

  private clear(): void {
    if (this.tty && this.done > 0) process.stderr.write("\r\x1b[K");
  }
}
