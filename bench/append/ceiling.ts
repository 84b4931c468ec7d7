/**
 * Starts bench/append/ceiling-worker.ts (bench/shared/bench-worker.ts) and times its insert runs
 * from outside.
 */
import { startBenchWorker } from "../shared/bench-worker";
import type { Layout } from "./ceiling-worker";

/** A running ceiling Worker. */
export interface Ceiling {
  /** Inserts `messages` rows in RPCs of `batch`; resolves with messages per second. */
  run(layout: Layout, messages: number, batch: number): Promise<number>;
  dispose(): Promise<void>;
}

export async function startCeiling(): Promise<Ceiling> {
  const { url, dispose } = await startBenchWorker("bench/append/ceiling-worker.ts", { CEILING: "Ceiling" });
  return {
    async run(layout, messages, batch) {
      const start = performance.now();
      const res = await fetch(`${url}run?${new URLSearchParams({ layout, messages: String(messages), batch: String(batch) })}`, { method: "POST" });
      if (!res.ok) throw new Error(`ceiling run failed: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      return messages / ((performance.now() - start) / 1000);
    },
    dispose,
  };
}
