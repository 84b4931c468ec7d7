/**
 * The skeleton every bench suite runs in: its options, the machine it measured on, what it started
 * (stopped when it ends, also on failure and Ctrl-C), the round loop, and the result files it
 * writes (bench/results/<name>.json, .md and .svg) and prints. The round loop: an unrecorded
 * warm-up round, then every workload once per round in an order that rotates each round, stopping
 * early, keeping at least three rounds, when the next round would overrun the time budget;
 * workloads keep their own samples, the loop only sequences them and reports progress.
 */
import { describeMachine, finishMachine, type Machine } from "./machine";
import type { Progress } from "./progress";
import { type SuiteHead, writeResults } from "./report";

/** A suite cannot run on this machine as it is; said without a stack trace. */
export class SetupError extends Error {}

/** One measured thing; `run(0)` is the warm-up, `run(r)` for r >= 1 a recorded round. */
export interface RoundWork {
  label: string;
  /** Runs once; resolves with what it measured, for the progress line. */
  run(round: number): Promise<string>;
}

const MIN_ROUNDS = 3;

/** A workload that measures one sample per run. */
export interface Sampled<S> {
  id: string;
  label: string;
  run(round: number): Promise<S>;
}

/**
 * Round work for `workloads`, keeping each recorded round's sample in `samples` under the
 * workload's id (`samples.get(id)[r - 1]`); `text` says a sample for the progress line.
 */
export function sampling<S, W extends Sampled<S>>(workloads: W[], text: (sample: S, w: W) => string): { work: RoundWork[]; samples: Map<string, S[]> } {
  const samples = new Map<string, S[]>(workloads.map((w) => [w.id, []]));
  const work = workloads.map((w) => ({
    label: w.label,
    async run(r: number) {
      const sample = await w.run(r);
      if (r > 0) samples.get(w.id)![r - 1] = sample;
      return text(sample, w);
    },
  }));
  return { work, samples };
}

/** The value after `name` on the command line, if given. */
export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Each round starts `k` places further along, so no workload always runs first or after the same one. */
export function rotated<T>(items: T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/**
 * Runs up to `rounds` recorded rounds within `budgetMs`; resolves with the rounds recorded. `order`
 * gives each round's running order (default: the whole list rotated by the round).
 */
export async function runRounds(work: RoundWork[], rounds: number, budgetMs: number, progress: Progress, order = rotated<RoundWork>): Promise<number> {
  const started = performance.now();
  for (let r = 0; r <= rounds; r++) {
    for (const w of order(work, r)) {
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

/** What a suite's measuring gets. */
export interface SuiteContext {
  args: string[];
  quick: boolean;
  /** When the suite started (performance.now()). */
  started: number;
  /** `--rounds N`, else `quick` or `full`. */
  rounds(quick: number, full: number): number;
  /** `--budget SECONDS` in ms, else `quick` or `full` seconds. */
  budget(quick: number, full: number): number;
  /** Registers what stops something the suite started; stopped last first. */
  closing(close: () => Promise<void>): void;
  /** Stops everything registered so far (a hub before the next one starts). */
  stop(): Promise<void>;
  /** A line on stderr. */
  note(text: string): void;
}

/** One suite: how it measures and how its figures are written. */
export interface Suite<F extends object> {
  name: string;
  /** Result file names in bench/results/ (default <name>.json, <name>.md, <name>.svg). */
  files?: { json: string; md: string; svg: string };
  /** Measures; resolves with the result's figures (rounds, settings and the suite's own). */
  measure(ctx: SuiteContext): Promise<F>;
  markdown(r: SuiteHead & F): string;
  chart(r: SuiteHead & F): string;
  /** The tables printed on stdout. */
  table(r: SuiteHead & F): string;
}

/** Runs `suite` and writes its results; resolves with the exit status (1 if it failed). */
export async function runSuite<F extends object>(suite: Suite<F>, args: string[]): Promise<number> {
  const quick = args.includes("--quick");
  const machine: Machine = describeMachine();
  const started = performance.now();
  const closers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  };
  const note = (text: string) => process.stderr.write(`bench: ${text}\n`);
  const ctx: SuiteContext = {
    args,
    quick,
    started,
    rounds: (q, full) => Number(option(args, "--rounds") ?? (quick ? q : full)),
    budget: (q, full) => Number(option(args, "--budget") ?? (quick ? q : full)) * 1000,
    closing: (close) => void closers.push(close),
    stop,
    note,
  };
  return guarded(stop, async () => {
    note(`${machine.cores} cores, ${machine.cpu}, load average ${machine.loadAtStart.join(" ")}`);
    const figures = await suite.measure(ctx);
    await stop();
    finishMachine(machine);
    const result = { suite: suite.name, date: new Date().toISOString(), quick, seconds: Math.round((performance.now() - started) / 1000), machine, ...figures };
    const files = suite.files ?? { json: `${suite.name}.json`, md: `${suite.name}.md`, svg: `${suite.name}.svg` };
    writeResults({ [files.json]: JSON.stringify(result, null, 2) + "\n", [files.md]: suite.markdown(result), [files.svg]: suite.chart(result) });
    process.stdout.write(suite.table(result) + "\n");
    note(`${result.seconds} s; wrote bench/results/${files.md}, ${files.json} and ${files.svg}`);
  });
}

/**
 * Runs a suite's body with `stop` (which must stop every hub, socket and client it started) run
 * afterwards, also on failure and on Ctrl-C; resolves with the exit status (1 if the body threw).
 */
async function guarded(stop: () => Promise<void>, body: () => Promise<void>): Promise<number> {
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
    const text = e instanceof SetupError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
    process.stderr.write(`bench: failed: ${text}\n`);
    return 1;
  } finally {
    await stop();
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}
