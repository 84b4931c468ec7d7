/**
 * Suite "hops": where a round trip's time goes. Probes that each add one hop (session alone,
 * + Consumer, + partition commit, + push to a parked Read, the full query → handler → result)
 * measured over real sockets on one hub, and the per-hop differences of their medians; then the
 * SDK round trip through `npm start` (wrangler dev), what users run locally. Writes
 * bench/results/hops.{md,json,svg}. Flags: `--quick`, `--rounds N`, `--no-dev` (skip npm start).
 */
import { startHub } from "../../test/support/hub";
import { startWranglerDev } from "../../test/support/wrangler-dev";
import { Progress } from "../shared/progress";
import { median, percentile, round } from "../shared/stats";
import { type RoundWork, runRounds, runSuite } from "../shared/suite";
import { HOPS, type Hop, probeHops, sdkQueries } from "./probes";
import { type HopRow, type HopsFigures, hopsChart, hopsReport, hopsTable } from "./report";

const LABELS: Record<Hop, string> = {
  session: "frame → session → reply (no other object)",
  consumer: "+ session → Consumer → session (getPosition)",
  append: "+ session → partition, commit → session (STORED append of 1)",
  push: "publish (SENT) → commit → push to a Read parked on another socket",
  query: "query → handler → result (raw protocol, as the Java client)",
  sdkQuery: "query → handler → result (the SDK)",
};

const row = (hop: string, what: string, ms: number[]): HopRow => ({ hop, what, p50: round(percentile(ms, 50), 3), p99: round(percentile(ms, 99), 3), min: round(Math.min(...ms), 3) });

export function main(args: string[]): Promise<number> {
  return runSuite<HopsFigures>(
    {
      name: "hops",
      async measure(ctx) {
        const rounds = ctx.rounds(3, 5);
        const count = ctx.quick ? 100 : 300;
        const hub = await startHub();
        ctx.closing(() => hub.dispose());
        const samples = Object.fromEntries(HOPS.map((h) => [h, [] as number[]])) as Record<Hop, number[]>;
        const progress = new Progress(rounds + 1);
        const work: RoundWork[] = [
          {
            label: "hops",
            async run(r) {
              const got = await probeHops(hub.wsUrl, `bench-hops-${r}`, count);
              if (r > 0) for (const h of HOPS) samples[h].push(...got[h]);
              return HOPS.map((h) => `${h} ${median(got[h]).toFixed(2)}`).join(", ");
            },
          },
        ];
        const recorded = await runRounds(work, rounds, 600_000, progress);
        await ctx.stop();
        const rows = HOPS.map((h) => row(h, LABELS[h], samples[h]));
        if (!args.includes("--no-dev")) {
          progress.note("starting npm start (wrangler dev)");
          const dev = await startWranglerDev(28000 + Math.floor(Math.random() * 1000));
          ctx.closing(() => dev.stop());
          const devQuery: number[] = [];
          await sdkQueries(dev.wsUrl, "bench-hops-dev-warm", 20);
          for (let r = 1; r <= recorded; r++) devQuery.push(...(await sdkQueries(dev.wsUrl, `bench-hops-dev-${r}`, count)));
          progress.note(`npm start: SDK query p50 ${percentile(devQuery, 50).toFixed(2)} ms`);
          rows.push(row("sdkQueryDev", "query → handler → result (the SDK), through npm start", devQuery));
        }
        progress.end();
        const p50 = (hop: Hop) => rows.find((r) => r.hop === hop)!.p50;
        return {
          rounds: recorded,
          roundTripsPerProbe: count,
          rows,
          derived: { consumerHop: round(p50("consumer") - p50("session"), 3), partitionAndCommit: round(p50("append") - p50("session"), 3) },
        };
      },
      markdown: hopsReport,
      chart: hopsChart,
      table: hopsTable,
    },
    args,
  );
}
