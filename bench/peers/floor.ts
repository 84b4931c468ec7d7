/**
 * Starts bench/peers/floor-worker.ts (bench/shared/bench-worker.ts) and times request/reply round trips
 * through it over real sockets, the way the peers' round trips are timed.
 */
import WebSocket from "ws";
import { startBenchWorker } from "../shared/bench-worker";
import { timedRoundTrips } from "./flow";
import type { FloorShape } from "./floor-worker";

export const FLOOR_SHAPES: { id: FloorShape; label: string }[] = [
  { id: "relay", label: "socket object → RPC → socket object, no log" },
  { id: "logged", label: "+ a log object between them, one SQLite insert per message (the hub's shape)" },
  { id: "single", label: "both sockets and the log in one object, no RPC" },
];

/** A running floor Worker. */
export interface Floor {
  /** Makes `count` round trips one after another in `shape`; resolves with each one's ms. */
  roundTrips(shape: FloorShape, count: number, size: number): Promise<number[]>;
  dispose(): Promise<void>;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

export async function startFloor(): Promise<Floor> {
  const { url, dispose } = await startBenchWorker("bench/peers/floor-worker.ts", { SOCKETS: "Sockets", LOG: "Log" });
  const base = url.replace(/^http/, "ws");
  let run = 0;
  return {
    async roundTrips(shape, count, size) {
      // Fresh client names per run, so each run gets its own socket objects.
      const asker = `asker-${++run}`;
      const answerer = `answerer-${run}`;
      const [a, b] = await Promise.all([asker, answerer].map((name) => open(`${base}?${new URLSearchParams({ name, shape })}`)));
      b.on("message", (body) => b.send(`${asker}\n${body}`));
      const body = "x".repeat(size);
      const once = () => new Promise<void>((done) => (a.once("message", () => done()), a.send(`${answerer}\n${body}`)));
      try {
        return await timedRoundTrips(count, once);
      } finally {
        a.close();
        b.close();
      }
    },
    dispose,
  };
}
