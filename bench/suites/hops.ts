/**
 * Suite "hops": where a round trip's time goes. Probes that each add one hop (session alone,
 * + Consumer, + partition commit, + push to a parked Read, the full query → handler → result)
 * measured over real sockets on one hub, and the per-hop differences of their medians. Writes
 * bench/results/hops.{md,json,svg}. Flags: `--quick`, `--rounds N`.
 */
import { HOPS, type Hop, probeHops } from "../hops";
import { barChart } from "../chart";
import { type Hub, startHub } from "../../test/support/hub";
import { describeMachine, finishMachine, machineLine } from "../machine";
import { Progress } from "../progress";
import { median, round, writeResults } from "../report";
import { type RoundWork, guarded, option, percentile, runRounds } from "../suite";

const LABELS: Record<Hop, string> = {
  session: "frame → session → reply (no other object)",
  consumer: "+ session → Consumer → session (getPosition)",
  append: "+ session → partition, commit → session (STORED append of 1)",
  push: "publish (SENT) → commit → push to a Read parked on another socket",
  query: "query → handler → result (raw protocol, as the Java client)",
};

export async function main(args: string[]): Promise<number> {
  const quick = args.includes("--quick");
  const rounds = Number(option(args, "--rounds") ?? (quick ? 3 : 5));
  const count = quick ? 100 : 300;
  const machine = describeMachine();
  let hub: Hub | undefined;
  const stop = async () => {
    await hub?.dispose();
    hub = undefined;
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
    progress.end();
    finishMachine(machine);
    const rows = HOPS.map((h) => ({ hop: h, what: LABELS[h], p50: round(percentile(samples[h], 50), 3), p99: round(percentile(samples[h], 99), 3), min: round(Math.min(...samples[h]), 3) }));
    const p50 = Object.fromEntries(rows.map((r) => [r.hop, r.p50])) as Record<Hop, number>;
    const derived = {
      consumerHop: round(p50.consumer - p50.session, 3),
      partitionAndCommit: round(p50.append - p50.session, 3),
      commitAndPush: round(p50.push - p50.session, 3),
    };
    const result = { suite: "hops", date: new Date().toISOString(), quick, rounds: recorded, roundTripsPerProbe: count, machine, rows, derived };
    const table = [
      "| Probe | p50 ms | p99 ms | min ms |",
      "|---|---:|---:|---:|",
      ...rows.map((r) => `| ${r.what} | ${r.p50} | ${r.p99} | ${r.min} |`),
      "",
      `Derived (differences of medians): one Consumer hop ${derived.consumerHop} ms; partition hop with its commit ${derived.partitionAndCommit} ms; publish → commit → push to a parked Read ${derived.commitAndPush} ms beyond the session.`,
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
