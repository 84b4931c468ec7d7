/**
 * `npm run bench -- --only codecs [-- --runs N]`: LZ4 compress and decompress of the frames the hub
 * sees (an append of 1,000 messages of 200 B and of 2 KB), per codec, in workerd (an embedded
 * Miniflare, timed from outside) and in this Node (the SDK's side). Each figure is the median of
 * N runs (default 7) with the lowest and highest; NONE is the floor (no codec, and in workerd the
 * cost of one request). Writes bench/results/codecs.json and codecs.md (a Markdown table) and
 * prints the table.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codecs } from "./candidates";
import { SIZES, appendFrame } from "./frames";
import { startCodecWorker, wasmBytes } from "./workerd";

const OPS = ["decompress", "compress"] as const;

interface Row { runtime: string; codec: string; op: string; size: number; json: number; frame: number; out: number; median: number; min: number; max: number }

function stats(ms: number[]): { median: number; min: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

/** Enough repetitions for about 200 ms of work per run, at least one. */
function repsFor(msPerOp: number): number {
  return Math.max(1, Math.min(2000, Math.round(200 / Math.max(msPerOp, 0.01))));
}

export async function main(args: string[]): Promise<number> {
  const runs = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 7;
  const rows: Row[] = [];
  // Node's WebAssembly (the project's types are the Workers', which lack compile()).
  const wasm = (WebAssembly as unknown as { compile(bytes: Uint8Array): Promise<WebAssembly.Module> }).compile;
  const node = codecs(await wasm(wasmBytes()));
  for (const size of SIZES) {
    const { json, frame } = await appendFrame(size, node.lz4js);
    for (const op of OPS) {
      for (const [name, codec] of Object.entries(node)) {
        const once = () => (op === "compress" ? codec.compress(json) : codec.decompress(frame));
        for (let i = 0; i < 20; i++) once();
        let t = performance.now();
        once();
        const reps = repsFor(performance.now() - t);
        const ms: number[] = [];
        for (let r = 0; r < runs; r++) {
          t = performance.now();
          for (let i = 0; i < reps; i++) once();
          ms.push((performance.now() - t) / reps);
        }
        rows.push({ runtime: "node", codec: name, op, size, json: json.length, frame: frame.length, out: once().length, ...stats(ms) });
      }
    }
  }
  const worker = await startCodecWorker();
  try {
    for (const size of SIZES) {
      for (const op of OPS) {
        for (const name of Object.keys(node)) {
          for (let i = 0; i < 3; i++) await worker.time(name, op, size, 10);
          const reps = repsFor((await worker.time(name, op, size, 5)).ms);
          const ms: number[] = [];
          let sizes = { json: 0, frame: 0, out: 0 };
          for (let r = 0; r < runs; r++) {
            const run = await worker.time(name, op, size, reps);
            ms.push(run.ms);
            sizes = { ...run, out: run.bytes / reps };
          }
          rows.push({ runtime: "workerd", codec: name, op, size, json: sizes.json, frame: sizes.frame, out: sizes.out, ...stats(ms) });
        }
      }
    }
  } finally {
    await worker.dispose();
  }
  const table = [
    `| runtime | op | 1,000 messages of | codec | ms per frame, median (min–max) | MB/s of JSON | vs lz4js | output bytes |`,
    `|---|---|---:|---|---:|---:|---:|---:|`,
    ...rows.map((r) => {
      const base = rows.find((b) => b.runtime === r.runtime && b.op === r.op && b.size === r.size && b.codec === "lz4js")!;
      const none = r.codec === "NONE";
      return `| ${r.runtime} | ${r.op} | ${r.size} B | ${r.codec} | ${r.median.toFixed(3)} (${r.min.toFixed(3)}–${r.max.toFixed(3)}) | ${none ? "—" : (r.json / 1e3 / r.median).toFixed(0)} | ${none ? "—" : `${(base.median / r.median).toFixed(1)}×`} | ${Math.round(r.out).toLocaleString("en")} |`;
    }),
  ].join("\n");
  const dir = join(import.meta.dirname, "..", "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "codecs.json"), JSON.stringify(rows, null, 2));
  writeFileSync(join(dir, "codecs.md"), `${table}\n`);
  process.stdout.write(`${table}\n`);
  return 0;
}
