/**
 * `npm run bench:profile [-- --seconds N] [-- --publish BYTES]`: a CPU profile of the hub's runtime
 * (V8's sampling profiler over the inspector) while SDK query → handler → result round trips run
 * one at a time, or, with `--publish`, while the SDK publishes messages of that size in STORED
 * batches of 1,000 (the peers bench's publish workload), or, with `--consume N`, while one SDK
 * consumer drains a backlog of N 200-byte events published before the profile starts (the peers
 * bench's consume workload, group of 1; `--threads 4` for a group of 4; profiled once the audit
 * feed has copied the backlog), or, with `--feed N`, while the audit feed copies the keys
 * of N 200-byte events published before the profile starts into D1 (the profile counts the rows
 * still behind when it starts); `--compression NONE|GZIP` (default LZ4); `--worker d1:db` profiles
 * the local D1 database (its own worker in the runtime) instead of the hub.
 * Prints where the runtime's time went, by function (self time) and by source file, so a change
 * meant to save time can show what it saved. Writes bench/results/profile.cpuprofile.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import { connect } from "../../src/client";
import { startHub } from "../../test/support/hub";
import { payloadPool } from "../shared/payload";

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

async function inspector(port: number, worker: string): Promise<(method: string, params?: object) => Promise<any>> {
  let targets: { webSocketDebuggerUrl: string; title?: string }[] = [];
  for (let i = 0; i < 50 && targets.length === 0; i++) {
    targets = await fetch(`http://127.0.0.1:${port}/json`).then((r) => r.json() as never).catch(() => []);
    if (targets.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  const target = targets.find((t) => (t.title ?? "").endsWith(`worker ${worker}`)) ?? targets[0];
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((r) => ws.once("open", r));
  let id = 0;
  const waiting = new Map<number, (v: any) => void>();
  ws.on("message", (d) => {
    const m = JSON.parse(String(d));
    if (m.id !== undefined) waiting.get(m.id)?.(m.result);
  });
  return (method, params = {}) => new Promise((resolve) => {
    waiting.set(++id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });
}

export async function main(args: string[]): Promise<number> {
  const seconds = args.includes("--seconds") ? Number(args[args.indexOf("--seconds") + 1]) : 10;
  const port = 19229 + Math.floor(Math.random() * 500);
  const hub = await startHub({ inspectorPort: port });
  const compression = (args.includes("--compression") ? args[args.indexOf("--compression") + 1] : "LZ4") as "LZ4" | "NONE" | "GZIP";
  const handler = connect({ url: hub.wsUrl, projectId: "profile", clientName: "handler", compression });
  const asker = connect({ url: hub.wsUrl, projectId: "profile", clientName: "asker", compression });
  try {
    const consumer = handler.consume({ consumer: "echo", messageType: "QUERY", fromBeginning: true, maxTimeoutMs: 5000, handler: (m) => m.payload });
    await consumer.ready();
    for (let i = 0; i < 50; i++) await asker.query({ warm: i }, { timeoutMs: 10_000 });
    const send = await inspector(port, args.includes("--worker") ? args[args.indexOf("--worker") + 1] : "core:user:");
    const backlogFlag = args.includes("--consume") ? "--consume" : args.includes("--feed") ? "--feed" : null;
    if (backlogFlag) {
      const small = payloadPool(200).values;
      const n = Number(args[args.indexOf(backlogFlag) + 1]);
      for (let from = 0; from < n; from += 4000) {
        await Promise.all(Array.from({ length: 4 }, (_, k) => asker.publish("EVENT", small.slice(0, Math.max(0, Math.min(1000, n - from - k * 1000))), { guarantee: "STORED", timeoutMs: 60_000 })));
      }
    }
    const behind = async () => ((await fetch(`${hub.url}/api/projects/profile/audit/lag`).then((r) => r.json())) as { messagesBehind: number }).messagesBehind;
    // A drain is profiled once the audit feed has copied the backlog (its D1 inserts would be in the profile).
    for (let i = 0; backlogFlag === "--consume" && i < 600 && (await behind()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: 100 });
    await send("Profiler.start");
    let trips = 0;
    const until = performance.now() + seconds * 1000;
    const publishBytes = args.includes("--publish") ? Number(args[args.indexOf("--publish") + 1]) : 0;
    const backlog = backlogFlag ? Number(args[args.indexOf(backlogFlag) + 1]) : 0;
    const pool = publishBytes ? payloadPool(publishBytes).values : [];
    if (backlogFlag === "--feed") {
      // Profiled from here: only the feed, until the audit trail has every message.
      const first = await behind();
      for (let left = first; left > 0 && performance.now() < until; left = await behind()) await new Promise((r) => setTimeout(r, 100));
      trips = first - (await behind());
    } else if (backlog) {
      // Profiled from here: only the drain.
      let handled = 0;
      let drained!: () => void;
      const done = new Promise<void>((r) => (drained = r));
      const threads = args.includes("--threads") ? Number(args[args.indexOf("--threads") + 1]) : 1;
      const drain = handler.consume({ consumer: "drain", messageType: "EVENT", fromBeginning: true, threads, handler: () => void (++handled >= backlog && drained()) });
      await Promise.race([done, new Promise((r) => setTimeout(r, seconds * 1000))]);
      await drain.stop();
      trips = handled;
    }
    while (!backlog && performance.now() < until) {
      if (publishBytes) {
        await Promise.all(Array.from({ length: 4 }, (_, k) => asker.publish("EVENT", Array.from({ length: 1000 }, (_, i) => pool[(trips * 4000 + k * 1000 + i) % pool.length]), { guarantee: "STORED", timeoutMs: 60_000 })));
        trips += 4000;
      } else {
        await asker.query({ n: trips }, { timeoutMs: 10_000 });
        trips++;
      }
    }
    const { profile } = (await send("Profiler.stop")) as { profile: Profile };
    writeFileSync(join(import.meta.dirname, "..", "results", "profile.cpuprofile"), JSON.stringify(profile));
    const byNode = new Map<number, Node>(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    const files = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const n = byNode.get(id)!;
      const dt = profile.timeDeltas[i] / 1000;
      total += dt;
      const name = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber + 1}`;
      self.set(name, (self.get(name) ?? 0) + dt);
      const file = n.callFrame.url ? n.callFrame.url.split("/").pop()! : n.callFrame.functionName;
      files.set(file, (files.get(file) ?? 0) + dt);
    });
    const idle = (self.get("(idle) :0") ?? 0);
    const busy = total - idle;
    const top = (m: Map<string, number>, k: number) => [...m].filter(([n]) => !n.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, k);
    const perThousand = Boolean(publishBytes || backlog);
    const unit = perThousand ? "message" : "round trip";
    process.stdout.write(`${trips} ${unit}s in ${(total / 1000).toFixed(1)} s: runtime busy ${((busy / trips) * (perThousand ? 1000 : 1)).toFixed(3)} ms per ${perThousand ? "1,000 messages" : unit} (${((busy / total) * 100).toFixed(0)}% of the time)\n\n`);
    if (perThousand) trips /= 1000;
    process.stdout.write(`| self time per ${perThousand ? "1,000 messages" : unit} (ms) | function |\n|---:|---|\n`);
    for (const [name, ms] of top(self, 30)) process.stdout.write(`| ${(ms / trips).toFixed(3)} | ${name} |\n`);
    process.stdout.write(`\n| by source (ms per ${perThousand ? "1,000 messages" : unit}) | file |\n|---:|---|\n`);
    for (const [name, ms] of top(files, 12)) process.stdout.write(`| ${(ms / trips).toFixed(3)} | ${name} |\n`);
    await consumer.stop();
    return 0;
  } finally {
    await Promise.allSettled([asker.close(), handler.close()]);
    await hub.dispose();
  }
}
