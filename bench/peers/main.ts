/**
 * `npm run bench:peers`: the hub beside NATS JetStream and Redis Streams on the same machine and
 * the same workloads (bench/peers/workloads.ts). Installs nats-server and redis-server with apt-get
 * when missing, starts both and the hub on loopback, warms each up, then runs every workload on
 * the three systems in alternation, round after round (system order rotating), and writes
 * bench/results/peers.{md,json,svg}. Everything it started is stopped and its temporary folders
 * deleted, also on failure or Ctrl-C. Flags: `--quick` (smaller runs, 3 rounds, about 2 minutes),
 * `--backlog N` (messages in the consume backlog; default 100,000), `--rounds N` (default 5), `--budget SECONDS` (default 480, 150 with --quick): rounds stop early
 * once the next would not fit, keeping at least three.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Hub, startHub } from "../../test/support/hub";
import { describeMachine, finishMachine } from "../shared/machine";
import { Progress } from "../shared/progress";
import { writeResults } from "../append/report";
import { guarded, option } from "../shared/suite";
import { peersChart } from "./chart";
import { hubSystem } from "./hub";
import { natsSystem } from "./nats";
import { type PeerResult, SYSTEMS, type Samples, formatValue, markdownReport, markdownTable, summarise } from "./report";
import { redisSystem } from "./redis";
import { type Server, ensureInstalled, startNats, startRedis } from "./servers";
import type { System, SystemId } from "./system";
import { METRICS, sizes, steps } from "./workloads";

const ROOT = resolve(import.meta.dirname, "..", "..");
const MIN_ROUNDS = 3;
/** Partitions per log in the hub: one, as in `npm run bench`. */
const PARTITIONS = 1;

/** Server and client versions, for the report. */
function versions(): Record<string, string> {
  const first = (cmd: string) => spawnSync(cmd, ["--version"], { encoding: "utf8" }).stdout.trim().split("\n")[0] ?? "";
  const pkg = (name: string) => JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version as string;
  return {
    "nats-server": first("nats-server").replace(/^nats-server: v?/, ""),
    "redis-server": /v=(\S+)/.exec(first("redis-server"))?.[1] ?? "?",
    "@nats-io/jetstream": pkg("@nats-io/jetstream"),
    ioredis: pkg("ioredis"),
  };
}

/** Each round starts with the next system, so none always runs first or right after another. */
function rotated<T>(items: T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

export async function main(args: string[]): Promise<number> {
  const quick = args.includes("--quick");
  let rounds = Number(option(args, "--rounds") ?? (quick ? 3 : 5));
  const budget = Number(option(args, "--budget") ?? (quick ? 150 : 480)) * 1000;
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const machine = describeMachine();
  const started = performance.now();
  let hub: Hub | undefined;
  const servers: Server[] = [];
  const systems: System[] = [];
  const stop = async () => {
    await Promise.allSettled(systems.splice(0).map((s) => s.close()));
    await Promise.allSettled([hub?.dispose(), ...servers.splice(0).map((s) => s.stop())]);
    hub = undefined;
  };
  return guarded(stop, async () => {
    log(`${machine.cores} cores, ${machine.cpu}, load average ${machine.loadAtStart.join(" ")}`);
    ensureInstalled(log);
    log("starting nats-server (JetStream, file store) and redis-server (appendonly) on loopback, and the hub");
    servers.push(await startNats(), await startRedis());
    hub = await startHub({ partitions: PARTITIONS });
    systems.push(hubSystem(hub), await natsSystem(servers[0].port), await redisSystem(servers[1].port));
    // `--backlog 1000000` runs the consume workloads on the full million-message backlog.
    const backlog = option(args, "--backlog");
    const n = backlog ? { ...sizes(quick), backlog: Number(backlog) } : sizes(quick);
    const workloads = steps(n);
    log("warming up each system (not recorded)");
    const warm = steps({ ...n, publish200: 5_000, publish2k: 1_000, backlog: 5_000, latencySeconds: 0.5, roundTrips: 20 });
    for (const s of systems) for (const w of warm) await w.run(s, `warmup-${w.id}-${s.id}`);
    const samples: Samples = new Map(METRICS.map((m) => [m.id, { hub: [], nats: [], redis: [] } as Record<SystemId, number[]>]));
    const progress = new Progress(rounds * workloads.length * systems.length);
    const measuring = performance.now();
    for (let r = 1; r <= rounds; r++) {
      for (const w of workloads) {
        for (const s of rotated(systems, r)) {
          const values = await w.run(s, `${w.id}-r${r}-${s.id}`);
          for (const [id, v] of Object.entries(values)) samples.get(id)![s.id][r - 1] = v;
          const shown = Object.entries(values).map(([id, v]) => `${id} ${formatValue(v, METRICS.find((m) => m.id === id)!.unit)}`).join(", ");
          progress.step(`round ${r}/${rounds}  ${s.id}: ${shown}`);
        }
      }
      const perRound = (performance.now() - measuring) / r;
      if (r >= MIN_ROUNDS && r < rounds && performance.now() - started + perRound > budget) {
        progress.note(`stopping after ${r} rounds to stay within the ${budget / 1000} s budget`);
        rounds = r;
      }
    }
    progress.end();
    await stop();
    finishMachine(machine);
    const result: PeerResult = {
      date: new Date().toISOString(),
      quick,
      rounds,
      seconds: Math.round((performance.now() - started) / 1000),
      sizes: n,
      versions: versions(),
      machine,
      metrics: summarise(samples),
    };
    writeResults({ "peers.json": JSON.stringify(result, null, 2) + "\n", "peers.md": markdownReport(result), "peers.svg": peersChart(result) });
    process.stdout.write(markdownTable(result.metrics) + "\n");
    log(`${result.seconds} s; wrote bench/results/peers.md, peers.json and peers.svg (${SYSTEMS.length} systems)`);
  });
}
