/**
 * `npm run bench:peers`: the hub beside NATS JetStream and Redis Streams on the same machine and
 * the same workloads (bench/peers/workloads.ts). Needs nats-server and redis-server on the PATH
 * and stops with how to install them when they are missing (it installs nothing itself); starts
 * both and the hub on loopback, warms each up (the unrecorded round), then runs every workload on
 * the three systems in alternation, round after round (system order rotating), then in each round
 * the request/reply floor of the bare runtime (bench/peers/floor-worker.ts), and writes
 * bench/results/peers.{md,json,svg}. Everything it started is stopped and its temporary folders
 * deleted, also on failure or Ctrl-C. Flags: `--quick` (smaller runs, 3 rounds, about 2 minutes),
 * `--backlog N` (messages in the consume backlog; default 100,000), `--rounds N` (default 5),
 * `--budget SECONDS` (default 480, 150 with --quick): rounds stop early once the next would not
 * fit, keeping at least three; `--compression NONE|GZIP` (the hub's frames; default LZ4, Flux's);
 * `--settle` (the hub's consume waits until its audit trail has caught up with the backlog, whose
 * D1 inserts otherwise run beside the drain on the local runtime's one thread).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startHub } from "../../test/support/hub";
import { Progress } from "../shared/progress";
import { percentile } from "../shared/stats";
import type { Compression } from "../../src/protocol/compression";
import { type RoundWork, SetupError, type SuiteContext, option, rotated, runRounds, runSuite } from "../shared/suite";
import { FLOOR_SHAPES, startFloor } from "./floor";
import { hubSystem } from "./hub";
import { natsSystem } from "./nats";
import { type FloorSamples, type PeerFigures, type Samples, floorTable, formatValue, markdownTable, peersChart, peersReport, summarise, summariseFloors } from "./report";
import { redisSystem } from "./redis";
import { ensureInstalled, startNats, startRedis } from "./servers";
import type { SystemId } from "./system";
import { METRICS, sizes, steps } from "./workloads";

const ROOT = resolve(import.meta.dirname, "..", "..");
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

async function measure(ctx: SuiteContext): Promise<PeerFigures> {
  const rounds = ctx.rounds(3, 5);
  const budget = ctx.budget(150, 480);
  const compression = (option(ctx.args, "--compression") ?? "LZ4") as Compression;
  if (!["LZ4", "NONE", "GZIP"].includes(compression)) throw new SetupError(`--compression must be LZ4, NONE or GZIP, not ${compression}`);
  ensureInstalled();
  ctx.note("starting nats-server (JetStream, file store) and redis-server (appendonly) on loopback, and the hub");
  const [nats, redis] = [await startNats(), await startRedis()];
  ctx.closing(() => redis.stop());
  ctx.closing(() => nats.stop());
  const hub = await startHub({ partitions: PARTITIONS });
  ctx.closing(() => hub.dispose());
  const settle = ctx.args.includes("--settle");
  const systems = [hubSystem(hub, compression, settle), await natsSystem(nats.port), await redisSystem(redis.port)];
  for (const s of systems) ctx.closing(() => s.close());
  const floor = await startFloor();
  ctx.closing(() => floor.dispose());
  // `--backlog 1000000` runs the consume workloads on the full million-message backlog.
  const backlog = option(ctx.args, "--backlog");
  const n = backlog ? { ...sizes(ctx.quick), backlog: Number(backlog) } : sizes(ctx.quick);
  const warm = steps({ ...n, publish200: 5_000, publish2k: 1_000, backlog: 5_000, latencySeconds: 0.5, roundTrips: 20 });
  const samples: Samples = new Map(METRICS.map((m) => [m.id, { hub: [], nats: [], redis: [] } as Record<SystemId, number[]>]));
  // One piece of work per workload and system; round 0 (the warm-up) runs the small sizes.
  const work: RoundWork[][] = steps(n).map((w, k) =>
    systems.map((s) => ({
      label: s.id,
      async run(r: number) {
        const values = r === 0 ? await warm[k].run(s, `warmup-${w.id}-${s.id}`) : await w.run(s, `${w.id}-r${r}-${s.id}`);
        if (r > 0) for (const [id, v] of Object.entries(values)) samples.get(id)![s.id][r - 1] = v;
        return Object.entries(values).map(([id, v]) => `${id} ${formatValue(v, METRICS.find((m) => m.id === id)!.unit)}`).join(", ");
      },
    })),
  );
  const floors: FloorSamples = new Map(FLOOR_SHAPES.map((f) => [f.id, []]));
  const floorWork: RoundWork[] = FLOOR_SHAPES.map((f) => ({
    label: `floor ${f.id}`,
    async run(r: number) {
      const p50 = percentile(await floor.roundTrips(f.id, r === 0 ? 20 : n.roundTrips, 200), 50);
      if (r > 0) floors.get(f.id)![r - 1] = p50;
      return `rr-p50 ${formatValue(p50, "ms")}`;
    },
  }));
  const all = [...work.flat(), ...floorWork];
  const progress = new Progress((rounds + 1) * all.length);
  // Workload after workload, the three systems of each in an order rotating per round; the floor last.
  const recorded = await runRounds(all, rounds, budget - (performance.now() - ctx.started), progress, (_, r) => [...work.flatMap((bySystem) => rotated(bySystem, r)), ...floorWork]);
  progress.end();
  return { rounds: recorded, sizes: n, compression, settle, versions: versions(), metrics: summarise(samples), floors: summariseFloors(floors, samples) };
}

export function main(args: string[]): Promise<number> {
  return runSuite<PeerFigures>({ name: "peers", measure, markdown: peersReport, chart: peersChart, table: (r) => `${markdownTable(r.metrics)}\n\n${floorTable(r.floors)}` }, args);
}
