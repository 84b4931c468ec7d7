/**
 * Suite "hops": where a round trip's time goes. Probes that each add one hop (session alone,
 * + Consumer, + partition commit, + push to a parked Read, the full query → handler → result)
 * measured over real sockets on one hub, and the per-hop differences of their medians; then the
 * SDK round trip through `npm start` (wrangler dev), what users run locally. Writes
 * bench/results/hops.{md,json,svg}. Flags: `--quick`, `--rounds N`, `--no-dev` (skip npm start).
 */
import { HOPS, type Hop, probeHops, sdkQueries } from "./probes";
import { type DevHub, startWranglerDev } from "../../test/support/wrangler-dev";
import { barChart } from "../shared/chart";
import { type Hub, startHub } from "../../test/support/hub";
import { describeMachine, finishMachine, machineLine } from "../shared/machine";
import { Progress } from "../shared/progress";
import { median, round, writeResults } from "../append/report";
import { type RoundWork, guarded, option, percentile, runRounds } from "../shared/suite";

const LABELS: Record<Hop, string> = {
  session: "frame → session → reply (no other object)",
  consumer: "+ session → Consumer → session (getPosition)",
  append: "+ session → partition, commit → session (STORED append of 1)",
  push: "publish (SENT) → commit → push to a Read parked on another socket",
  query: "query → handler → result (raw protocol, as the Java client)",
  sdkQuery: "query → handler → result (the SDK)",
};

export async function main(args: string[]): Promise<number> {
  const quick = args.includes("--quick");
  const rounds = Number(option(args, "--rounds") ?? (quick ? 3 : 5));
  const count = quick ? 100 : 300;
  const machine = describeMachine();
  let hub: Hub | undefined;
  let dev: DevHub | undefined;
  const stop = async () => {
    await hub?.dispose();
    await dev?.stop();
    hub = dev = undefined;
  };
  return guarded(stop, async () => {
    process.stderr.write(`bench: ${machine.cores} cores, ${machine.cpu}, load average ${machine.loadAtStart.join(" ")}\n`);
    hub = await startHub();
    const samples = Object.fromEntries(HOPS.map((h) => [h, [] as number[]])) as Record<Hop, number[]>;
    const progress = new Progress(rounds + 1);
    const work: RoundWork[] = [
      {
        label: "hops",
        async run(r) {
          const got = await probeHops(hub!.wsUrl, `bench-hops-${r}`, count);
          if (r > 0) for (const h of HOPS) samples[h].push(...got[h]);
          return HOPS.map((h) => `${h} ${median(got[h]).toFixed(2)}`).join(", ");
        },
      },
    ];
    const recorded = await runRounds(work, rounds, 600_000, progress);
    await hub.dispose();
    hub = undefined;
    let devQuery: number[] = [];
    if (!args.includes("--no-dev")) {
      progress.note("starting npm start (wrangler dev)");
      dev = await startWranglerDev(28000 + Math.floor(Math.random() * 1000));
      await sdkQueries(dev.wsUrl, "bench-hops-dev-warm", 20);
      for (let r = 1; r <= recorded; r++) devQuery.push(...(await sdkQueries(dev.wsUrl, `bench-hops-dev-${r}`, count)));
      progress.note(`npm start: SDK query p50 ${percentile(devQuery, 50).toFixed(2)} ms`);
    }
    progress.end();
    finishMachine(machine);
    const rows = HOPS.map((h) => ({ hop: h, what: LABELS[h], p50: round(percentile(samples[h], 50), 3), p99: round(percentile(samples[h], 99), 3), min: round(Math.min(...samples[h]), 3) }));
    const p50 = Object.fromEntries(rows.map((r) => [r.hop, r.p50])) as Record<Hop, number>;
    if (devQuery.length) rows.push({ hop: "sdkQueryDev" as Hop, what: "query → handler → result (the SDK), through npm start", p50: round(percentile(devQuery, 50), 3), p99: round(percentile(devQuery, 99), 3), min: round(Math.min(...devQuery), 3) });
    const derived = {
      consumerHop: round(p50.consumer - p50.session, 3),
      partitionAndCommit: round(p50.append - p50.session, 3),
    };
    const result = { suite: "hops", date: new Date().toISOString(), quick, rounds: recorded, roundTripsPerProbe: count, machine, rows, derived };
    const table = [
      "| Probe | p50 ms | p99 ms | min ms |",
      "|---|---:|---:|---:|",
      ...rows.map((r) => `| ${r.what} | ${r.p50} | ${r.p99} | ${r.min} |`),
      "",
      `Derived (differences of medians): one Consumer hop ${derived.consumerHop} ms; a partition hop with its commit ${derived.partitionAndCommit} ms. The push probe is one way (publish sent → batch received).`,
    ].join("\n");
    const md = `# Round-trip hops\n\n${machineLine(machine)}; ${recorded} rounds of ${count} round trips per probe (\`npm run bench -- --only hops\`).\n\n${table}\n`;
    const svg = barChart({
      title: "Where a round trip's time goes",
      subtitle: `${new Date().toISOString().slice(0, 10)}, ${machine.cores} cores; p50 with min–p99 whiskers`,
      legend: [{ label: "p50 round trip", color: "#4c78a8" }],
      bars: rows.map((r) => ({ label: r.hop, median: r.p50, min: r.min, max: r.p99, color: "#4c78a8" })),
      axis: "milliseconds (p50)",
      categories: "probe",
      unit: "ms",
    });
    writeResults({ "hops.json": JSON.stringify(result, null, 2) + "\n", "hops.md": md, "hops.svg": svg });
    process.stdout.write(table + "\n");
  });
}
