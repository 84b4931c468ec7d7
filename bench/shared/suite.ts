/**
 * What every bench suite shares: its command-line options; the round loop (an unrecorded warm-up
 * round, then every workload once per round in an order that rotates each round, stopping early,
 * keeping at least three rounds, when the next round would overrun the time budget; workloads keep
 * their own samples, this only sequences them and reports progress); the statistics suites report;
 * and the cleanup guard every suite runs in.
 */
import type { Progress } from "./progress";
import { median, round } from "../append/report";

/** One measured thing; `run(0)` is the warm-up, `run(r)` for r >= 1 a recorded round. */
export interface RoundWork {
  label: string;
  /** Runs once; resolves with what it measured, for the progress line. */
  run(round: number): Promise<string>;
}

const MIN_ROUNDS = 3;

/** The value after `name` on the command line, if given. */
export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Runs up to `rounds` recorded rounds within `budgetMs`; resolves with the rounds recorded. */
export async function runRounds(work: RoundWork[], rounds: number, budgetMs: number, progress: Progress): Promise<number> {
  const started = performance.now();
  for (let r = 0; r <= rounds; r++) {
    const k = r % work.length;
    for (const w of [...work.slice(k), ...work.slice(0, k)]) {
      const text = await w.run(r);
      progress.step(`${r === 0 ? "warm-up" : `round ${r}/${rounds}`}  ${w.label}: ${text}`);
    }
    const perRound = (performance.now() - started) / (r + 1);
    if (r >= MIN_ROUNDS && r < rounds && performance.now() - started + perRound > budgetMs) {
      progress.note(`stopping after ${r} rounds to stay within the ${Math.round(budgetMs / 1000)} s budget`);
      return r;
    }
  }
  return rounds;
}

/** The `p`-th percentile (0-100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** A rate measured once per round. */
export interface RateSummary {
  runs: number[];
  median: number;
  min: number;
  max: number;
}

export function summariseRate(runs: number[]): RateSummary {
  return { runs: runs.map(Math.round), median: Math.round(median(runs)), min: Math.round(Math.min(...runs)), max: Math.round(Math.max(...runs)) };
}

/** Round-trip times pooled over all recorded rounds (ms). */
export interface LatencySummary {
  samples: number;
  p50: number;
  p99: number;
  /** Round trips per second at the median: what one requester at this depth gets. */
  perSecondAtP50: number;
}

export function summariseLatency(ms: number[], inFlight = 1): LatencySummary {
  const p50 = percentile(ms, 50);
  return { samples: ms.length, p50: round(p50, 2), p99: round(percentile(ms, 99), 2), perSecondAtP50: Math.round((1000 / p50) * inFlight) };
}

/**
 * Runs a suite's body with `stop` (which must stop every hub, socket and client it started) run
 * afterwards, also on failure and on Ctrl-C; resolves with the exit status (1 if the body threw).
 */
export async function guarded(stop: () => Promise<void>, body: () => Promise<void>): Promise<number> {
  const interrupted = async () => {
    await stop();
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    await body();
    return 0;
  } catch (e) {
    process.stderr.write(`bench: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  } finally {
    await stop();
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}
